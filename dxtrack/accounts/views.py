import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dxtrack.core.counters import count_in_window
from dxtrack.core.errors import DomainError
from dxtrack.core.ids import parse_id
from dxtrack.core.net import client_ip

from . import services, sessions
from .forms import LoginForm, ResetRequestForm, TokenForm, UserCreateForm
from .models import PROVINCE_WIDE_ROLES, ApiToken, User

logger = logging.getLogger(__name__)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_changed(actor=self.request.access)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {"organisation": request.user.organisation})


@never_cache  # the page may carry a freshly made token: no cache may keep it
@login_required
def tokens(request):
    """The user's API tokens; making one shows its secret on this answer only, never again."""
    form = TokenForm(request.POST or None)
    plain = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, plain = services.token_create(
                actor=request.access,
                user=request.user,
                name=form.cleaned_data["name"],
                expires=form.cleaned_data["expires"],
            )
        except DomainError as exc:
            for problem in exc.details or [exc.message]:
                form.add_error(None, problem)
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "plain": plain,
            "may_hold": request.user.role in services.TOKEN_ROLES and request.user.organisation is not None,
            "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        },
    )


@require_POST
@login_required
def token_revoke(request, pk: int):
    # Only one's own tokens are found here; the secretariat revokes others' in the admin.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(actor=request.access, token=token)
    messages.success(request, f"Đã thu hồi mã “{token.name}”.")
    return redirect("accounts:tokens")


@login_required
def lockouts(request):
    """The addresses locked out after failed log-ins; the secretariat releases one."""
    if request.method == "POST":
        released = services.lockout_release(actor=request.access, attempt_id=parse_id(request.POST.get("id")) or 0)
        if released:
            messages.success(request, _("Đã mở khóa đăng nhập cho địa chỉ này."))
        return redirect("accounts:lockouts")
    rows = list(services.lockouts(actor=request.access)[:200])
    return render(request, "accounts/lockouts.html", {"rows": rows})


# ---- forgotten password (ADR 0029) -----------------------------------------------------------------

