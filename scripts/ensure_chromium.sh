#!/usr/bin/env bash
# The browser tests drive Debian's Chromium: its headless build (chromium-headless-shell) in
# `make test`, and the whole browser (chromium) in CI's second browser run (ADR 0048). Install
# what is missing when we may (root, apt); otherwise say so: the browser tests then skip, unless
# DXTRACK_REQUIRE_BROWSER=1 (CI).
set -u
missing=()
[ -x /usr/bin/chromium-headless-shell ] || missing+=(chromium-headless-shell)
if [ "${DXTRACK_CHROMIUM:-}" = /usr/bin/chromium ] && [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)  # the whole browser, asked for by name (CI's second browser run)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "browser: installing Debian ${missing[*]} for the browser tests" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >/dev/null 2>&1 \
    && exit 0
fi
for c in "${DXTRACK_CHROMIUM:-}" /usr/bin/chromium-headless-shell /usr/bin/chromium; do
  [ -n "$c" ] && [ -x "$c" ] && { echo "browser: ${missing[*]} could not be installed; using $c" >&2; exit 0; }
done
echo "browser: Chromium not found and could not be installed; browser tests will be skipped" >&2
exit 0
