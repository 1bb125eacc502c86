"""Backup and restore: one file with the database, the uploaded evidence and a manifest (ADR 0021).

The file is a gzip'd tar:

    db/<app_label>.<model>.jsonl   one JSON array per row (columns as in the manifest), by primary key
    media/<path>                   every file under MEDIA_ROOT (evidence; issued reports are rows)
    manifest.json                  last: format, release, schema (the migrations), and for every
                                   member its size and SHA-256 (a table's is its content hash)

Rows are written as their plain values (no engine-specific dump), so the file is read the same on
SQLite and PostgreSQL. A table's content hash is the SHA-256 of its canonical lines: after a
restore the same lines are read back from the new database and must hash the same, or the
restore is rolled back.

Restore checks the whole file before it touches anything: every member against the manifest, the
manifest's format and schema against this release, the target database empty (no account, no
audit event). It then loads every table in one transaction, compares the hashes, puts the files in
place and commits; any failure leaves the database and MEDIA_ROOT as they were."""

from __future__ import annotations

import base64
import contextlib
import datetime
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from dxtrack.core.diskfiles import DISK_FULL, WRITE_FAILED
from dxtrack.core.errors import DomainError

FORMAT = "dxtrack-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 1 << 20
BATCH = 2000
# Runtime state, not data: which processes beat when.
SKIPPED = {"operations.processbeat"}

Progress = Callable[[str, int, int], None]  # (what, done, total)


def _quiet(what: str, done: int, total: int) -> None:
    pass


class BackupRefused(DomainError):
    pass


CORRUPT = (
    "Tệp sao lưu {name} bị hỏng hoặc không đầy đủ (có thể bị cắt cụt khi sao chép): {detail}. Không có gì bị thay đổi."
)
OTHER_VERSION = (
    "Tệp sao lưu {name} được tạo từ phiên bản khác của hệ thống ({detail}); phiên bản này không khôi phục được "
    "tệp đó. Không có gì bị thay đổi."
)
NOT_EMPTY = (
    "Cơ sở dữ liệu đích đã có dữ liệu ({detail}): chỉ khôi phục vào một cơ sở dữ liệu trống. Không có gì bị thay đổi."
)
MEDIA_NOT_EMPTY = (
    "Thư mục tệp tải lên {path} đã có {count} tệp khác với tệp sao lưu: chỉ khôi phục vào thư mục trống. "
    "Không có gì bị thay đổi."
)
MISMATCH = "Dữ liệu sau khi khôi phục không khớp tệp sao lưu (bảng {table}); đã hủy, không có gì bị thay đổi."


def release() -> str:
    try:
        return version("dxtrack")
    except PackageNotFoundError:
        return "0"


