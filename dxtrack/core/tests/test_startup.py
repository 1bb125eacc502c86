"""A server's worker starts with the site loaded and set aside from the garbage collector (ADR 0047)."""

import gc
import importlib
import subprocess
import sys
import weakref

from django.urls import clear_url_caches, get_resolver

from dxtrack.core.testing import child_environ


def test_importing_the_wsgi_module_loads_the_url_conf_and_freezes_what_is_alive():
    # Given a process that has frozen nothing and has not read its URL conf (as gunicorn's worker
    # before it imports the application)
    gc.unfreeze()
    clear_url_caches()
    sys.modules.pop("dxtrack.wsgi", None)
    assert gc.get_freeze_count() == 0
    assert "url_patterns" not in vars(get_resolver())
    # When it imports the application
    module = importlib.import_module("dxtrack.wsgi")
    # Then the URL conf (every view) is loaded before any request, and what was alive is frozen
    assert callable(module.application)
    assert "url_patterns" in vars(get_resolver())
    assert gc.get_freeze_count() > 10_000


def test_objects_made_after_the_start_are_still_collected():
    # Given a started process
    from dxtrack.core.startup import warm_and_freeze

    warm_and_freeze()

    # When a request makes a reference cycle and drops it
    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first
    kept = weakref.ref(first)
    del first, second
    # Then the collector still frees it (what was alive at the start is set aside, the collector
    # is not turned off)
    gc.collect()
    assert kept() is None


def test_a_test_process_collects_with_the_suites_thresholds(monkeypatch):
    # (set by the conftest once the test modules are loaded, ADR 0049: the suite's, unless the run
    # was given others to compare)
    from dxtrack.core.testing import GC_THRESHOLDS, gc_thresholds

    assert gc.get_threshold() == gc_thresholds()
    monkeypatch.delenv("DXTRACK_TEST_GC_THRESHOLDS", raising=False)
    assert gc_thresholds() == GC_THRESHOLDS == (20_000, 20, 20)
    monkeypatch.setenv("DXTRACK_TEST_GC_THRESHOLDS", "700,10,10")
    assert gc_thresholds() == (700, 10, 10)


def test_a_command_starts_without_the_api_library():
    # Given a new process with Django set up as every command and the task worker set it up
    code = (
        "import sys, django; django.setup(); "
        "tops = {m.split('.')[0] for m in sys.modules}; "
        "print(sorted((tops & {'ninja', 'pydantic'}) | ({'django.test'} & set(sys.modules))))"
    )
    # When it has loaded every app
    done = subprocess.run(  # noqa: S603 (this interpreter, our code)
        [sys.executable, "-c", code],
        env=child_environ(DJANGO_SETTINGS_MODULE="dxtrack.settings"),
        capture_output=True,
        text=True,
        check=True,
    )
    # Then neither django-ninja nor pydantic is imported: only answering the API needs them (ADR 0051);
    # nor Django's test tools, which only a queued download uses
    assert done.stdout.strip() == "[]"


def test_the_api_docs_find_swagger_ui_among_the_sites_static_files():
    # Given django-ninja, which is not an installed app
    from django.conf import settings
    from django.contrib.staticfiles import finders

    assert "ninja" not in settings.INSTALLED_APPS
    # Then the files its Swagger page loads are found among the site's static files
    for name in ("ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"):
        assert finders.find(name) is not None, name
