"""Writing audit events. Called by services inside their transaction, never by views."""

import contextlib
import datetime
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bulk import Same, insert_columns
from .models import AuditEvent, Via


@dataclass(frozen=True)
class Channel:
    """How the current request's actor authenticated; set once per request (middleware, token
    authentication), read by every audit record made while it runs."""

    via: str = Via.SYSTEM
    token_id: int | None = None
    real_actor_id: int | None = None


SYSTEM = Channel()  # frozen: one shared default is safe
_channel: ContextVar[Channel] = ContextVar("audit_channel", default=SYSTEM)


@contextlib.contextmanager
def channel(via: str, *, token_id: int | None = None, real_actor_id: int | None = None):
    mark = _channel.set(Channel(via, token_id, real_actor_id))
    try:
        yield
    finally:
        _channel.reset(mark)


def set_channel(via: str, *, token_id: int | None = None, real_actor_id: int | None = None) -> None:
    """For the rest of this request (the middleware's `channel` block restores what was before)."""
    _channel.set(Channel(via, token_id, real_actor_id))


def current_channel() -> Channel:
    return _channel.get()


_AS_IS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    if type(value) in _AS_IS:  # most values of a bulk import: nothing to convert
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # One moment, one text: the same instant read back in another zone is no change.
        return value.astimezone(datetime.UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field → [old, new] for the fields that changed."""
    out = {}
    for key in sorted(before.keys() | after.keys()):
        old, new = _plain(before.get(key)), _plain(after.get(key))
        if old != new:
            out[key] = [old, new]
    return out


def record(
    *,
    actor,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        # An audit row outside the write's transaction could survive a rolled-back change.
        raise RuntimeError("audit.record must run inside the service's transaction")
    how = _channel.get()
    # An Access (accounts.access) names its person through `audit_actor` (None: the system); a
    # user passed as such is still accepted.
    if hasattr(actor, "audit_actor"):
        actor = actor.audit_actor
    return AuditEvent.objects.create(
        via=how.via,
        token_id=how.token_id,
        real_actor_id=how.real_actor_id,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes or {},
        reason=reason,
    )


# What each audited action is called where people read the log (the audit page, a report's
# history). An action missing here reads as a plain "cập nhật", never as its internal name.
ACTION_LABELS = {
    "accounts.lockout.release": _("mở khóa đăng nhập"),
    "accounts.password.change": _("đổi mật khẩu"),
    "accounts.password.reset": _("đặt lại mật khẩu"),
    "accounts.token.create": _("tạo mã truy cập API"),
    "accounts.token.revoke": _("thu hồi mã truy cập API"),
    "accounts.user.create": _("tạo tài khoản"),
    "accounts.user.deactivate": _("khóa tài khoản"),
    "accounts.user.reactivate": _("mở lại tài khoản"),
    "accounts.password.reset_by_email": _("đặt lại mật khẩu qua e-mail"),
    "accounts.session.end": _("kết thúc một phiên đăng nhập"),
    "accounts.logout_everywhere": _("đăng xuất khỏi mọi nơi"),
    "notifications.preferences.set": _("đổi cách nhận thông báo"),
    "assessments.answer.evidence": _("đính kèm minh chứng tự đánh giá"),
    "assessments.answer.explain": _("giải trình tiêu chí"),
    "assessments.answer.opinion": _("cho ý kiến thẩm định"),
    "assessments.answer.save": _("tự đánh giá tiêu chí"),
    "assessments.decision.issue": _("ban hành quyết định công nhận"),
    "assessments.demo.generate": _("tạo hồ sơ đánh giá minh họa"),
    "assessments.enterprise.answer": _("doanh nghiệp tự đánh giá mức độ chuyển đổi số"),
    "assessments.enterprise.demo": _("tạo doanh nghiệp minh họa"),
    "assessments.framework.import": _("nhập bộ tiêu chí"),
    "assessments.criteria_import.create": _("đọc quyết định ban hành bộ tiêu chí"),
    "assessments.criteria_import.decide": _("duyệt tiêu chí của bộ tiêu chí nhập"),
    "assessments.criteria_import.edit": _("sửa tiêu chí của bộ tiêu chí nhập"),
    "assessments.criteria_import.accept_all": _("chấp nhận các tiêu chí chưa duyệt"),
    "assessments.criteria_import.facts": _("sửa thông tin bộ tiêu chí nhập"),
    "assessments.criteria_import.rules": _("sửa mức công nhận và lịch đánh giá"),
    "assessments.criteria_import.discard": _("hủy lần nhập bộ tiêu chí"),
    "assessments.criteria_import.publish": _("ban hành bộ tiêu chí từ quyết định"),
    "assessments.result.enter": _("nhập xếp hạng DTI của tỉnh"),
    "assessments.result.compute": _("tính điểm DTI từ đợt tự đánh giá"),
    "assessments.round.close": _("kết thúc thẩm định"),
    "assessments.round.open": _("mở đợt đánh giá"),
    "assessments.submission.appraise": _("bắt đầu thẩm định"),
    "assessments.submission.close": _("kết thúc thẩm định hồ sơ"),
    "assessments.submission.final": _("chốt điểm đạt được"),
    "assessments.submission.finalise": _("chốt điểm"),
    "assessments.submission.reopen": _("mở lại thẩm định"),
    "assessments.submission.submit": _("gửi hồ sơ tự đánh giá"),
    "admin.add": _("thêm (trang quản trị)"),
    "admin.change": _("sửa (trang quản trị)"),
    "admin.delete": _("xóa (trang quản trị)"),
    "operations.prune": _("dọn dữ liệu tạm"),
    "org.admin_units.load": _("nạp danh mục đơn vị hành chính"),
    "org.enterprise.register": _("doanh nghiệp đăng ký"),
    "org.agencies.load": _("nạp danh mục cơ quan"),
    "org.contact_point.update": _("cập nhật đầu mối liên hệ"),
    "plans.import.accept_all": _("chấp nhận tất cả mục"),
    "plans.import.create": _("tải lên văn bản kế hoạch"),
    "plans.import.discard": _("hủy lần nhập"),
    "plans.import.meta": _("sửa thông tin văn bản"),
    "plans.import.publish": _("đưa kế hoạch vào danh mục"),
    "plans.import_item.decide": _("duyệt một mục"),
    "plans.import_item.edit": _("sửa một mục"),
    "plans.register.load": _("nạp danh mục kế hoạch"),
    "plans.target.revise": _("sửa chỉ tiêu theo văn bản sửa đổi"),
    "plans.task.revise": _("sửa nhiệm vụ theo văn bản sửa đổi"),
    "plans.reporting.revise": _("sửa quy định báo cáo theo văn bản sửa đổi"),
    "plans.target.retire": _("thôi áp dụng chỉ tiêu"),
    "plans.task.retire": _("thôi áp dụng nhiệm vụ"),
    "plans.reporting.retire": _("thôi áp dụng quy định báo cáo"),
    "plans.target.delete": _("xóa chỉ tiêu"),
    "plans.task.delete": _("xóa nhiệm vụ"),
    "plans.reporting.delete": _("xóa quy định báo cáo"),
    "publishing.report.compose": _("lập bản nháp báo cáo định kỳ"),
    "publishing.report.discard": _("xóa bản nháp báo cáo định kỳ"),
    "publishing.report.issue": _("ban hành báo cáo định kỳ"),
    "publishing.report.update": _("sửa bản nháp báo cáo định kỳ"),
    "reporting.calendar.generate": _("lập lịch báo cáo"),
    "reporting.demo.generate": _("tạo dữ liệu mẫu"),
    "reporting.indicator_reporters.load": _("nạp phân công báo cáo chỉ tiêu"),
    "reporting.period.close": _("khóa sổ kỳ báo cáo"),
    "reporting.reminder.due_soon": _("nhắc sắp đến hạn"),
    "reporting.reminder.overdue": _("nhắc quá hạn"),
    "reporting.report.create": _("lập báo cáo"),
    "reporting.report.narrative": _("sửa thuyết minh"),
    "reporting.report.submit": _("gửi báo cáo"),
    "reporting.report.request_signature": _("đề nghị ký gửi"),
    "reporting.report.approve": _("duyệt"),
    "reporting.report.return": _("trả lại"),
    "reporting.report.lock": _("khóa"),
    "reporting.report.unlock": _("mở khóa"),
    "reporting.rule.create": _("tạo quy định kiểm tra"),
    "reporting.task_update.evidence": _("đính kèm minh chứng"),
    "reporting.task_update.evidence_remove": _("xóa tệp minh chứng"),
    "reporting.task_update.set": _("cập nhật nhiệm vụ"),
    "reporting.value.set": _("nhập số liệu"),
    "steering.action.done": _("báo hoàn thành biện pháp khắc phục"),
    "steering.conclusions.import": _("nhập thông báo kết luận"),
    "steering.conclusions.publish": _("đưa kết luận vào danh mục"),
    "steering.directive.add": _("thêm chỉ đạo"),
    "steering.directive.close": _("đóng chỉ đạo"),
    "steering.directive.reopen": _("mở lại chỉ đạo"),
    "steering.finding.add": _("ghi phát hiện kiểm tra"),
    "steering.finding.answer": _("trả lời phát hiện kiểm tra"),
    "steering.finding.close": _("đóng phát hiện kiểm tra"),
    "steering.inspection.plan": _("lập kế hoạch kiểm tra"),
    "steering.inspection.visit": _("thêm cuộc kiểm tra"),
    "steering.pack.prepare": _("chuẩn bị tài liệu phiên họp"),
    "steering.session.cancel": _("hủy phiên họp"),
    "steering.session.record": _("ghi biên bản phiên họp"),
    "steering.session.schedule": _("lên lịch phiên họp"),
}
OTHER_ACTION = _("cập nhật")


# What a change that is no field of its target is called on the audit page (a count, a set of
# rows written together, a step): the audit page shows these, never the key as stored.
CHANGE_LABELS = {
    "accepted": _("số mục được chấp nhận"),
    "actions": _("biện pháp khắc phục"),
    "as_of": _("số liệu tính đến"),
    "assigned": _("số chỉ tiêu được giao"),
    "changes": _("số thay đổi"),
    "closed": _("số báo cáo được khóa"),
    "council": _("hội đồng thẩm định"),
    "created": _("số mục tạo mới"),
    "criteria": _("số tiêu chí"),
    "deleted": _("số mục xóa"),
    "directive": _("chỉ đạo"),
    "directives": _("số chỉ đạo"),
    "document": _("văn bản"),
    "dues": _("hạn các bước"),
    "failures": _("số lần đăng nhập sai"),
    "file": _("tệp"),
    "import": _("lượt nhập"),
    "invited": _("số người được mời"),
    "items": _("số mục"),
    "jobs": _("số việc chạy nền"),
    "job_runs": _("số lượt chạy theo lịch"),
    "kept": _("số mục giữ nguyên"),
    "lead": _("cơ quan chủ trì"),
    "notifications": _("số thông báo"),
    "obligations": _("số nghĩa vụ báo cáo"),
    "obligations_dropped": _("số nghĩa vụ báo cáo bỏ đi"),
    "ocr": _("nhận dạng chữ (OCR)"),
    "pack": _("bộ tài liệu phiên họp"),
    "present": _("số người dự"),
    "problems": _("số điểm cần xem lại"),
    "process_beats": _("số tiến trình đã dừng"),
    "recipients": _("số người nhận"),
    "recognised": _("số đơn vị được công nhận"),
    "retired": _("số mục hết hiệu lực"),
    "scan": _("bản quét"),
    "scope": _("phạm vi"),
    "sessions": _("số phiên đăng nhập"),
    "state": _("tình trạng"),
    "status": _("trạng thái"),
    "subjects": _("đơn vị được đánh giá"),
    "targets": _("số chỉ tiêu"),
    "task_updates": _("cập nhật nhiệm vụ"),
    "tasks": _("số nhiệm vụ"),
    "tokens": _("số mã truy cập API"),
    "unchanged": _("số mục không đổi"),
    "unlinked": _("số liên kết gỡ bỏ"),
    "updated": _("số mục cập nhật"),
    "values": _("giá trị chỉ tiêu"),
    "year": _("năm"),
}


def change_label(name: str) -> str:
    return str(CHANGE_LABELS.get(name, name))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, OTHER_ACTION))


def shown(value) -> str:
    """An old or new value of an audit event as a person reads it: numbers and dates the
    Vietnamese way, yes/no in words, nothing as "(trống)"."""
    from .dates import format_vn_date
    from .numbers import format_number

    if value is None or value == "" or value == []:
        return "(trống)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return format_vn_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class Target:
    """What an event names of its target, for a row written without a model instance (a bulk
    insert): as `record` reads it from the instance (`_meta.label_lower`, `pk`, `str()`)."""

    type: str
    pk: Any
    repr: str

    def __str__(self) -> str:
        return self.repr


def record_many(*, actor, action: str, entries: list[tuple[models.Model | Target, dict[str, list[Any]], str]]) -> int:
    """As `record`, for many targets of one action written at once by one service (a bulk import):
    the events are inserted together, in the same transaction as the rows they describe. Each
    entry is (target, changes, reason); a target is a model instance or a `Target`. Returns how
    many were written."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record_many must run inside the service's transaction")
    how = _channel.get()
    if hasattr(actor, "audit_actor"):
        actor = actor.audit_actor
    person = actor if getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    # Plain columns by COPY on PostgreSQL (core.bulk): nothing reads an event's key back, and for
    # a hundred thousand values building model instances (or a dict per event) and INSERT
    # parameters cost more than the database's own work. What every event of the batch shares is
    # given once.
    types, ids, reprs, changes_of, reasons = [], [], [], [], []
    for target, changes, reason in entries:
        if type(target) is Target:
            types.append(target.type)
            reprs.append(target.repr[:255])
        else:
            types.append(target._meta.label_lower)
            reprs.append(str(target)[:255])
        ids.append(str(target.pk))
        changes_of.append(changes or {})
        reasons.append(reason)
    return insert_columns(
        AuditEvent,
        {
            "at": Same(now),
            "via": Same(how.via),
            "token_id": Same(how.token_id),
            "real_actor_id": Same(how.real_actor_id),
            "actor_id": Same(person.pk if person is not None else None),
            "action": Same(action),
            "target_type": types,
            "target_id": ids,
            "target_repr": reprs,
            "changes": changes_of,
            "reason": reasons,
        },
        len(entries),
    )
