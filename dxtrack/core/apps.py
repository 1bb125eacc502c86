import functools

from django.apps import AppConfig
from django.db.models.signals import class_prepared

from .choices import use_looked_up_labels

# Connected as this module is imported: Django imports every app's configuration before it imports
# any model, and each model's get_FOO_display is made with its class (dxtrack/core/choices.py).
class_prepared.connect(use_looked_up_labels, dispatch_uid="dxtrack_choice_labels")


class CoreConfig(AppConfig):
    name = "dxtrack.core"
    label = "core"
    verbose_name = "Lõi hệ thống"

    def ready(self):
        _admin_boolean_icons_in_vietnamese()
        from django.db.backends.signals import connection_created

        connection_created.connect(_sqlite_fold_function, dispatch_uid="dxtrack_fold")


def _sqlite_fold_function(sender, connection, **kwargs):
    """`dxtrack_fold(text)` on SQLite: the same folding as `core.text.fold`, so that a search
    without diacritics finds names written with them (PostgreSQL uses `unaccent`; ADR 0030)."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("dxtrack_fold", 1, _fold_cached, deterministic=True)


@functools.lru_cache(maxsize=65_536)
def _fold_cached(value):
    # SQLite calls it for every row a search scans, mostly on the same few thousand names:
    # remembered, a search folds each name once per process instead of once per row per query.
    from .text import fold

    return fold(value) if value is not None else None


def _admin_boolean_icons_in_vietnamese():
    """Django's admin shows a yes/no field as an icon whose alt text (read aloud, and shown when
    the icon does not load) is the English "True"/"False"/"None", untranslated. Every caller
    imports the function from this module when it runs, so replacing it here is enough; the
    page-by-page language test (dxtrack/core/tests/test_vietnamese.py) fails if that ever changes."""
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.html import format_html
    from django.utils.translation import gettext

    def boolean_icon(value):
        icon, alt = {
            True: ("yes", gettext("Có")),
            False: ("no", gettext("Không")),
            None: ("unknown", gettext("Chưa rõ")),
        }[value]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), alt)

    admin_list._boolean_icon = boolean_icon
