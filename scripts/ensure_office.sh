#!/usr/bin/env bash
# The official reports' PDF is the DOCX converted by LibreOffice headless (docs/adr/0009), with the
# Liberation fonts standing in for Times New Roman. Install Debian's LibreOffice Writer (no GUI),
# the fonts and poppler-utils (pdftoppm, for docs/report-first-page.png) when missing and we may
# (root, apt); otherwise say so: the PDF then answers a message and its tests skip, unless
# DXTRACK_REQUIRE_OFFICE=1 (CI).
set -u
have_office() {
  for c in "${DXTRACK_SOFFICE:-}" soffice libreoffice; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && return 0
  done
  return 1
}
# Liberation 2 (fonts-liberation2): version 1 (fonts-liberation) has no glyphs for Vietnamese
# letters such as Ỉ, Ệ and Ổ, and LibreOffice then takes them from another font, letter by letter.
have_fonts() { fc-list 2>/dev/null | grep -qi "liberation2/LiberationSerif"; }
if have_office && have_fonts; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "office: installing Debian libreoffice-writer-nogui and fonts-liberation2 for the report PDF" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui fonts-liberation2 poppler-utils; } >/dev/null 2>&1 && have_office && have_fonts && exit 0
fi
echo "office: LibreOffice not found and could not be installed; report PDFs and their tests are unavailable" >&2
exit 0
