"""Who reports: administrative units and agencies, both dated, with the changes between them."""

import datetime

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dxtrack.core.text import fold

# Stands in for "since always" in uniqueness checks, where NULLs would never clash.
BEGINNING = datetime.date(1900, 1, 1)


class Dated(models.Model):
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    class Meta:
        abstract = True

    def valid_at(self, at: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= at) and (self.valid_to is None or at <= self.valid_to)

    @staticmethod
    def valid_at_q(at: datetime.date, prefix: str = "") -> Q:
        return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": at})) & (
            Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": at})
        )


def dated_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
        name=name,
        violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
    )


class Share(models.TextChoices):
    FULL = "full", _("toàn bộ")
    PARTIAL = "partial", _("một phần")


class AdminLevel(models.TextChoices):
    PROVINCE = "province", _("cấp tỉnh")
    DISTRICT = "district", _("cấp huyện")
    COMMUNE = "commune", _("cấp xã")


class AdminUnit(Dated):
    """A unit of the statistics office's list. Codes are reused across the 2025 reform, so the
    same (level, code) may name two units at different dates."""

    code = models.CharField(_("mã thống kê"), max_length=10)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=40, help_text=_("Xã, Phường, Thị trấn, Huyện, Thị xã, Tỉnh…"))
    level = models.CharField(_("cấp"), max_length=10, choices=AdminLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "name"]
        constraints = [
            models.UniqueConstraint(
                "level",
                "code",
                Coalesce("valid_from", Value(BEGINNING)),
                name="adminunit_code_once_per_start",
            ),
            dated_constraint("adminunit_valid_range"),
        ]
        indexes = [models.Index(fields=["level", "code"]), models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived search key, not business logic: kept in step with the name it folds.
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class ChangeKind(models.TextChoices):
    MERGE = "merge", _("sáp nhập")
    SPLIT = "split", _("chia tách")
    RENAME = "rename", _("đổi tên")


class AdminUnitChange(models.Model):
    """One edge of a reorganisation: (part of) `old` became (part of) `new` on `date`."""

    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=ChangeKind.choices)
    date = models.DateField(_("ngày hiệu lực"))
    old = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị cũ"), on_delete=models.PROTECT, related_name="changes_out"
    )
    new = models.ForeignKey(
        AdminUnit, verbose_name=_("đơn vị mới"), on_delete=models.PROTECT, related_name="changes_in"
    )
    share = models.CharField(_("phạm vi"), max_length=10, choices=Share.choices)
    legal_basis = models.CharField(_("căn cứ"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("thay đổi đơn vị hành chính")
        verbose_name_plural = _("thay đổi đơn vị hành chính")
        ordering = ["date", "new__name", "old__name"]
        constraints = [
            models.UniqueConstraint(fields=["old", "new", "date"], name="adminunitchange_once"),
            models.CheckConstraint(condition=~Q(old=F("new")), name="adminunitchange_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new} ({self.date:%d/%m/%Y})"


class AgencyKind(models.TextChoices):
    PEOPLE_COMMITTEE = "people_committee", _("Ủy ban nhân dân")
    PEOPLES_COUNCIL = "peoples_council", _("Hội đồng nhân dân")
    PARTY = "party", _("Cơ quan Đảng")
    DEPARTMENT = "department", _("Sở, cơ quan ngang sở")
    BOARD = "board", _("Ban, đơn vị thuộc tỉnh")
    CENTRAL = "central", _("Bộ, ngành Trung ương")
    CENTRAL_BRANCH = "central_branch", _("Cơ quan Trung ương đóng trên địa bàn")
    UNION = "union", _("Mặt trận, đoàn thể")
    ASSOCIATION = "association", _("Hội, hiệp hội")
    UNIVERSITY = "university", _("Trường đại học, cao đẳng")
    PRESS = "press", _("Cơ quan báo chí")
    TELECOM = "telecom", _("Doanh nghiệp viễn thông, bưu chính")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    OTHER = "other", _("Khác")


class Agency(Dated):
    code = models.SlugField(_("mã"), max_length=40, unique=True, allow_unicode=False)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    aliases = models.JSONField(_("tên gọi khác, viết tắt"), default=list, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=AgencyKind.choices)
    search_name = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("cơ quan, tổ chức")
        verbose_name_plural = _("cơ quan, tổ chức")
        ordering = ["name"]
        constraints = [dated_constraint("agency_valid_range")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = " | ".join(fold(n) for n in [self.name, *self.aliases])
        super().save(*args, **kwargs)

    @property
    def short_name(self) -> str:
        return self.aliases[0] if self.aliases else self.name


class AgencyChange(models.Model):
    """Succession between agencies: on `date` the duties of `old` (all or part) pass to `new`."""

    date = models.DateField(_("ngày hiệu lực"))
    old = models.ForeignKey(Agency, verbose_name=_("cơ quan cũ"), on_delete=models.PROTECT, related_name="changes_out")
    new = models.ForeignKey(
        Agency, verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="changes_in"
    )
    share = models.CharField(_("phạm vi"), max_length=10, choices=Share.choices)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thay đổi cơ quan")
        verbose_name_plural = _("thay đổi cơ quan")
        ordering = ["date", "old__name"]
        constraints = [
            models.UniqueConstraint(fields=["old", "new", "date"], name="agencychange_once"),
            models.CheckConstraint(condition=~Q(old=F("new")), name="agencychange_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.old} → {self.new} ({self.date:%d/%m/%Y})"


class AgencyGroup(Dated):
    """A collective name in the plans ("Các sở, ban, ngành cấp tỉnh"), resolved to members at a date
    by kind, by administrative level, or by an explicit list."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    member_kinds = models.JSONField(_("gồm các loại cơ quan"), default=list, blank=True)
    member_level = models.CharField(
        _("gồm các đơn vị hành chính cấp"), max_length=10, choices=AdminLevel.choices, blank=True
    )
    members = models.ManyToManyField(Agency, verbose_name=_("thành viên"), blank=True, related_name="groups")
    successor = models.ForeignKey(
        "self",
        verbose_name=_("nhóm kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    search_name = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("nhóm cơ quan")
        verbose_name_plural = _("nhóm cơ quan")
        ordering = ["name"]
        constraints = [dated_constraint("agencygroup_valid_range")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = " | ".join(fold(n) for n in [self.name, *self.aliases])
        super().save(*args, **kwargs)


class ContactPoint(models.Model):
    """The focal point (đầu mối) of an agency or a unit: private to that organisation, the
    secretariat and the province's leaders."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.CASCADE, related_name="contact_point"
    )
    admin_unit = models.OneToOneField(
        AdminUnit,
        verbose_name=_("đơn vị hành chính"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="contact_point",
    )
    person = models.CharField(_("người đầu mối"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("đầu mối liên hệ")
        verbose_name_plural = _("đầu mối liên hệ")
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(admin_unit__isnull=True))
                | (Q(agency__isnull=True) & Q(admin_unit__isnull=False)),
                name="contactpoint_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.agency or self.admin_unit})"


class Sector(models.TextChoices):
    """Sections of the Vietnamese standard industrial classification (VSIC 2018, level 1,
    Quyết định 27/2018/QĐ-TTg): a short, fixed list an enterprise picks its main activity from."""

    A = "A", _("Nông nghiệp, lâm nghiệp và thủy sản")
    B = "B", _("Khai khoáng")
    C = "C", _("Công nghiệp chế biến, chế tạo")
    D = "D", _("Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí")
    E = "E", _("Cung cấp nước; quản lý và xử lý rác thải, nước thải")
    F = "F", _("Xây dựng")
    G = "G", _("Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy")
    H = "H", _("Vận tải, kho bãi")
    I = "I", _("Dịch vụ lưu trú và ăn uống")  # noqa: E741 (the section's letter)
    J = "J", _("Thông tin và truyền thông")
    K = "K", _("Hoạt động tài chính, ngân hàng và bảo hiểm")
    L = "L", _("Hoạt động kinh doanh bất động sản")
    M = "M", _("Hoạt động chuyên môn, khoa học và công nghệ")
    N = "N", _("Hoạt động hành chính và dịch vụ hỗ trợ")
    P = "P", _("Giáo dục và đào tạo")
    Q = "Q", _("Y tế và hoạt động trợ giúp xã hội")
    R = "R", _("Nghệ thuật, vui chơi và giải trí")
    S = "S", _("Hoạt động dịch vụ khác")


class Enterprise(models.Model):
    """An enterprise that registered itself to answer the enterprise index (ADR 0040). Located in
    one commune of the registry; its tax code is its identity (one registration per code)."""

    name = models.CharField(_("tên doanh nghiệp"), max_length=255)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    sector = models.CharField(_("ngành kinh tế"), max_length=1, choices=Sector.choices)
    admin_unit = models.ForeignKey(
        AdminUnit, verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="enterprises"
    )
    contact_person = models.CharField(_("người liên hệ"), max_length=150)
    email = models.EmailField(_("thư điện tử"))
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    demonstration = models.BooleanField(_("doanh nghiệp minh họa"), default=False)
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)
    search_name = models.CharField(max_length=255, editable=False, default="")

    class Meta:
        verbose_name = _("doanh nghiệp")
        verbose_name_plural = _("doanh nghiệp")
        ordering = ["name"]
        indexes = [models.Index(fields=["sector"]), models.Index(fields=["admin_unit"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)