# At most this many requests an hour from one address, and e-mails an hour to one address: enough
# for a person who mistyped, too few to flood a mailbox or probe which addresses have accounts.
RESET_PER_IP_HOUR = 5
RESET_PER_EMAIL_HOUR = 3


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = ResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request, *args, **kwargs):
        limit = getattr(settings, "DXTRACK_PASSWORD_RESET_PER_IP_HOUR", RESET_PER_IP_HOUR)
        if count_in_window(f"pwreset:ip:{client_ip(request)}") > limit:
            return render(
                request,
                self.template_name,
                {"form": self.form_class(), "throttled": True},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        # Over the address's limit the page answers exactly as when it sends: nobody learns from
        # it whether an address has an account, or how often it was asked for.
        email = form.cleaned_data["email"].strip().lower()
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        limit = getattr(settings, "DXTRACK_PASSWORD_RESET_PER_EMAIL_HOUR", RESET_PER_EMAIL_HOUR)
        if count_in_window(f"pwreset:email:{digest}") > limit:
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            services.password_reset_by_email(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# ---- one's own sessions and tokens (ADR 0029) ------------------------------------------------------


@never_cache
@login_required
def sessions_page(request):
    if request.method == "POST":
        if request.POST.get("tat-ca"):
            ended, revoked = sessions.logout_everywhere(
                actor=request.access, current_session_key=request.session.session_key
            )
            messages.success(
                request,
                _("Đã đăng xuất %(s)s phiên khác và thu hồi %(t)s mã truy cập API.") % {"s": ended, "t": revoked},
            )
        else:
            sessions.session_end(actor=request.access, pk=parse_id(request.POST.get("id")) or 0)
            messages.success(request, _("Đã kết thúc phiên đăng nhập."))
        return redirect("accounts:sessions")
    return render(
        request,
        "accounts/sessions.html",
        {
            "sessions": sessions.sessions(actor=request.access),
            "current": request.session.session_key,
            "tokens": ApiToken.objects.filter(user=request.user, revoked_at__isnull=True).order_by("-created_at"),
        },
    )


# ---- the secretariat's page of a unit's users (ADR 0029) -------------------------------------------


def _organisation(request):
    """The agency (?co-quan=code) or current administrative unit (?don-vi=statistics code) whose
    users the page shows; None for the province-wide accounts."""
    from dxtrack.org.models import AdminUnit, Agency

    code = (request.GET.get("co-quan") or "").strip()
    if code:
        # Codes are slugs: anything else names no agency (and never reaches the database).
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", code):
            raise Http404
        return get_object_or_404(Agency, code=code)
    unit = (request.GET.get("don-vi") or "").strip()
    if unit:
        if not re.fullmatch(r"[0-9]{1,10}", unit):
            raise Http404
        found = AdminUnit.objects.filter(code=unit, valid_to__isnull=True).order_by("level").first()
        if found is None:
            raise Http404
        return found
    return None


def _set_password_mail(request, user) -> None:
    """The new user's e-mail with the link to set their own password (the reset link), after commit."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    link = request.build_absolute_uri(
        reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    )
    subject = _("dxtrack: tài khoản của anh/chị đã được tạo")
    body = render_to_string(
        "accounts/welcome_email.txt", {"user": user, "link": link, "province_name": settings.DXTRACK_PROVINCE_NAME}
    )
    email = user.email

    def send():
        try:
            EmailMessage(subject, body, to=[email]).send()
        except Exception:  # the account exists; the secretariat can have the link sent again
            logger.exception("The set-password e-mail to %s could not be sent", email)

    transaction.on_commit(send, robust=True)


@login_required
def users(request):
    """The users of one agency or unit: the secretariat adds one (who sets their own password from
    an e-mailed link) and locks or unlocks an account."""
    if not request.access.runs_programme:
        raise PermissionDenied(_("Chỉ Tổ giúp việc được quản lý tài khoản."))
    organisation = _organisation(request)
    from dxtrack.org.models import Agency

    is_agency = isinstance(organisation, Agency)
    form = UserCreateForm(request.POST or None, unit_roles=organisation is not None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    actor=request.access,
                    username=data["username"],
                    password=secrets.token_urlsafe(32),  # never told: the person sets theirs by the link
                    role=data["role"],
                    full_name=data["full_name"],
                    email=data["email"],
                    agency=organisation if is_agency else None,
                    admin_unit=organisation if organisation is not None and not is_agency else None,
                )
                _set_password_mail(request, user)
        except DomainError as exc:
            for problem in exc.details or [exc.message]:
                form.add_error(None, problem)
        else:
            messages.success(
                request,
                _("Đã tạo tài khoản %(u)s; thư đặt mật khẩu đã gửi tới %(e)s.") % {"u": user.username, "e": user.email},
            )
            return redirect(request.get_full_path())
    qs = User.objects.select_related("agency", "admin_unit").order_by("-is_active", "role", "username")
    if organisation is None:
        # The secretariat and the provincial leaders often sit in an agency (the demo's secretariat
        # in Sở KH&CN): their role, not a missing agency, is what makes an account province-wide.
        qs = qs.filter(
            Q(role__in=sorted(r.value for r in PROVINCE_WIDE_ROLES)) | Q(agency__isnull=True, admin_unit__isnull=True)
        )
    elif is_agency:
        qs = qs.filter(agency=organisation)
    else:
        qs = qs.filter(admin_unit=organisation)
    return render(
        request,
        "accounts/users.html",
        {
            "organisation": organisation,
            "form": form,
            "rows": qs[:300],
            "query": request.GET.urlencode(),
            "agency_code": request.GET.get("co-quan", ""),
            "unit_code": request.GET.get("don-vi", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def user_active(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    if request.POST.get("khoa"):
        services.user_deactivate(actor=request.access, user=user, reason=request.POST.get("reason", ""))
        messages.success(
            request, _("Đã khóa tài khoản %(u)s; các phiên đăng nhập của người này đã kết thúc.") % {"u": user.username}
        )
    else:
        services.user_reactivate(actor=request.access, user=user)
        messages.success(request, _("Đã mở lại tài khoản %(u)s.") % {"u": user.username})
    back = request.POST.get("back", "")
    return redirect(f"{reverse('accounts:users')}?{back}" if back else reverse("accounts:users"))
