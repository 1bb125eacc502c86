"""The worst files an upload may carry, each refused within bounds (issue 12): a workbook stuffed
with cells, a DOCX whose body inflates past its bound, a PDF whose pages' streams inflate past
theirs. Each is refused in a child process of its own, so its time and its peak memory (the
process's maximum resident set, Python and Django included) are its own. The floor is one pass
over the same bytes (their SHA-256), measured in the same run."""

import hashlib
import io
import json
import os
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TARGET_SECONDS = 2.0
TARGET_MB = 300


def _xlsx_stuffed() -> bytes:
    """Within the upload's 5 MB and the 10 MB unpacked bound: a sheet of 60.000 stored cells."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rows = "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{r}</t></is></c></row>' for r in range(1, 60_001))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Target="xl/workbook.xml" Type="{rel}/officeDocument"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}">'
            '<sheets><sheet name="Báo cáo" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{rel}/worksheet"/></Relationships>',
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet xmlns="{ns}"><sheetData>{rows}</sheetData></worksheet>',
        )
    return out.getvalue()


def _docx_bomb() -> bytes:
    """Under 1 MB, its body inflating to 60 MB of paragraphs."""
    paragraph = b"<w:p><w:r><w:t>Nhi\xe1\xbb\x87m v\xe1\xbb\xa5</w:t></w:r></w:p>"
    body = b"<w:document><w:body>" + paragraph * (60 * 1024 * 1024 // len(paragraph)) + b"</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", body)
    return out.getvalue()


def _pdf_bomb() -> bytes:
    """500 pages (the most allowed), each content stream inflating to 10 MB: 5 GB in all."""
    from dxtrack.core.tests.samples import pdf

    return pdf(b"0 0 m " * (10 * 1024 * 1024 // 6), pages=500)


CASES = {
    "upload_worst_xlsx_refused": (_xlsx_stuffed, "xlsx"),
    "upload_worst_docx_refused": (_docx_bomb, "docx"),
    "upload_worst_pdf_refused": (_pdf_bomb, "pdf"),
}


def _child(kind: str, path: str) -> None:
    """Runs in the child: refuse the file as the upload path does, print seconds and the message."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
    django.setup()
    data = Path(path).read_bytes()
    started = time.perf_counter()
    message = ""
    try:
        if kind == "xlsx":
            from dxtrack.exchange import excel

            excel._open(data, "bao-cao.xlsx")["Báo cáo"]
        else:
            from dxtrack.plans.extract.readers import read_upload

            read_upload(data, f"ke-hoach.{kind}")
    except Exception as exc:  # the refusal is what is measured
        message = getattr(exc, "message", str(exc))
    seconds = time.perf_counter() - started
    peak_mb = _peak_mb()
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "message": message}, ensure_ascii=False))


def _peak_mb() -> float:
    """This process's own peak resident memory. Linux's ru_maxrss keeps, across exec, the peak of
    the process that forked it: a child of a bench process grown to 360 MB (the demo world built
    first) reported 359 MB for a refusal that takes 140. VmHWM is the peak of this image alone."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_worst_files(results: dict, tmp: Path) -> None:
    for name, (build, kind) in CASES.items():
        data = build()
        path = tmp / f"{name}.{kind}"
        path.write_bytes(data)
        started = time.perf_counter()
        hashlib.sha256(data).hexdigest()
        floor = max(time.perf_counter() - started, 1e-6)
        out = subprocess.run(  # noqa: S603 — this interpreter, this module, a file we just wrote
            [sys.executable, "-m", "bench.hostile", kind, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        figure = json.loads(out.stdout.strip().splitlines()[-1])
        results[name] = {
            "value": round(figure["seconds"], 3),
            "unit": "s",
            "ratio": round(figure["seconds"] / floor, 1),
            "detail": f"{len(data):,} bytes; refused: «{figure['message'][:90]}»; peak memory "
            f"{figure['peak_mb']:.0f} MB (target {TARGET_SECONDS} s, {TARGET_MB} MB); floor: one SHA-256 "
            f"pass over the bytes, {floor * 1000:.1f} ms",
            "peak_mb": round(figure["peak_mb"]),
        }


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2])
