"""The PDF of a report: the DOCX itself, converted by LibreOffice headless (ADR 0009), so the
PDF and the editable document can never disagree. Each conversion runs in its own temporary
directory with its own LibreOffice profile (two conversions at once would otherwise fight over
the default profile's lock) and a time limit."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from dxtrack.core.errors import DomainError

TIMEOUT_SECONDS = 180
UNAVAILABLE = (
    "Máy chủ chưa cài LibreOffice nên chưa tạo được bản PDF; bản DOCX vẫn tải được. "
    "Quản trị hệ thống chạy `make office` để cài đặt."
)


class OfficeUnavailable(DomainError):
    def __init__(self, message: str = UNAVAILABLE):
        super().__init__(message, code="office_unavailable")


def soffice() -> str | None:
    """The LibreOffice binary: DXTRACK_SOFFICE, or soffice / libreoffice on the PATH."""
    for candidate in (os.environ.get("DXTRACK_SOFFICE"), "soffice", "libreoffice"):
        if candidate and (found := shutil.which(candidate)):
            return found
    return None


def available() -> bool:
    return soffice() is not None


def docx_to_pdf(data: bytes, *, timeout: int = TIMEOUT_SECONDS) -> bytes:
    binary = soffice()
    if binary is None:
        raise OfficeUnavailable()
    with tempfile.TemporaryDirectory(prefix="dxtrack-pdf-") as tmp:
        work = Path(tmp)
        source = work / "bao-cao.docx"
        source.write_bytes(data)
        command = [
            binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - fixed arguments, our own temporary file
                command, capture_output=True, timeout=timeout, check=False, env={**os.environ, "HOME": tmp}
            )
        except subprocess.TimeoutExpired as exc:
            raise DomainError(
                f"LibreOffice không chuyển xong bản PDF trong {timeout} giây; hãy thử lại sau.", code="office_timeout"
            ) from exc
        target = work / "bao-cao.pdf"
        if done.returncode != 0 or not target.exists():
            detail = (done.stderr or done.stdout or b"").decode("utf-8", "replace").strip()[-300:]
            raise DomainError(f"LibreOffice không tạo được bản PDF. {detail}".strip(), code="office_failed")
        return target.read_bytes()
