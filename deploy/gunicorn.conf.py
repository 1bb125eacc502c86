"""gunicorn's settings for dxtrack, for `make demo` and the systemd unit alike; each can be
overridden from the environment (GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Threads share a process's connections and kept state; processes use every core. Two to four
# processes per core suit a site that mostly waits on its database.
workers = int(os.environ.get("GUNICORN_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A plan's import or a report's PDF can take a while; nginx's proxy_read_timeout is set to match.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A worker restarted now and then returns any memory a large export left behind.
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Access lines go to nginx's log; the application writes its own JSON lines (with the request id).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "dxtrack-web"