def schema() -> list[str]:
    """The schema this code expects: the last migration of every app."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted(f"{app}.{name}" for app, name in loader.graph.leaf_nodes())


def data_models() -> list[type[models.Model]]:
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.label_lower in SKIPPED:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields]


def _encode(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _line(values) -> bytes:
    return json.dumps([_encode(v) for v in values], ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def table_lines(model) -> Iterator[bytes]:
    """The canonical lines of a table, by primary key: what the backup holds and what is hashed."""
    names = [f.attname for f in _columns(model)]
    rows = model._base_manager.order_by("pk").values_list(*names).iterator(chunk_size=BATCH)
    for row in rows:
        yield _line(row) + b"\n"


def table_digest(model) -> tuple[int, str]:
    """(row count, SHA-256 of the canonical lines) of a table as it is now."""
    digest = hashlib.sha256()
    count = 0
    for line in table_lines(model):
        digest.update(line)
        count += 1
    return count, digest.hexdigest()


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".restore-") for part in p.relative_to(root).parts)
    )


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# ---- backup -------------------------------------------------------------------------------------


def _refusal(exc: OSError, path: Path) -> DomainError:
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DomainError(DISK_FULL.format(name=path.name), code="disk_full")
    return DomainError(WRITE_FAILED.format(name=path.name, error=exc.strerror or exc), code="write_failed")


def backup(path: str | os.PathLike, *, progress: Progress = _quiet) -> dict:
    """Writes the backup file at `path` (whole or not at all); returns its manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            manifest = _write(raw, progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _refusal(exc, path) from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return manifest


def _add(tar: tarfile.TarFile, name: str, handle, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    tar.addfile(info, handle)


def _write(raw, progress: Progress) -> dict:
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "release": release(),
        "schema": schema(),
        "created_at": timezone.now().isoformat(),
        "database": connection.vendor,
        "tables": {},
        "files": {},
    }
    models_ = data_models()
    files = media_files()
    total = len(models_) + len(files)
    done = 0
    with tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
        # One consistent picture of the database: every table read in one transaction
        # (PostgreSQL: one snapshot under REPEATABLE READ would be stricter; a read-only
        # transaction is what every engine offers).
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in models_:
                label = model._meta.label_lower
                digest, count = hashlib.sha256(), 0
                with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as spool:
                    for line in table_lines(model):
                        spool.write(line)
                        digest.update(line)
                        count += 1
                    size = spool.tell()
                    spool.seek(0)
                    member = f"db/{label}.jsonl"
                    _add(tar, member, spool, size)
                manifest["tables"][label] = {
                    "table": model._meta.db_table,
                    "columns": [f.attname for f in _columns(model)],
                    "rows": count,
                    "bytes": size,
                    "sha256": digest.hexdigest(),
                }
                done += 1
                progress("db", done, total)
        root = Path(settings.MEDIA_ROOT)
        for file in files:
            rel = file.relative_to(root).as_posix()
            size = file.stat().st_size
            manifest["files"][rel] = {"bytes": size, "sha256": _sha256_file(file)}
            with file.open("rb") as handle:
                _add(tar, f"media/{rel}", handle, size)
            done += 1
            progress("media", done, total)
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        _add(tar, MANIFEST, io.BytesIO(body), len(body))
    return manifest


def backup_dir() -> Path:
    return Path(getattr(settings, "DXTRACK_BACKUP_DIR", Path(settings.VAR_DIR) / "backups"))


def backup_to_dir() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = backup_dir() / f"dxtrack-{stamp}.tar.gz"
    backup(path)
    return path


def prune(*, keep: int) -> int:
    files = sorted(backup_dir().glob("dxtrack-*.tar.gz"))
    old = files[:-keep] if keep > 0 else []
    for file in old:
        file.unlink(missing_ok=True)
    return len(old)


# ---- restore ------------------------------------------------------------------------------------


@dataclass
class Checked:
    manifest: dict
    members: dict[str, str]


def _corrupt(path: Path, detail: str) -> BackupRefused:
    return BackupRefused(CORRUPT.format(name=path.name, detail=detail), code="backup_corrupt")


def verify(path: str | os.PathLike, *, progress: Progress = _quiet) -> Checked:
    """Reads the whole file and checks every member against the manifest; changes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupRefused(f"Không có tệp sao lưu {path}.", code="backup_missing")
    members: dict[str, str] = {}
    manifest_bytes = None
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            for info in tar:
                if not info.isfile():
                    raise _corrupt(path, f"phần “{info.name}” không phải tệp")
                handle = tar.extractfile(info)
                digest = hashlib.sha256()
                data = bytearray() if info.name == MANIFEST else None
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    if data is not None:
                        data.extend(chunk)
                members[info.name] = digest.hexdigest()
                if data is not None:
                    manifest_bytes = bytes(data)
                progress("verify", len(members), 0)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise _corrupt(path, str(exc) or type(exc).__name__) from exc
    if manifest_bytes is None:
        raise _corrupt(path, "thiếu bản kê (manifest.json)")
    try:
        manifest = json.loads(manifest_bytes)
        if manifest.get("format") != FORMAT:
            raise ValueError("không phải tệp sao lưu dxtrack")
    except ValueError as exc:
        raise _corrupt(path, f"bản kê không đọc được ({exc})") from exc
    if manifest.get("format_version") != FORMAT_VERSION or manifest.get("schema") != schema():
        ours, theirs = set(schema()), set(manifest.get("schema") or [])
        detail = (
            f"định dạng {manifest.get('format_version')}, bản phát hành {manifest.get('release')}; "
            f"khác biệt lược đồ: {', '.join(sorted(theirs ^ ours)[:4]) or 'không'}"
        )
        raise BackupRefused(OTHER_VERSION.format(name=path.name, detail=detail), code="backup_version")
    expected = {f"db/{label}.jsonl": t["sha256"] for label, t in manifest["tables"].items()}
    expected |= {f"media/{rel}": f["sha256"] for rel, f in manifest["files"].items()}
    for member, sha in expected.items():
        if member not in members:
            raise _corrupt(path, f"thiếu phần “{member}”")
        if members[member] != sha:
            raise _corrupt(path, f"phần “{member}” sai mã kiểm tra")
    extra = set(members) - set(expected) - {MANIFEST}
    if extra:
        raise _corrupt(path, f"có phần lạ “{sorted(extra)[0]}”")
    return Checked(manifest, members)


def _migrated() -> bool:
    return "django_migrations" in connection.introspection.table_names()


def _require_empty() -> None:
    from dxtrack.accounts.models import User
    from dxtrack.core.models import AuditEvent

    users, events = User.objects.count(), AuditEvent.objects.count()
    if users or events:
        raise BackupRefused(NOT_EMPTY.format(detail=f"{users} tài khoản, {events} sự kiện nhật ký"), code="not_empty")


def _python(field: models.Field, value):
    if value is None:
        return None
    if isinstance(field, models.BinaryField):
        return base64.b64decode(value)
    if isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


def restore(path: str | os.PathLike, *, progress: Progress = _quiet) -> dict:
    """Restores the backup at `path` into this (empty) database and MEDIA_ROOT; returns counts."""
    path = Path(path)
    checked = verify(path, progress=progress)
    manifest = checked.manifest
    by_label = {m._meta.label_lower: m for m in data_models()}
    if set(manifest["tables"]) - set(by_label):
        raise BackupRefused(
            OTHER_VERSION.format(name=path.name, detail="có bảng mà phiên bản này không có"), code="backup_version"
        )
    if _migrated():
        _require_empty()
    root = Path(settings.MEDIA_ROOT)
    present = media_files()
    if present:
        raise BackupRefused(MEDIA_NOT_EMPTY.format(path=root, count=len(present)), code="media_not_empty")
    if not _migrated():
        call_command("migrate", verbosity=0, interactive=False)
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=root))
    placed: list[Path] = []
    total = len(manifest["tables"]) + len(manifest["files"])
    done = 0
    try:
        with transaction.atomic(), _stored_as_given(by_label.values()):
            with connection.cursor() as cursor:
                for label in manifest["tables"]:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(by_label[label]._meta.db_table)}")  # noqa: S608 - our own table names
            with tarfile.open(path, mode="r:gz") as tar:
                for info in tar:
                    if info.name.startswith("db/"):
                        label = info.name[3:].removesuffix(".jsonl")
                        _load_table(by_label[label], manifest["tables"][label], tar.extractfile(info))
                    elif info.name.startswith("media/"):
                        target = staging / info.name[len("media/") :]
                        if not target.resolve().is_relative_to(staging.resolve()):
                            raise _corrupt(path, f"đường dẫn lạ “{info.name}”")
                        target.parent.mkdir(parents=True, exist_ok=True)
                        with target.open("wb") as out:
                            shutil.copyfileobj(tar.extractfile(info), out, CHUNK)
                    else:
                        continue
                    done += 1
                    progress("restore", done, total)
            _reset_sequences(list(by_label[label] for label in manifest["tables"]))
            for label, table in manifest["tables"].items():
                count, sha = table_digest(by_label[label])
                if count != table["rows"] or sha != table["sha256"]:
                    raise BackupRefused(MISMATCH.format(table=label), code="restore_mismatch")
            for rel, meta in manifest["files"].items():
                if _sha256_file(staging / rel) != meta["sha256"]:
                    raise _corrupt(path, f"tệp “{rel}” sai mã kiểm tra khi giải nén")
            for rel in manifest["files"]:
                target = root / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / rel, target)
                placed.append(target)
    except BaseException:
        for target in placed:
            target.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {
        "tables": len(manifest["tables"]),
        "rows": sum(t["rows"] for t in manifest["tables"].values()),
        "files": len(manifest["files"]),
    }


@contextlib.contextmanager
def _stored_as_given(models_):
    """Rows keep their stored moments: auto_now(_add) fields would stamp the restore's time."""
    changed = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                changed.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, now, now_add in changed:
            field.auto_now, field.auto_now_add = now, now_add


def _load_table(model, table: dict, handle) -> None:
    fields = {f.attname: f for f in _columns(model)}
    if set(table["columns"]) != set(fields):
        raise BackupRefused(f"Cột của bảng {model._meta.label_lower} khác phiên bản này.", code="backup_version")
    columns = [fields[name] for name in table["columns"]]
    batch = []
    for raw in io.TextIOWrapper(handle, encoding="utf-8"):
        values = json.loads(raw)
        obj = model(**{f.attname: _python(f, v) for f, v in zip(columns, values, strict=True)})
        batch.append(obj)
        if len(batch) >= BATCH:
            model._base_manager.bulk_create(batch)
            batch = []
    if batch:
        model._base_manager.bulk_create(batch)


def _reset_sequences(models_: list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), models_)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
