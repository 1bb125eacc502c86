"""The plan register: documents, their clauses, indicators and targets, tasks, reporting rules;
and the draft imports the secretariat reviews before anything enters the register."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    DECISION = "quyet_dinh", _("Quyết định")
    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    PLAN = "ke_hoach", _("Kế hoạch")
    PROGRAMME = "chuong_trinh", _("Chương trình")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    # A steering committee's conclusions notice: each directive in it is a task (steering, ADR 0035).
    CONCLUSIONS = "thong_bao_kl", _("Thông báo kết luận")
    OTHER = "khac", _("Khác")


DOCUMENT_TYPE_BY_NAME = {label: value for value, label in DocumentType.choices}


class Pillar(models.TextChoices):
    GOVERNMENT = "chinh_quyen_so", _("Chính quyền số")
    ECONOMY = "kinh_te_so", _("Kinh tế số")
    SOCIETY = "xa_hoi_so", _("Xã hội số")
    INFRASTRUCTURE = "ha_tang_so", _("Hạ tầng số")
    SECURITY = "an_toan_thong_tin", _("An toàn thông tin")
    WORKFORCE = "nhan_luc_so", _("Nhân lực số")


class Document(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    doc_type = models.CharField(_("loại văn bản"), max_length=20, choices=DocumentType.choices)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    implements = models.ForeignKey(
        "self",
        verbose_name=_("thực hiện văn bản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="implemented_by",
    )
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True)
    version = models.PositiveIntegerField(_("lần cập nhật"), default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản kế hoạch")
        verbose_name_plural = _("văn bản kế hoạch")
        ordering = ["-issued_on", "code"]

    def __str__(self) -> str:
        # A cut title says it is cut ("…"), not "…đến năm 2025, định hướng đến" read as the whole name.
        return f"{self.reference} — {Truncator(self.title).chars(80)}"

    @property
    def reference(self) -> str:
        """How people cite it: its number, or its type and year while it has none."""
        if self.number:
            return self.number
        return f"{self.get_doc_type_display()} năm {self.year}" if self.year else self.get_doc_type_display()


class Clause(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="clauses")
    path = models.CharField(_("điều khoản"), max_length=60)
    heading = models.CharField(_("tiêu đề"), max_length=500, blank=True)
    line = models.PositiveIntegerField(_("dòng trong văn bản"), default=0)

    class Meta:
        verbose_name = _("điều khoản")
        verbose_name_plural = _("điều khoản")
        ordering = ["document", "line", "path"]
        constraints = [models.UniqueConstraint(fields=["document", "path"], name="clause_once_per_document")]

    def __str__(self) -> str:
        return f"{self.document.number or self.document.code} {self.path}"


class Direction(models.TextChoices):
    INCREASE = "increase", _("càng cao càng tốt")
    DECREASE = "decrease", _("càng thấp càng tốt")


class Aggregation(models.TextChoices):
    SUM = "sum", _("cộng")
    RATIO = "ratio", _("tỷ lệ: tổng tử số / tổng mẫu số")
    MEAN = "mean", _("trung bình")
    WEIGHTED_MEAN = "weighted_mean", _("trung bình có trọng số")
    NONE = "none", _("chỉ cấp tỉnh báo cáo")


class Indicator(models.Model):
    code = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, blank=True)
    sector = models.CharField(_("ngành, lĩnh vực"), max_length=60, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    data_source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    aggregation = models.CharField(
        _("cách tổng hợp"), max_length=20, choices=Aggregation.choices, default=Aggregation.NONE
    )
    limit = models.FloatField(_("giới hạn tự nhiên"), null=True, blank=True, help_text=_("100 cho tỷ lệ phần trăm"))

    class Meta:
        verbose_name = _("chỉ tiêu theo dõi")
        verbose_name_plural = _("chỉ tiêu theo dõi")
        ordering = ["pillar", "name"]

    def __str__(self) -> str:
        return self.name


class InForceQuerySet(models.QuerySet):
    """Register items a revision may retire: `valid_to` is the last day an item was in force.
    Retired items stay (reports, values and task updates refer to them) and leave what is
    planned, assessed and asked for from the day after."""

    def in_force(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))

    def retired(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(valid_to__lt=on)


VALID_TO_HELP = _("Ngày cuối cùng còn áp dụng; để trống khi văn bản hiện hành còn quy định mục này.")


def _valid_to():
    return models.DateField(_("áp dụng đến ngày"), null=True, blank=True, help_text=VALID_TO_HELP)


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("đạt, trên, tối thiểu")
    AT_MOST = "<=", _("dưới, không quá")
    EQUAL = "=", _("bằng")
    RANGE = "range", _("trong khoảng")


class Target(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="targets")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets")
    indicator = models.ForeignKey(
        Indicator,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("chỉ tiêu theo dõi"),
    )
    label = models.CharField(_("nội dung chỉ tiêu"), max_length=500)
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    value_max = models.FloatField(_("giá trị trên"), null=True, blank=True)
    comparator = models.CharField(_("so sánh"), max_length=6, choices=Comparator.choices, default=Comparator.AT_LEAST)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, blank=True)
    sector = models.CharField(_("ngành, lĩnh vực"), max_length=60, blank=True)
    scope = models.CharField(_("phạm vi"), max_length=120, blank=True, default="toàn tỉnh")
    position = models.PositiveIntegerField(default=0)
    valid_to = _valid_to()

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["document", "position"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(comparator="range") | Q(value_max__isnull=False),
                name="target_range_has_upper_bound",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label[:80]} ({self.year})"


class Recurrence(models.TextChoices):
    ONCE = "once", _("một lần")
    QUARTERLY = "quarterly", _("hằng quý")
    SEMIANNUAL = "semiannual", _("6 tháng")
    YEARLY = "yearly", _("hằng năm")
    CONTINUOUS = "continuous", _("thường xuyên")


class Task(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="tasks")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks")
    group = models.CharField(_("nhóm nhiệm vụ"), max_length=300, blank=True)
    title = models.CharField(_("nhiệm vụ"), max_length=1000)
    output = models.CharField(_("sản phẩm, kết quả"), max_length=1000, blank=True)
    deadline_text = models.CharField(_("thời hạn (như văn bản ghi)"), max_length=200, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    recurrence = models.CharField(_("lặp lại"), max_length=12, choices=Recurrence.choices, blank=True)
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, blank=True)
    sector = models.CharField(_("ngành, lĩnh vực"), max_length=60, blank=True)
    position = models.PositiveIntegerField(default=0)
    valid_to = _valid_to()

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["document", "position"]

    def __str__(self) -> str:
        return self.title[:100]

    @property
    def deadline_label(self) -> str:
        """The deadline as pages and documents show it: its date, else the plan's words ("Tháng 12",
        "Hàng Quý"), else its recurrence; a task the plan gives none says so, never a blank."""
        if self.deadline:
            return f"{self.deadline:%d/%m/%Y}"
        if self.deadline_text:
            return self.deadline_text
        if self.recurrence:
            return str(Recurrence(self.recurrence).label).capitalize()
        return str(_("Không quy định"))


class PartyRole(models.TextChoices):
    LEAD = "lead", _("chủ trì")
    COORDINATING = "coordinating", _("phối hợp")


class TaskParty(models.Model):
    """One body named on a task, as written and as resolved (agency, group or unit)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("vai trò"), max_length=12, choices=PartyRole.choices)
    text = models.CharField(_("tên như văn bản ghi"), max_length=300)
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="task_parties"
    )
    group = models.ForeignKey(
        "org.AgencyGroup", null=True, blank=True, on_delete=models.PROTECT, related_name="task_parties"
    )
    admin_unit = models.ForeignKey(
        "org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="task_parties"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("cơ quan thực hiện")
        verbose_name_plural = _("cơ quan thực hiện")
        ordering = ["task", "role", "position"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=True) & Q(group__isnull=True))
                | (Q(agency__isnull=True) & Q(admin_unit__isnull=True))
                | (Q(group__isnull=True) & Q(admin_unit__isnull=True)),
                name="taskparty_one_target",
            )
        ]

    def __str__(self) -> str:
        return str(self.agency or self.group or self.admin_unit or self.text)


