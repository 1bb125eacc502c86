"""The enterprise pages (ADR 0040): an enterprise registers itself, answers the enterprise index
and sees its levels; the secretariat sees the distribution of levels. Parse, call, render."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dxtrack.accounts.registration import Registration, RegistrationError, enterprise_register
from dxtrack.core.counters import count_in_window
from dxtrack.core.errors import DomainError, NotAllowed, NotFound
from dxtrack.core.net import client_ip
from dxtrack.org.models import Enterprise, Sector
from dxtrack.org.selectors import current_communes

from . import selectors, tables
from .scoring import LEVEL_NAMES_1970
from .services.enterprises import enterprise_answers_save, enterprise_framework, levels_of

# Registrations accepted from one address in an hour: a few enterprises sharing an office's
# connection get through, a bot filling the form in a loop does not.
REGISTER_PER_IP_HOUR = 10
FIELDS = ("name", "tax_code", "sector", "commune", "contact_person", "email", "phone")


def _commune_choices() -> list[str]:
    return [f"{u.name} — mã {u.code}" for u in current_communes()]


@never_cache
def register(request):
    """The public registration form (no log-in): the enterprise and its account at once."""
    if request.user.is_authenticated:
        if getattr(request.user, "role", None) == "enterprise":
            return redirect("enterprises:home")
        messages.info(
            request, _("Bạn đang đăng nhập bằng tài khoản cán bộ; hãy đăng xuất trước khi đăng ký doanh nghiệp.")
        )
    values = {f: "" for f in FIELDS}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and not request.user.is_authenticated:
        values = {f: str(request.POST.get(f, ""))[:300] for f in FIELDS}
        limit = getattr(settings, "DXTRACK_ENTERPRISE_REGISTER_PER_IP_HOUR", REGISTER_PER_IP_HOUR)
        if count_in_window(f"enterprise-register:ip:{client_ip(request)}") > limit:
            errors["form"] = _("Có quá nhiều lượt đăng ký từ địa chỉ mạng này trong một giờ. Vui lòng thử lại sau.")
            status = 429
        else:
            try:
                user = enterprise_register(
                    data=Registration(
                        **values,
                        password=str(request.POST.get("password", ""))[:200],
                        password_again=str(request.POST.get("password_again", ""))[:200],
                    )
                )
            except RegistrationError as exc:
                errors, status = exc.fields, 400
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Đã đăng ký doanh nghiệp. Tên đăng nhập của bạn là mã số thuế %(code)s.")
                    % {"code": user.username},
                )
                return redirect("enterprises:home")
    return render(
        request,
        "assessments/enterprise_register.html",
        {
            "values": values,
            "errors": errors,
            "sectors": Sector.choices,
            "communes": _commune_choices(),
            "signed_in": request.user.is_authenticated,
        },
        status=status,
    )


def _own_enterprise(request) -> Enterprise:
    access = request.access
    if not access.is_enterprise:
        raise NotAllowed(_("Trang này dành cho tài khoản doanh nghiệp."))
    return Enterprise.objects.select_related("admin_unit").get(pk=access.enterprise_id)


def _render_home(request, enterprise, *, error: str = "", status: int = 200, part: bool = False):
    """The enterprise's page; with `part`, only its results (what a saved choice changes, and all
    htmx swaps in): not the whole questionnaire again for each of its 64 choices."""
    year = timezone.localdate().year
    framework = enterprise_framework(year)
    results = list(selectors.enterprise_results(request.access, enterprise.pk))
    current = next((r for r in results if framework and r.year == year and r.framework_id == framework.pk), None)
    answers = dict(current.answers) if current else {}
    context = {
        "enterprise": enterprise,
        "year": year,
        "framework": framework,
        "result": current,
        "past": [r for r in results if r is not current],
        "error": error,
        "levels": sorted(LEVEL_NAMES_1970.items()),
    }
    if framework is not None:
        computed = levels_of(framework, answers)
        context["pillars"] = selectors.enterprise_pillars(framework, answers, computed)
        context["missing"] = sum(p["count"] - p["answered"] for p in context["pillars"])
    template = "assessments/_enterprise_results.html" if part else "assessments/enterprise_home.html"
    return render(request, template, context, status=status)


@login_required
def home(request):
    """The enterprise's page: this year's questionnaire, its levels at once, past years' results.
    The secretariat is sent to the distribution."""
    if request.access.is_province_wide:
        return redirect("enterprises:distribution")
    return _render_home(request, _own_enterprise(request))


@login_required
@require_POST
def answer(request):
    """Saves one pillar's levels (the form posts itself on each change); answers the page, whose
    results part htmx swaps in."""
    enterprise = _own_enterprise(request)
    year = timezone.localdate().year
    framework = enterprise_framework(year)
    if framework is None:
        raise NotFound()
    given = {key[2:]: value for key, value in request.POST.items() if key.startswith("c_")}
    try:
        enterprise_answers_save(
            actor=request.access, enterprise=enterprise, framework=framework, year=year, answers=given
        )
    except NotAllowed:
        raise
    except DomainError as exc:
        if request.headers.get("HX-Request"):
            return _render_home(request, enterprise, error=exc.message, status=400, part=True)
        messages.error(request, exc.message)
        return redirect("enterprises:home")
    if request.headers.get("HX-Request"):
        return _render_home(request, enterprise, part=True)
    messages.success(request, _("Đã lưu."))
    return redirect("enterprises:home")


@login_required
def distribution(request):
    """Enterprises by level, by sector and by commune, for a year (the secretariat and the
    province's leaders); each table in Excel or CSV."""
    from dxtrack.core.exports import export_response

    if not request.access.is_province_wide:
        raise NotFound()
    this_year = timezone.localdate().year
    raw = str(request.GET.get("nam", "")).strip()
    # ASCII digits only: "²" is a digit to str.isdigit() and no number to int()
    year = int(raw) if re.fullmatch(r"[0-9]{4}", raw) and 2000 <= int(raw) <= this_year + 1 else this_year
    data = selectors.level_distribution(request.access, year)
    response = export_response(
        request,
        {
            "nganh": lambda: tables.enterprise_levels(data, "nganh"),
            "xa": lambda: tables.enterprise_levels(data, "xa"),
        },
        f"doanh-nghiep-theo-muc-{year}",
    )
    if response is not None:
        return response
    return render(
        request,
        "assessments/enterprise_distribution.html",
        {
            "data": data,
            "year": year,
            "years": list(range(this_year, this_year - 6, -1)),
            "level_names": [(level, LEVEL_NAMES_1970[level]) for level in data.levels],
            "sector_chart": selectors.level_chart(data, data.by_sector, _("Theo ngành kinh tế")),
            "commune_chart": selectors.level_chart(data, data.by_commune[:30], _("Theo xã, phường")),
        },
    )
