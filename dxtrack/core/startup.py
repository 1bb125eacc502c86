"""A long-running process's start (a web server's worker, the task worker): what every request or
task needs is loaded first, then set aside from the garbage collector (ADR 0047).

Python's cyclic collector scans, at each full collection, every container object alive: in a
Django process most of them are the modules, models, URL patterns, templates and API schemas
loaded at start, which live as long as the process. A bulk import (a hundred thousand values)
makes enough objects to trigger full collections again and again, each rescanning all of that
(about a tenth of the import's time, measured in bench/bulk.py). `gc.freeze()` moves everything
alive at that moment to a generation the collector never scans; objects made later are collected
as before, so nothing a request makes is kept longer. Under gunicorn, frozen objects are also not
written to by the collector, so a forked worker keeps sharing their memory pages."""

import gc


def warm_and_freeze() -> int:
    """Loads the URL conf (and with it every view, form and API schema) now rather than on the
    first request, then freezes every object alive. Returns how many are frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (the attribute's reading imports every view)
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
