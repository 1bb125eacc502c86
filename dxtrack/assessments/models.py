"""Assessments (ADR 0032): criteria sets as versioned data, the yearly round of self-assessment →
appraisal → recognition, and the three scores per criterion.

A framework is one version of a criteria set, as one decision issued it; a new decision is a new
framework that `replaces` the old one. Rounds, answers and recognitions point at the framework and
criteria they were made under (PROTECT), so results stay with their version.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import scoring as engine


class SubjectKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    DISTRICT = "district", _("Cấp huyện")
    COMMUNE = "commune", _("Cấp xã")
    ENTERPRISE = "enterprise", _("Doanh nghiệp")
    PROVINCE = "province", _("Cấp tỉnh")


class Scoring(models.TextChoices):
    POINTS = "points", _("Tổng điểm (mức công nhận, khung điểm)")
    INDEX = "index", _("Chỉ số quy về thang 0–1 (kiểu DTI)")
    ENTERPRISE_1970 = "enterprise_1970", _("Mức trưởng thành doanh nghiệp (1970/QĐ-BTTTT)")


class Completeness(models.TextChoices):
    """How much of a shipped framework is official: the gaps ASSESSMENTS.md names are filled by
    importing or entering the decision, never by code."""

    OFFICIAL = "official", _("Đầy đủ theo văn bản")
    PARTIAL = "partial", _("Một phần theo văn bản, còn phải bổ sung")
    DEMONSTRATION = "demonstration", _("Bộ minh họa, không phải văn bản chính thức")


class Framework(models.Model):
    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên bộ tiêu chí"), max_length=300)
    number = models.CharField(_("số, ký hiệu quyết định"), max_length=60, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    subject_kind = models.CharField(_("đối tượng đánh giá"), max_length=12, choices=SubjectKind.choices)
    scoring = models.CharField(_("cách tính"), max_length=16, choices=Scoring.choices, default=Scoring.POINTS)
    first_year = models.PositiveSmallIntegerField(_("áp dụng từ năm"), null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(_("áp dụng đến năm"), null=True, blank=True)
    replaces = models.ForeignKey(
        "self", verbose_name=_("thay thế bộ"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    max_points = models.DecimalField(_("tổng điểm tối đa"), max_digits=9, decimal_places=2, null=True, blank=True)
    completeness = models.CharField(
        _("mức đầy đủ"), max_length=14, choices=Completeness.choices, default=Completeness.OFFICIAL
    )
    # What the decision leaves to fill in (facts, listed: "ngưỡng của 34 tiêu chí", …).
    to_fill = models.JSONField(_("còn phải bổ sung"), default=list, blank=True)
    # Parameters of the rule kind (the enterprise rule's cut-offs); empty: the kind's defaults.
    rule = models.JSONField(_("tham số quy tắc"), default=dict, blank=True)
    # The decision's yearly calendar: [{"step": "self", "due": "30/11"}, …] (see Step).
    cycle = models.JSONField(_("lịch hằng năm"), default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["subject_kind", "-issued_on", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True)
                | Q(first_year__isnull=True)
                | Q(last_year__gte=models.F("first_year")),
                name="assessments_framework_years_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})" if self.number else self.name

    @property
    def in_use(self) -> bool:
        """Results were made under this version: its criteria no longer change."""
        return self.rounds.exists()

    def rules(self) -> list[engine.CriterionRule]:
        return [c.as_rule() for c in self.criteria.select_related("group").order_by("position", "pk")]

    def enterprise_rule(self) -> engine.EnterpriseRule:
        """The enterprise rule's parameters as stored; the 1970 rule when none are."""
        if not self.rule:
            return engine.RULE_1970
        return engine.EnterpriseRule(
            pillar_cutoffs=tuple(tuple(x) for x in self.rule["pillar_cutoffs"]),
            pillar_top=int(self.rule["pillar_top"]),
            overall=tuple(tuple(x) for x in self.rule["overall"]),
        )

    def enterprise_outcome(self, answers: dict) -> engine.EnterpriseOutcome:
        """An enterprise's levels under this framework (1970-style): each criterion's level
        (1–5) scored, summed per pillar (group), then the rule. Every criterion must be answered."""
        rules = self.rules()
        missing = [r.code for r in rules if answers.get(r.code) in (None, "")]
        if missing:
            shown = ", ".join(missing[:10]) + ("…" if len(missing) > 10 else "")
            raise engine.ScoreError(f"Còn {len(missing)} tiêu chí chưa trả lời: {shown}.")
        outcome = engine.Scorer(rules).score(answers)
        if outcome.errors:
            raise engine.ScoreError(" ".join(outcome.errors.values()))
        maxima = {g.code: float(g.max_points or 0) for g in self.groups.all()}
        return engine.enterprise_level(outcome.group_totals, maxima, self.enterprise_rule())

    def scorer(self) -> engine.Scorer:
        return engine.Scorer(
            self.rules(),
            tiers=[t.as_tier() for t in self.tiers.all()],
            bands=[b.as_band() for b in self.bands.all()],
            max_points=float(self.max_points) if self.max_points else None,
        )


