from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dxtrack.core.errors import DomainError
from dxtrack.core.ids import parse_id

from . import services
from .forms import LoginForm, TokenForm
from .models import ApiToken


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
