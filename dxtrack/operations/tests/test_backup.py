"""Backup and restore: a round trip identical table by table and file by file; a damaged file,
one from another version, a full disk: refused with a Vietnamese message, nothing changed."""

import errno
import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dxtrack.accounts.models import User
from dxtrack.accounts.tests.factories import UserFactory
from dxtrack.core.diskfiles import write_atomic
from dxtrack.core.errors import DomainError
from dxtrack.core.models import AuditEvent
from dxtrack.operations import backup

POPULATE = """
import json
from django.core.files.base import ContentFile
from dxtrack.accounts.models import User, Role
from dxtrack.operations.tasks import probe
from dxtrack.operations.models import SideEffect, JobRun
from django.utils import timezone
u = User.objects.create_user("thu-ky", password="mat-khau-rat-dai-2026", role=Role.SECRETARIAT, full_name="Lê Thị Hằng")
probe.enqueue("round-trip", 1.5)
SideEffect.objects.create(key="mail:Đà Nẵng")
JobRun.objects.create(job="backup", slot=timezone.now(), result={"tệp": "a", "n": [1, 2.5, None]}, error="Ổ đĩa")
from django.conf import settings
(settings.MEDIA_ROOT / "evidence/2026/12").mkdir(parents=True, exist_ok=True)
(settings.MEDIA_ROOT / "evidence/2026/12/bien-ban.pdf").write_bytes(b"%PDF-1.4 " + bytes(range(256)) * 40)
(settings.MEDIA_ROOT / "evidence/2026/12/ảnh chụp.png").write_bytes(b"\\x89PNG" + b"x" * 5000)
print(json.dumps({"user": u.pk}))
"""


def _manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as tar:
        return json.load(tar.extractfile("manifest.json"))


@pytest.mark.long
def test_a_backup_restored_into_an_empty_database_is_identical_table_by_table_and_file_by_file(site, empty_site):
    # Given a populated site and its backup
    site.python(POPULATE)
    first = site.var / "a.tar.gz"
    done = site.run("backup", str(first))
    assert "Đã sao lưu vào" in done.stdout
    # When it is restored into an empty database and an empty folder
    restored = empty_site.run("restore", str(first))
    # Then it says so, and a backup of the new site holds the same tables and files
    assert "mọi bảng và tệp khớp mã kiểm tra" in restored.stdout
    second = empty_site.var / "b.tar.gz"
    empty_site.run("backup", str(second))
    before, after = _manifest(first), _manifest(second)
    assert after["tables"] == before["tables"]
    assert after["files"] == before["files"]
    assert before["tables"]["accounts.user"]["rows"] == 1
    assert before["tables"]["org.adminunit"]["rows"] > 3000
    assert set(before["files"]) == {"evidence/2026/12/bien-ban.pdf", "evidence/2026/12/ảnh chụp.png"}
    # Every table's row count, read by SQL on each side
    for table in site.tables():
        if table.startswith(("django_migrations", "operations_processbeat", "dxtrack_shared_cache")):
            continue
        assert site.count(table) == empty_site.count(table), table
    for rel in before["files"]:
        assert (empty_site.var / "media" / rel).read_bytes() == (site.var / "media" / rel).read_bytes()
    # And the restored site's queue still holds the queued task, which a worker then runs
    empty_site.run("worker", "--batch", "--interval", "0.1")
    assert (empty_site.var / "probe.log").read_text() == "round-trip\n"


# ---- refusals, in this process ----------------------------------------------------------------------


@pytest.fixture
def made(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "a.pdf").write_bytes(b"%PDF" + b"0" * 3000)
    UserFactory()
    path = tmp_path / "backup.tar.gz"
    backup.backup(path)
    return path


def _unchanged(settings):
    """What a refused restore must leave as it was."""
    return (
        User.objects.count(),
        AuditEvent.objects.count(),
        sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*")),
    )


def test_a_backup_holds_every_table_with_its_hash_the_schema_and_the_files(made):
    manifest = _manifest(made)
    assert manifest["format"] == "dxtrack-backup" and manifest["format_version"] == 1
    assert manifest["schema"] == backup.schema()
    assert manifest["files"]["evidence/a.pdf"]["bytes"] == 3004
    assert manifest["tables"]["accounts.user"]["rows"] == User.objects.count()
    assert manifest["tables"]["accounts.user"]["sha256"] == backup.table_digest(User)[1]
    assert "operations.processbeat" not in manifest["tables"]


