#!/usr/bin/env bash
# Brings a machine that has only python3, make and git to a working .venv (uv.lock pinned).
# Django 6 needs Python >= 3.12: we look for one already on the machine before asking uv to
# download one, because the download needs the internet and most of our machines have none.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
TOOLS=.tools
UV="$TOOLS/bin/uv"

say() { printf 'bootstrap: %s\n' "$*" >&2; }

install_uv() {
  if [ -x "$UV" ] && "$UV" --version 2>/dev/null | grep -q " $UV_VERSION"; then return; fi
  say "installing uv $UV_VERSION into $TOOLS/"
  if python3 -m venv "$TOOLS" 2>/dev/null; then
    "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  else
    # Debian without python3-venv: pip can still drop uv's binary into a folder of ours.
    python3 -m pip install --quiet --disable-pip-version-check --target "$TOOLS/lib" "uv==$UV_VERSION"
    mkdir -p "$TOOLS/bin" && ln -sf "../lib/bin/uv" "$UV"
  fi
}

python_ok() {
  "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local c
  for c in "${DXTRACK_PYTHON:-}" python3.14 python3.13 python3.12 python3; do
    [ -n "$c" ] || continue
    c=$(command -v "$c" 2>/dev/null) || continue
    if python_ok "$c"; then echo "$c"; return 0; fi
  done
  for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] \
           /opt/python*/bin/python3; do
    if [ -x "$c" ] && python_ok "$c"; then echo "$c"; return 0; fi
  done
  c=$("$UV" python find '>=3.12' 2>/dev/null) && python_ok "$c" && { echo "$c"; return 0; }
  return 1
}

# Every `make test`, `make demo` and `make lint` runs this first. Once the .venv is synced from
# these files, syncing again changes nothing and still costs about 1,4 s before the first test
# (a Python found by starting several, uv checking every package): a stamp of the files the last
# sync was made from, and of the Python asked for, skips it. DXTRACK_SYNC=1 syncs anyway (a
# package changed by hand in .venv).
STAMP=.venv/.dxtrack-synced
sources_digest() {
  local files=(pyproject.toml scripts/bootstrap.sh)
  [ -f uv.lock ] && files+=(uv.lock)
  { sha256sum "${files[@]}"; echo "python: ${DXTRACK_PYTHON:-}"; } | sha256sum | cut -c1-32
}
if [ "${DXTRACK_SYNC:-}" != 1 ] && [ -x .venv/bin/python ] && [ -f "$STAMP" ] \
   && [ "$(cat "$STAMP")" = "$(sources_digest)" ]; then
  say "ready: .venv ($("$PWD/.venv/bin/python" --version)), in sync with uv.lock"
  exit 0
fi

install_uv
if ! PY=$(find_python); then
  say "no Python >= 3.12 found; asking uv to install one"
  "$UV" python install 3.13 || {
    say "LỖI: cần Python >= 3.12 (Django 6). Cài python3.12 trở lên hoặc đặt DXTRACK_PYTHON=/đường/dẫn/python."
    exit 1
  }
  PY=$(find_python)
fi

export UV_PROJECT_ENVIRONMENT=.venv
# --compile-bytecode: the packages' .pyc files are written once, here, as pip writes them when it
# installs (uv leaves them out by default). Without them every new process compiles what it
# imports until one of them has written the file: on a new clone both test workers compiled the
# same modules side by side, and each gunicorn worker of a first `make demo` did too. uv does it
# on both cores (about 12 s of CPU, 6 s here) and skips it while the .venv is in sync.
if [ -f uv.lock ]; then
  "$UV" sync --locked --compile-bytecode --python "$PY" --quiet
else
  "$UV" sync --compile-bytecode --python "$PY" --quiet
fi
sources_digest > "$STAMP"
say "ready: .venv ($("$PWD/.venv/bin/python" --version))"
