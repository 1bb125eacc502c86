#!/usr/bin/env bash
# Scanned plans are read by Tesseract with Debian's Vietnamese data (docs/adr/00XX-ocr-for-scanned-plans.md),
# called through pytesseract. Install Debian's tesseract-ocr and tesseract-ocr-vie (and the DejaVu fonts the
# synthetic test layouts are drawn with) when missing and we may (root, apt); otherwise say so: scanned PDFs
# then answer a message and their tests skip, unless DXTRACK_REQUIRE_OCR=1 (CI).
set -u
have_ocr() {
  command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie
}
have_fonts() { [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; }
if have_ocr && have_fonts; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ocr: installing Debian tesseract-ocr, tesseract-ocr-vie and fonts-dejavu-core for scanned plans" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      tesseract-ocr tesseract-ocr-vie fonts-dejavu-core; } >/dev/null 2>&1 && have_ocr && have_fonts && exit 0
fi
echo "ocr: Tesseract with Vietnamese data not found and could not be installed; scanned PDFs and their tests are unavailable" >&2
exit 0