def test_a_truncated_backup_is_refused_and_nothing_changes(made, settings):
    before = _unchanged(settings)
    data = made.read_bytes()
    made.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(made), verbosity=0)
    assert str(refused.value).startswith(f"Tệp sao lưu {made.name} bị hỏng hoặc không đầy đủ (có thể bị cắt cụt")
    assert str(refused.value).endswith("Không có gì bị thay đổi.")
    assert _unchanged(settings) == before


def test_a_corrupted_backup_is_refused_and_nothing_changes(made, settings):
    before = _unchanged(settings)
    data = bytearray(made.read_bytes())
    data[len(data) // 3] ^= 0xFF
    made.write_bytes(bytes(data))
    with pytest.raises(backup.BackupRefused) as refused:
        backup.restore(made)
    assert refused.value.code == "backup_corrupt"
    assert "bị hỏng hoặc không đầy đủ" in refused.value.message
    assert _unchanged(settings) == before


def _rewritten(path: Path, change) -> None:
    """The same backup with its manifest changed (the members' checksums stay right)."""
    members = []
    with tarfile.open(path, "r:gz") as tar:
        for info in tar:
            members.append((info, tar.extractfile(info).read()))
    with tarfile.open(path, "w:gz") as tar:
        for info, data in members:
            if info.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
                info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_a_backup_from_another_version_is_refused_and_nothing_changes(made, settings):
    before = _unchanged(settings)
    _rewritten(made, lambda m: m.update(schema=[*m["schema"][:-1], "reporting.0099_future"], release="9.0"))
    with pytest.raises(backup.BackupRefused) as refused:
        backup.restore(made)
    assert refused.value.code == "backup_version"
    assert refused.value.message.startswith(f"Tệp sao lưu {made.name} được tạo từ phiên bản khác của hệ thống")
    assert "reporting.0099_future" in refused.value.message
    assert _unchanged(settings) == before


def test_a_member_that_does_not_match_the_manifest_is_refused(made):
    _rewritten(made, lambda m: m["files"]["evidence/a.pdf"].update(sha256="0" * 64))
    with pytest.raises(backup.BackupRefused) as refused:
        backup.verify(made)
    assert "phần “media/evidence/a.pdf” sai mã kiểm tra" in refused.value.message


def test_restoring_into_a_database_that_has_data_is_refused(made, settings):
    before = _unchanged(settings)
    with pytest.raises(backup.BackupRefused) as refused:
        backup.restore(made)
    assert refused.value.code == "not_empty"
    assert refused.value.message.startswith("Cơ sở dữ liệu đích đã có dữ liệu (")
    assert _unchanged(settings) == before


def test_a_full_disk_while_writing_a_backup_leaves_no_file(db, tmp_path, monkeypatch):
    calls = []

    def addfile(self, info, fileobj=None):
        calls.append(info.name)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return original(self, info, fileobj)

    original = tarfile.TarFile.addfile
    monkeypatch.setattr(tarfile.TarFile, "addfile", addfile)
    with pytest.raises(DomainError) as refused:
        backup.backup(tmp_path / "full.tar.gz")
    assert refused.value.code == "disk_full"
    assert refused.value.message == (
        "Ổ đĩa đã đầy: không ghi được full.tar.gz (cần thêm chỗ trống); không có tệp nào bị ghi dở."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_while_writing_a_report_file_leaves_no_file(tmp_path):
    def chunks():
        yield b"PK\x03\x04" + b"0" * 1000
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(DomainError) as refused:
        write_atomic(tmp_path / "bao-cao.docx", chunks())
    assert refused.value.message == (
        "Ổ đĩa đã đầy: không ghi được bao-cao.docx (cần thêm chỗ trống); không có tệp nào bị ghi dở."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_report_file_is_written_whole(tmp_path):
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"old")
    assert write_atomic(target, b"%PDF-new") == 8
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["bao-cao.pdf"]


def test_binary_and_json_values_come_back_as_they_were():
    from django.db import models

    assert backup._python(models.BinaryField(), backup._encode(memoryview(b"\x00\xffdocx"))) == b"\x00\xffdocx"
    assert backup._python(models.JSONField(), {"a": [1, None]}) == {"a": [1, None]}