class CriterionGroup(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã nhóm"), max_length=20)
    name = models.CharField(_("tên nhóm / chỉ số chính / trụ cột"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=2, null=True, blank=True)
    # How many component criteria the decision says the group has, when they are not all entered.
    expected_criteria = models.PositiveSmallIntegerField(_("số tiêu chí thành phần"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["framework", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="assessments_group_code_once")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class CriterionKind(models.TextChoices):
    BOOLEAN = engine.BOOLEAN, _("Có / không")
    THRESHOLD = engine.THRESHOLD, _("Ngưỡng (so sánh với giá trị)")
    RATIO = engine.RATIO, _("Tỷ lệ a/b × điểm")
    STEPS = engine.STEPS, _("Bảng bậc")
    LEVEL = engine.LEVEL, _("Mức 1–5")
    DECLARED = engine.DECLARED, _("Số liệu kê khai (không tính điểm)")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", "≥"
    AT_MOST = "<=", "≤"
    EQUAL = "=", "="
    RANGE = "range", _("trong khoảng")


class Criterion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="criteria")
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("tên tiêu chí"), max_length=500)
    requirement = models.TextField(_("yêu cầu"), blank=True)
    kind = models.CharField(_("loại"), max_length=10, choices=CriterionKind.choices)
    comparator = models.CharField(_("so sánh"), max_length=6, choices=Comparator.choices, blank=True)
    value = models.FloatField(_("giá trị ngưỡng"), null=True, blank=True)
    value_max = models.FloatField(_("giá trị trên"), null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    # [[at least, points], …] for a step table
    steps = models.JSONField(_("bảng bậc"), default=list, blank=True)
    level_max = models.PositiveSmallIntegerField(_("mức cao nhất"), null=True, blank=True)
    points = models.DecimalField(_("điểm tối đa"), max_digits=7, decimal_places=2, default=0)
    mandatory = models.BooleanField(_("bắt buộc"), default=False, help_text=_("Không đánh dấu: tiêu chí mở rộng."))
    evidence_required = models.BooleanField(_("cần minh chứng"), default=False)
    data_source = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    indicator = models.ForeignKey(
        "plans.Indicator",
        verbose_name=_("chỉ tiêu cung cấp số liệu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessment_criteria",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["framework", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="assessments_criterion_code_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="assessments_criterion_points_not_negative"),
            # One way of scoring each: never a threshold and a level scale at once.
            models.CheckConstraint(
                condition=Q(level_max__isnull=True) | (Q(comparator="") & Q(value__isnull=True)),
                name="assessments_criterion_threshold_or_levels",
                violation_error_message=_("Một tiêu chí không thể vừa có ngưỡng vừa có thang mức."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def as_rule(self) -> engine.CriterionRule:
        return engine.CriterionRule(
            code=self.code,
            kind=self.kind,
            points=float(self.points),
            group=self.group.code if self.group_id else "",
            mandatory=self.mandatory,
            comparator=self.comparator,
            value=self.value,
            value_max=self.value_max,
            steps=tuple((float(a), float(p)) for a, p in self.steps or ()),
            level_max=self.level_max,
        )


class RecognitionTier(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="tiers")
    level = models.PositiveSmallIntegerField(_("bậc"))
    name = models.CharField(_("tên mức công nhận"), max_length=120)
    min_points = models.DecimalField(_("điểm tối thiểu"), max_digits=9, decimal_places=2, null=True, blank=True)
    mandatory_share = models.DecimalField(_("tỷ lệ tiêu chí bắt buộc đạt"), max_digits=4, decimal_places=3, default=1)
    extended_share = models.DecimalField(_("tỷ lệ tiêu chí mở rộng đạt"), max_digits=4, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("mức công nhận")
        verbose_name_plural = _("mức công nhận")
        ordering = ["framework", "level"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "level"], name="assessments_tier_level_once"),
            models.CheckConstraint(
                condition=Q(mandatory_share__gte=0, mandatory_share__lte=1)
                & Q(extended_share__gte=0, extended_share__lte=1),
                name="assessments_tier_shares_fractions",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def as_tier(self) -> engine.Tier:
        return engine.Tier(
            level=self.level,
            name=self.name,
            min_points=float(self.min_points) if self.min_points is not None else None,
            mandatory_share=float(self.mandatory_share),
            extended_share=float(self.extended_share),
        )


class ScoreBand(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    name = models.CharField(_("tên khung điểm"), max_length=120)
    min_points = models.DecimalField(_("từ điểm"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("khung điểm")
        verbose_name_plural = _("khung điểm")
        ordering = ["framework", "min_points"]

    def __str__(self) -> str:
        return self.name

    def as_band(self) -> engine.Band:
        return engine.Band(self.name, float(self.min_points))


# ---- the yearly round -----------------------------------------------------------------------------


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang tự đánh giá")
    APPRAISAL = "appraisal", _("Đang thẩm định")
    CLOSED = "closed", _("Đã kết thúc thẩm định")


class Round(models.Model):
    framework = models.ForeignKey(
        Framework, verbose_name=_("bộ tiêu chí"), on_delete=models.PROTECT, related_name="rounds"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    opened_at = models.DateTimeField(_("mở lúc"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    demonstration = models.BooleanField(_("đợt minh họa"), default=False)

    class Meta:
        verbose_name = _("đợt đánh giá")
        verbose_name_plural = _("đợt đánh giá")
        ordering = ["-year", "framework"]
        constraints = [models.UniqueConstraint(fields=["framework", "year"], name="assessments_round_once_a_year")]

    def __str__(self) -> str:
        return f"{self.framework.name} — năm {self.year}"

    def due(self, step: str):
        found = next((s for s in self.steps.all() if s.step == step), None)
        return found.due if found else None


class Step(models.TextChoices):
    SELF_ASSESSMENT = "self", _("Tự đánh giá, gửi hồ sơ")
    APPRAISAL = "appraisal", _("Thẩm định")
    EXPLANATION = "explanation", _("Giải trình")
    RECOGNITION = "recognition", _("Công nhận, công bố kết quả")


class RoundStep(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("bước"), max_length=12, choices=Step.choices)
    due = models.DateField(_("hạn"))

    class Meta:
        verbose_name = _("bước của đợt")
        verbose_name_plural = _("bước của đợt")
        ordering = ["round", "due"]
        constraints = [models.UniqueConstraint(fields=["round", "step"], name="assessments_round_step_once")]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.due:%d/%m/%Y}"


class CouncilMember(models.Model):
    """A member of the appraisal council of one round (Hội đồng thẩm định): the permission to
    give opinions and fix final scores is this row, not a role of the account."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="council")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_councils")
    chair = models.BooleanField(_("chủ tịch hội đồng"), default=False)

    class Meta:
        verbose_name = _("thành viên hội đồng thẩm định")
        verbose_name_plural = _("thành viên hội đồng thẩm định")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="assessments_council_once")]

    def __str__(self) -> str:
        return str(self.user)


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("Đang tự đánh giá")
    SUBMITTED = "submitted", _("Đã gửi")
    APPRAISING = "appraising", _("Đang thẩm định")
    FINALISED = "finalised", _("Đã chốt điểm")
    CLOSED = "closed", _("Đã kết thúc thẩm định")


class Submission(models.Model):
    """One subject's self-assessment in one round, and its appraisal."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="submissions")
    admin_unit = models.ForeignKey(
        "org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_submissions"
    )
    agency = models.ForeignKey(
        "org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="assessment_submissions"
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    late = models.BooleanField(_("gửi muộn"), default=False)
    self_total = models.DecimalField(_("điểm tự đánh giá"), max_digits=9, decimal_places=2, default=0)
    council_total = models.DecimalField(_("điểm thẩm định"), max_digits=9, decimal_places=2, null=True, blank=True)
    final_total = models.DecimalField(_("điểm đạt được"), max_digits=9, decimal_places=2, null=True, blank=True)
    tier = models.ForeignKey(
        RecognitionTier, verbose_name=_("mức đạt"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("chốt điểm lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ tự đánh giá")
        verbose_name_plural = _("hồ sơ tự đánh giá")
        ordering = ["round", "admin_unit__name", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "admin_unit"], name="assessments_submission_unit_once"),
            models.UniqueConstraint(fields=["round", "agency"], name="assessments_submission_agency_once"),
            models.CheckConstraint(
                condition=(Q(admin_unit__isnull=True) & Q(agency__isnull=False))
                | (Q(admin_unit__isnull=False) & Q(agency__isnull=True)),
                name="assessments_submission_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} — {self.round}"

    @property
    def subject(self):
        return self.admin_unit or self.agency


class Verdict(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")


class Answer(models.Model):
    """One criterion of one submission: what the subject declared, and the three scores."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="answers")
    flag = models.BooleanField(_("có / không"), null=True, blank=True)
    value = models.DecimalField(_("số liệu"), max_digits=20, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("tử số"), max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("mẫu số"), max_digits=20, decimal_places=4, null=True, blank=True)
    # Prefilled from this approved report (the indicator feeding the criterion); None: declared.
    source_report = models.ForeignKey(
        "reports.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("thuyết minh"), blank=True)
    evidence_url = models.URLField(_("đường dẫn minh chứng"), max_length=500, blank=True)
    evidence_file = models.FileField(_("tệp minh chứng"), upload_to="assessments/%Y/", max_length=300, blank=True)
    self_score = models.DecimalField(_("điểm tự đánh giá"), max_digits=7, decimal_places=2, default=0)
    council_score = models.DecimalField(
        _("điểm hội đồng thẩm định"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    final_score = models.DecimalField(_("điểm đạt được"), max_digits=7, decimal_places=2, null=True, blank=True)
    verdict = models.CharField(_("ý kiến hội đồng"), max_length=10, choices=Verdict.choices, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        constraints = [models.UniqueConstraint(fields=["submission", "criterion"], name="assessments_answer_once")]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.self_score}"

    def as_answer(self):
        """The answer in the shape `scoring` reads, by the criterion's kind."""
        return answer_shape(self.criterion.kind, self.flag, self.value, self.numerator, self.denominator)


def answer_shape(kind: str, flag, value, numerator, denominator):
    """A stored answer's fields in the shape `scoring` reads for a criterion of `kind` (also for
    rows read as plain values, without an `Answer` instance: selectors.round_outcomes)."""
    if kind == engine.BOOLEAN:
        return flag
    if kind == engine.RATIO:
        if numerator is None or denominator is None:
            return None
        return (float(numerator), float(denominator))
    return float(value) if value is not None else None


class CommentKind(models.TextChoices):
    COUNCIL = "council", _("Ý kiến thẩm định")
    EXPLANATION = "explanation", _("Giải trình")


class Comment(models.Model):
    """The thread of one criterion's appraisal: the council's opinions, the subject's explanations."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("loại"), max_length=12, choices=CommentKind.choices)
    verdict = models.CharField(_("ý kiến"), max_length=10, choices=Verdict.choices, blank=True)
    proposed_score = models.DecimalField(_("điểm đề xuất"), max_digits=7, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("nội dung"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến, giải trình")
        verbose_name_plural = _("ý kiến, giải trình")
        ordering = ["answer", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class RecognitionDecision(models.Model):
    """The chairman's decision recognising the subjects of a round that reached a tier."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="decisions")
    number = models.CharField(_("số quyết định"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    file = models.FileField(_("tệp quyết định"), upload_to="assessments/decisions/", max_length=300, blank=True)
    # The PDF of the numbered DOCX, converted once on the task queue (publishing) and kept, so
    # every later download is the same file.
    pdf = models.FileField(_("bản PDF của quyết định"), upload_to="assessments/decisions/", max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        constraints = [models.UniqueConstraint(fields=["number"], name="assessments_decision_number_once")]

    def __str__(self) -> str:
        return self.number


class Recognition(models.Model):
    """A dated fact on a unit: recognised at a tier by a decision (rolls across the 2025 reform
    through the units' dated hierarchy, like any other data)."""

    decision = models.ForeignKey(RecognitionDecision, on_delete=models.PROTECT, related_name="recognitions")
    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="recognition")
    tier = models.ForeignKey(RecognitionTier, on_delete=models.PROTECT, related_name="+")
    admin_unit = models.ForeignKey("org.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("org.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recognised_on = models.DateField(_("công nhận ngày"))
    year = models.PositiveSmallIntegerField(_("năm"))

    class Meta:
        verbose_name = _("công nhận")
        verbose_name_plural = _("công nhận")
        indexes = [models.Index(fields=["year"])]

    def __str__(self) -> str:
        return f"{self.admin_unit or self.agency}: {self.tier_id} ({self.year})"


# ---- a criteria set read from its decision, under review (issue 17 item 3) -----------------------


class ImportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang duyệt")
    PUBLISHED = "published", _("Đã ban hành thành bộ tiêu chí")
    DISCARDED = "discarded", _("Đã hủy")


class CriteriaImport(models.Model):
    """A criteria-set decision uploaded and read, under the secretariat's review: the extractor's
    proposal (ADR 0034) as edited, until it is published as a new Framework in one transaction.
    The proposal is kept as the extractor's JSON shape (plus each criterion's source line, level
    scale and decision) and edited in place under a row lock: a criteria set has tens of criteria."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("trạng thái"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.DRAFT)
    filename = models.CharField(_("tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    source_text = models.TextField()
    # number, date (ISO), issuer, title, subject, max_points; then code, replaces, first_year, last_year
    meta = models.JSONField(default=dict)
    groups = models.JSONField(default=list, blank=True)  # [{"numeral", "name", "points"}] as the table states
    criteria = models.JSONField(default=list, blank=True)  # the extractor's criteria + line, levels, decision
    recognition = models.JSONField(default=list, blank=True)
    cycle = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    framework = models.ForeignKey(Framework, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    published_at = models.DateTimeField(null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lần nhập bộ tiêu chí")
        verbose_name_plural = _("lần nhập bộ tiêu chí")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({timezone.localtime(self.created_at):%d/%m/%Y %H:%M})"


# ---- the province's result under a national framework (issue 17 item 6) -------------------------


class ResultOrigin(models.TextChoices):
    PUBLISHED = "published", _("Theo công bố của Bộ")
    SELF_ASSESSMENT = "self", _("Tính từ đợt tự đánh giá của tỉnh")


class ResultComponent(models.TextChoices):
    """Which ranking: the overall index, or a main index the plans set a rank target on."""

    OVERALL = "", _("Chỉ số DTI chung")
    DIGITAL_GOVERNMENT = "chinh-quyen-so", _("Chỉ số chính quyền số")


class ProvinceResult(models.Model):
    """The province's rank and score for a year under a national framework (DTI): entered by the
    secretariat from the national publication, or computed from the province's own
    self-assessment round. A dated fact that measures seed 001's rank targets (measures.py)."""

    framework = models.ForeignKey(
        Framework, verbose_name=_("bộ chỉ số"), on_delete=models.PROTECT, related_name="province_results"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    component = models.CharField(
        _("chỉ số"), max_length=20, choices=ResultComponent.choices, default=ResultComponent.OVERALL, blank=True
    )
    origin = models.CharField(_("nguồn"), max_length=10, choices=ResultOrigin.choices)
    rank = models.PositiveSmallIntegerField(_("xếp hạng"), null=True, blank=True)
    ranked_of = models.PositiveSmallIntegerField(_("trên tổng số tỉnh, thành phố"), null=True, blank=True)
    score = models.DecimalField(_("điểm chỉ số (0–1)"), max_digits=6, decimal_places=4, null=True, blank=True)
    reference = models.CharField(_("văn bản, báo cáo công bố"), max_length=300, blank=True)
    source_url = models.URLField(_("đường dẫn nguồn"), max_length=500, blank=True)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="province_results"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("kết quả xếp hạng của tỉnh")
        verbose_name_plural = _("kết quả xếp hạng của tỉnh")
        ordering = ["-year", "component", "origin"]
        constraints = [
            models.UniqueConstraint(fields=["year", "component", "origin"], name="assessments_result_once"),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(ranked_of__isnull=True) | Q(rank__lte=models.F("ranked_of")),
                name="assessments_result_rank_within",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="assessments_result_score_index",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_component_display()} {self.year}: {self.rank or '—'}"


# ---- the enterprise index (ADR 0040) ---------------------------------------------------------------


class EnterpriseResult(models.Model):
    """One enterprise's answers to an enterprise index in one year, and the levels they give.

    Saved as the enterprise answers (one pillar or one criterion at a time); `level` is set once
    every criterion is answered, by the framework's rule (1970/QĐ-BTTTT). A new year is a new row,
    so each year's answer stays as it was; every change is in the audit log."""

    enterprise = models.ForeignKey(
        "org.Enterprise", verbose_name=_("doanh nghiệp"), on_delete=models.PROTECT, related_name="index_results"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("bộ chỉ số"), on_delete=models.PROTECT, related_name="enterprise_results"
    )
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    # criterion code → level 1–5
    answers = models.JSONField(_("câu trả lời"), default=dict, blank=True)
    # pillar (group) code → points, for pillars whose every criterion is answered
    pillar_points = models.JSONField(_("điểm trụ cột"), default=dict, blank=True)
    pillar_levels = models.JSONField(_("mức trụ cột"), default=dict, blank=True)
    total = models.DecimalField(_("tổng điểm"), max_digits=7, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("mức chuyển đổi số"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kết quả tự đánh giá của doanh nghiệp")
        verbose_name_plural = _("kết quả tự đánh giá của doanh nghiệp")
        ordering = ["-year", "enterprise__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "framework", "year"], name="assessments_enterprise_once_a_year"
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=5), name="assessments_enterprise_level_0_to_5"
            ),
        ]
        indexes = [models.Index(fields=["year", "level"])]

    def __str__(self) -> str:
        return f"{self.enterprise} — {self.year}"

    @property
    def level_name(self) -> str:
        return engine.LEVEL_NAMES_1970.get(self.level, "") if self.level is not None else ""
