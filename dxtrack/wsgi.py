import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dxtrack.settings")
application = get_wsgi_application()

from dxtrack.core.startup import warm_and_freeze  # noqa: E402 (needs Django set up)

# Each gunicorn worker imports this module once: the site is loaded before its first request and
# set aside from the garbage collector (ADR 0047).
warm_and_freeze()
