"""The steering committee's own records: its membership over time, its sessions (invitations,
attendance, minutes, the conclusions notice), the closing of directives, and the inspections
with their findings and corrective actions (ADR 0035).

A directive is not a model here: it is a plans Task of the session's conclusions notice (a plans
Document of kind "thông báo kết luận"), so reports, overdue logic, scorecards and the agency's page
treat it as any task. This app adds only what a task lacks: its session and its closing.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CommitteeMember(models.Model):
    """A seat on the steering committee held by a person from one date to another."""

    person = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=200)
    committee_role = models.CharField(_("chức danh trong Ban Chỉ đạo"), max_length=100)
    agency = models.ForeignKey(
        "org.Agency", verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("từ ngày"))
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)
    position_order = models.PositiveSmallIntegerField(default=100)

    class Meta:
        verbose_name = _("thành viên Ban Chỉ đạo")
        verbose_name_plural = _("thành viên Ban Chỉ đạo")
        ordering = ["position_order", "person"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="committeemember_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.committee_role}"

    def serves_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class SessionKind(models.TextChoices):
    QUARTERLY = "quarterly", _("Phiên họp quý")
    SIX_MONTH = "six_month", _("Sơ kết 6 tháng")
    NINE_MONTH = "nine_month", _("Sơ kết 9 tháng")
    YEAR_END = "year_end", _("Tổng kết năm")
    EXTRAORDINARY = "extraordinary", _("Phiên họp bất thường")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Đã lên lịch")
    HELD = "held", _("Đã họp")
    CANCELLED = "cancelled", _("Đã hủy")


class Session(models.Model):
    kind = models.CharField(_("loại phiên họp"), max_length=16, choices=SessionKind.choices)
    date = models.DateField(_("ngày họp"))
    title = models.CharField(_("tên phiên họp"), max_length=300)
    venue = models.CharField(_("địa điểm"), max_length=200, blank=True)
    chair = models.ForeignKey(
        CommitteeMember, verbose_name=_("chủ trì"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The plan whose reports carry the directives (its reporting rule asks them every period).
    plan = models.ForeignKey(
        "plans.Document",
        verbose_name=_("kế hoạch theo dõi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    minutes = models.TextField(_("biên bản"), blank=True, max_length=20000)
    # The conclusions notice as imported (a plans draft import, then its published Document).
    conclusions_import = models.OneToOneField(
        "plans.PlanImport", null=True, blank=True, on_delete=models.SET_NULL, related_name="steering_session"
    )
    conclusions = models.OneToOneField(
        "plans.Document",
        verbose_name=_("thông báo kết luận"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="steering_session",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phiên họp Ban Chỉ đạo")
        verbose_name_plural = _("phiên họp Ban Chỉ đạo")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title if f"{self.date:%d/%m/%Y}" in self.title else f"{self.title} ({self.date:%d/%m/%Y})"


class Attendance(models.TextChoices):
    INVITED = "invited", _("Được mời")
    PRESENT = "present", _("Có mặt")
    DELEGATED = "delegated", _("Cử người dự thay")
    ABSENT = "absent", _("Vắng mặt")


class SessionMember(models.Model):
    """A member invited to a session, and after it whether they came."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(CommitteeMember, on_delete=models.PROTECT, related_name="sessions")
    attendance = models.CharField(_("tham dự"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("thành viên dự họp")
        verbose_name_plural = _("thành viên dự họp")
        ordering = ["session", "member__position_order", "member__person"]
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="sessionmember_once")]

    def __str__(self) -> str:
        return f"{self.member} @ {self.session_id}"


class BriefingPack(models.Model):
    """The briefing pack prepared for a session as of a date: its facts as gathered then (the
    dashboards' numbers of that day), kept so that the next session's pack can say what moved."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="packs")
    as_of = models.DateField(_("số liệu đến ngày"))
    facts = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("tài liệu phục vụ phiên họp")
        verbose_name_plural = _("tài liệu phục vụ phiên họp")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.session} — {self.as_of:%d/%m/%Y}"


class DirectiveClosure(models.Model):
    """The secretariat's closing of a directive (a conclusions notice's task), with its reason."""

    task = models.OneToOneField("plans.Task", on_delete=models.PROTECT, related_name="steering_closure")
    reason = models.TextField(_("lý do đóng"), max_length=2000)
    closed_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("đóng chỉ đạo")
        verbose_name_plural = _("đóng chỉ đạo")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.reason[:60]}"


# ---- inspections ----------------------------------------------------------------------------------


class InspectionPlan(models.Model):
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    title = models.CharField(_("tên kế hoạch kiểm tra"), max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("kế hoạch kiểm tra")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return self.title


class InspectionTeam(models.Model):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("đoàn kiểm tra"), max_length=150)
    leader = models.CharField(_("trưởng đoàn"), max_length=150)
    members = models.TextField(_("thành viên"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("đoàn kiểm tra")
        verbose_name_plural = _("đoàn kiểm tra")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    DONE = "done", _("Đã kiểm tra")


class InspectionVisit(models.Model):
    """One team's visit to one agency or commune on a date."""

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="visits")
    team = models.ForeignKey(InspectionTeam, on_delete=models.PROTECT, related_name="visits")
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    admin_unit = models.ForeignKey("org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("ngày kiểm tra"))
    status = models.CharField(max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)

    class Meta:
        verbose_name = _("cuộc kiểm tra")
        verbose_name_plural = _("cuộc kiểm tra")
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(admin_unit__isnull=True))
                | (Q(agency__isnull=True) & Q(admin_unit__isnull=False)),
                name="inspectionvisit_one_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.date:%d/%m/%Y})"

    @property
    def unit(self):
        return self.agency or self.admin_unit


class FindingState(models.TextChoices):
    OPEN = "open", _("Chưa trả lời")
    ANSWERED = "answered", _("Đơn vị đã trả lời")
    CLOSED = "closed", _("Đã khắc phục xong")


class Finding(models.Model):
    """What a visit found, against one of the unit's tasks or reports (or in general)."""

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="findings")
    text = models.TextField(_("nội dung phát hiện"), max_length=4000)
    task = models.ForeignKey("plans.Task", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey("reports.Report", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    answer = models.TextField(_("trả lời của đơn vị"), blank=True, max_length=4000)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("phát hiện kiểm tra")
        verbose_name_plural = _("phát hiện kiểm tra")
        ordering = ["visit", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionState(models.TextChoices):
    OPEN = "open", _("Đang khắc phục")
    DONE = "done", _("Đã hoàn thành")


class CorrectiveAction(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("biện pháp khắc phục"), max_length=2000)
    owner = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_unit = models.ForeignKey("org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    deadline = models.DateField(_("thời hạn"))
    state = models.CharField(max_length=10, choices=ActionState.choices, default=ActionState.OPEN)
    done_at = models.DateField(null=True, blank=True)
    done_note = models.TextField(_("kết quả"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("biện pháp khắc phục")
        verbose_name_plural = _("biện pháp khắc phục")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def owner_name(self) -> str:
        return str(self.owner or self.owner_unit or "")