class PeriodType(models.TextChoices):
    QUARTERLY = "quarterly", _("hằng quý")
    SEMIANNUAL = "semiannual", _("6 tháng")
    YEARLY = "yearly", _("hằng năm")
    ONCE = "once", _("một lần")


class ReportingRule(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="reporting_rules")
    clause = models.ForeignKey(Clause, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reporters_text = models.CharField(_("đơn vị báo cáo (như văn bản ghi)"), max_length=500, blank=True)
    reporter_groups = models.ManyToManyField(
        "org.AgencyGroup", blank=True, related_name="+", verbose_name=_("nhóm đơn vị báo cáo")
    )
    reporters = models.ManyToManyField(
        "org.Agency", blank=True, related_name="reporting_rules", verbose_name=_("đơn vị báo cáo")
    )
    recipient = models.ForeignKey(
        "org.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("nơi nhận báo cáo"),
    )
    period_type = models.CharField(_("kỳ báo cáo"), max_length=12, choices=PeriodType.choices)
    due = models.JSONField(
        _("hạn gửi"), default=list, blank=True, help_text=_('Ngày/tháng ("30/6"), hoặc quy tắc ("15 tháng cuối quý")')
    )
    valid_to = _valid_to()

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định báo cáo")
        verbose_name_plural = _("quy định báo cáo")

    def __str__(self) -> str:
        return f"{self.get_period_type_display()} — {self.document}"


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("đang duyệt")
    PUBLISHED = "published", _("đã đưa vào danh mục")
    DISCARDED = "discarded", _("đã hủy")


class PlanImport(models.Model):
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    source_text = models.TextField()
    year_context = models.PositiveSmallIntegerField(null=True, blank=True)
    meta = models.JSONField(default=dict)  # the document fields as extracted, then as reviewed
    warnings = models.JSONField(default=list, blank=True)
    document = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imports",
        help_text=_("Văn bản trong danh mục mà lần nhập này cập nhật (nếu có)."),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # What publishing did to the register: updated, kept, retired, deleted (see services.Outcome).
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lần nhập kế hoạch")
        verbose_name_plural = _("lần nhập kế hoạch")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%d/%m/%Y %H:%M})"


