#!/usr/bin/env bash
# `make demo`: the demo data, then the site as production runs it: gunicorn, `dxtrack worker`
# (queued work: recomputation after approval, reminders) and `dxtrack scheduler`, side by side.
# Ctrl-C (or any of the three ending) stops all three.
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in e-mails and printed addresses name the port the demo is served on.
export DXTRACK_SITE_URL=${DXTRACK_SITE_URL:-http://$HOST:$PORT}

# The demo's own loading runs its work in-process (nothing to queue for thousands of reports).
DXTRACK_TASKS=immediate "$BIN/dxtrack" demo || exit 1

export DXTRACK_TASKS=database
export DXTRACK_LOG_JSON=${DXTRACK_LOG_JSON:-1}
pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  wait "${pids[@]}" 2>/dev/null
  echo "dxtrack: đã dừng máy chủ web, tiến trình xử lý nền và bộ lập lịch." >&2
}
trap stop INT TERM EXIT

"$BIN/dxtrack" worker & pids+=($!)
"$BIN/dxtrack" scheduler & pids+=($!)
GUNICORN_BIND="$HOST:$PORT" GUNICORN_WORKERS=${GUNICORN_WORKERS:-2} \
  "$BIN/gunicorn" -c deploy/gunicorn.conf.py dxtrack.wsgi:application & pids+=($!)
echo "dxtrack: http://$HOST:$PORT/ (gunicorn), tiến trình xử lý nền và bộ lập lịch đang chạy; Ctrl-C để dừng." >&2
wait -n "${pids[@]}"
