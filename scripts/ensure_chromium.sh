#!/usr/bin/env bash
# The browser tests drive Debian's Chromium. Install it when it is missing and we may (root,
# apt); otherwise say so: the browser tests then skip, unless DXTRACK_REQUIRE_BROWSER=1 (CI).
set -u
for c in "${DXTRACK_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
  [ -n "$c" ] && [ -x "$c" ] && exit 0
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser: installing Debian chromium for the browser tests" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    && exit 0
fi
echo "browser: Chromium not found and could not be installed; browser tests will be skipped" >&2
exit 0
