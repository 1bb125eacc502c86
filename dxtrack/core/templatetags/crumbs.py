"""Breadcrumbs on every page, from one include in the base template (ADR 0030).

The trail is read off the URL that answered: home, the section (the URL namespace), the parents
a page names (`PARENTS`), then the page itself. A view that knows a better name for its page (a
unit's, a report's) passes `crumb`; the common objects are named without it. New pages get at
least "home › section" without any change here.
"""

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

register = template.Library()

SECTIONS = {
    "plans": (_("Kế hoạch"), "plans:index"),
    "org": (_("Danh mục tổ chức"), "org:index"),
    "reports": (_("Báo cáo"), "reports:index"),
    "exchange": (_("Báo cáo"), "reports:index"),
    "analytics": (_("Tiến độ"), "analytics:overview"),
    "publishing": (_("Báo cáo định kỳ"), "publishing:index"),
    "opendata": (_("Dữ liệu mở"), "opendata:index"),
    "accounts": (_("Tài khoản"), "accounts:profile"),
    "operations": (_("Vận hành"), "operations:commands"),  # the header's "Vận hành" opens the commands
    "core": (_("Hệ thống"), ""),
    "notifications": (_("Thông báo"), "notifications:index"),
    "site": (None, ""),  # the site's own pages sit right under home
    "enterprises": (_("Doanh nghiệp"), "enterprises:home"),
}

PAGES = {
    "plans:search": _("Tìm trong danh mục"),
    "plans:targets": _("Chỉ tiêu"),
    "plans:tasks": _("Nhiệm vụ"),
    "plans:indicator": _("Chỉ tiêu theo dõi"),
    "plans:document": _("Văn bản"),
    "plans:clause": _("Điều khoản"),
    "plans:agency": _("Nhiệm vụ của cơ quan"),
    "plans:imports": _("Nhập kế hoạch"),
    "plans:import": _("Rà soát kế hoạch nhập"),
    "org:search": _("Tìm cơ quan, đơn vị"),
    "org:agency": _("Cơ quan"),
    "org:agency_contact": _("Đầu mối"),
    "org:group": _("Nhóm cơ quan"),
    "org:unit": _("Đơn vị hành chính"),
    "org:unit_contact": _("Đầu mối"),
    "reports:obligation": _("Kỳ báo cáo"),
    "reports:completeness": _("Tổng hợp, đôn đốc"),
    "reports:period": _("Tình hình báo cáo một kỳ"),
    "reports:queue": _("Chờ duyệt"),
    "reports:queue_approve": _("Xác nhận duyệt"),
    "reports:report": _("Báo cáo"),
    "exchange:excel_upload": _("Tải lên tệp Excel"),
    "analytics:public": _("Công khai"),
    "analytics:target": _("Chỉ tiêu"),
    "analytics:agency": _("Cơ quan"),
    "analytics:commune": _("Xã, phường"),
    "analytics:ranking": _("Bảng xếp hạng"),
    "publishing:create": _("Lập báo cáo"),
    "publishing:detail": _("Báo cáo"),
    "accounts:login": _("Đăng nhập"),
    "accounts:password_change": _("Đổi mật khẩu"),
    "accounts:tokens": _("Khóa API"),
    "accounts:lockouts": _("Khóa đăng nhập"),
    "core:audit_log": _("Nhật ký thay đổi"),
    "core:job": _("Công việc nền"),
    "site:help": _("Trợ giúp"),
    "site:my_work": _("Việc của tôi"),
    "notifications:preferences": _("Cách nhận thông báo"),
    "accounts:password_reset": _("Quên mật khẩu"),
    "accounts:password_reset_done": _("Quên mật khẩu"),
    "accounts:password_reset_confirm": _("Đặt lại mật khẩu"),
    "accounts:password_reset_complete": _("Đặt lại mật khẩu"),
    "accounts:sessions": _("Phiên đăng nhập"),
    "accounts:users": _("Người dùng"),
    "operations:commands": _("Lệnh vận hành"),
    "operations:schedule": _("Lịch chạy tự động"),
    "operations:command_remind": _("Gửi nhắc báo cáo"),
    "operations:command_periods": _("Khóa sổ kỳ báo cáo"),
    "operations:command_close": _("Khóa sổ một kỳ"),
    "operations:command_unlocks": _("Mở khóa báo cáo"),
    "operations:command_unlock": _("Mở khóa một báo cáo"),
    "operations:command_recompute": _("Tính lại tiến độ"),
    "operations:command_recompute_job": _("Lần tính lại"),
    "operations:command_imports": _("Đọc lại lần nhập"),
    "operations:command_import": _("Đọc lại một lần nhập"),
    "reports:print": _("Bản in"),
    "enterprises:register": _("Đăng ký doanh nghiệp"),
    "enterprises:distribution": _("Mức chuyển đổi số của doanh nghiệp"),
}

# Pages under another page of their section: (parent label, parent URL name).
PARENTS = {
    "reports:period": (_("Tổng hợp, đôn đốc"), "reports:completeness"),
    "reports:queue_approve": (_("Chờ duyệt"), "reports:queue"),
    "plans:import": (_("Nhập kế hoạch"), "plans:imports"),
    "analytics:commune": (_("Bảng xếp hạng"), "analytics:ranking", "xa"),
    "operations:command_close": (_("Khóa sổ kỳ báo cáo"), "operations:command_periods"),
    "operations:command_unlock": (_("Mở khóa báo cáo"), "operations:command_unlocks"),
    "operations:command_import": (_("Đọc lại lần nhập"), "operations:command_imports"),
    "operations:command_recompute_job": (_("Tính lại tiến độ"), "operations:command_recompute"),
    "analytics:agency": (_("Bảng xếp hạng"), "analytics:ranking", "co-quan"),
}


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args) if name else ""
    except NoReverseMatch:
        return ""


def _object_name(context) -> str:
    """The name of the object a detail page shows, when the context holds a common one."""
    if context.get("crumb"):
        return str(context["crumb"])
    report = context.get("report")
    if report is not None and hasattr(report, "obligation"):
        ob = report.obligation
        return f"{ob.agency.name if ob.agency_id else ob.admin_unit.name} — {ob.period.label}"
    for key, attr in (("unit", "name"), ("agency", "name"), ("indicator", "name"), ("document", "reference")):
        obj = context.get(key)
        if obj is not None and hasattr(obj, attr):
            return str(getattr(obj, attr))
    page = context.get("page")
    target = getattr(page, "target", None)
    return str(target.label) if target is not None and hasattr(target, "label") else ""


@register.inclusion_tag("core/_breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    trail = []
    current = ""
    home = _url("site:home")
    if match is not None and match.namespace in SECTIONS and request.path != home:
        name = f"{match.namespace}:{match.url_name}"
        label, url_name = SECTIONS[match.namespace]
        section_url = _url(url_name)
        here = request.path == section_url
        if label is not None:
            trail.append((label, "" if here else section_url))
        if name in PARENTS:
            parent_label, parent_name, *args = PARENTS[name]
            trail.append((parent_label, _url(parent_name, *args)))
        if not here:
            current = _object_name(context) or PAGES.get(name, "")
    return {"trail": trail, "current": current, "home": home, "request": request}
