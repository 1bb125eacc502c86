from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dxtrack.exchange.api import api
from dxtrack.operations import views as operations

admin.site.site_header = _("dxtrack — Quản trị")
admin.site.site_title = _("dxtrack")
admin.site.index_title = _("Tổ giúp việc Ban Chỉ đạo chuyển đổi số")

urlpatterns = [
    path("", include("dxtrack.site.urls")),
    path("", include("dxtrack.core.urls")),
    path("tai-khoan/", include("dxtrack.accounts.urls")),
    path("thong-bao/", include("dxtrack.notifications.urls")),
    path("danh-muc/", include("dxtrack.org.urls")),
    path("ke-hoach/", include("dxtrack.plans.urls")),
    path("bao-cao/", include("dxtrack.reports.urls")),
    path("bao-cao/", include("dxtrack.exchange.urls")),
    path("danh-gia/", include("dxtrack.assessments.urls")),
    path("doanh-nghiep/", include("dxtrack.assessments.enterprise_urls")),
    path("tien-do/", include("dxtrack.analytics.urls")),
    path("bao-cao-dinh-ky/", include("dxtrack.publishing.urls")),
    path("du-lieu-mo/", include("dxtrack.opendata.urls")),
    path("tro-ly/", include("dxtrack.assistant.urls")),
    path("ban-chi-dao/", include("dxtrack.steering.urls")),
    path("api/", api.urls),
    path("quan-tri/", admin.site.urls),
    path("van-hanh/", include("dxtrack.operations.urls")),
    path("readyz", operations.readyz, name="readyz"),
]

handler400 = "dxtrack.core.errorviews.bad_request"
handler403 = "dxtrack.core.errorviews.forbidden"
handler404 = "dxtrack.core.errorviews.not_found"
handler500 = "dxtrack.core.errorviews.server_error"