class ItemKind(models.TextChoices):
    TARGET = "target", _("chỉ tiêu")
    TASK = "task", _("nhiệm vụ")
    REPORTING = "reporting", _("quy định báo cáo")


class Decision(models.TextChoices):
    PENDING = "pending", _("chưa duyệt")
    ACCEPTED = "accepted", _("chấp nhận")
    REJECTED = "rejected", _("loại bỏ")


class ChangeType(models.TextChoices):
    NEW = "new", _("mới")
    CHANGED = "changed", _("thay đổi")
    UNCHANGED = "unchanged", _("không đổi")
    REMOVED = "removed", _("không còn trong bản mới")


class ImportItem(models.Model):
    plan_import = models.ForeignKey(PlanImport, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=ItemKind.choices)
    position = models.PositiveIntegerField()
    clause = models.CharField(max_length=60, blank=True)
    line = models.PositiveIntegerField(default=0)
    payload = models.JSONField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    change = models.CharField(max_length=10, choices=ChangeType.choices, default=ChangeType.NEW)
    matched_id = models.PositiveBigIntegerField(null=True, blank=True)  # the register's Target or Task
    before = models.JSONField(null=True, blank=True)  # the register's version, when changed or removed

    class Meta:
        verbose_name = _("mục đề xuất của lần nhập")
        verbose_name_plural = _("mục đề xuất của lần nhập")
        ordering = ["plan_import", "kind", "position"]
        constraints = [
            models.UniqueConstraint(fields=["plan_import", "kind", "position"], name="importitem_position_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.position}"
