"""The page of an invitation link: the invited colleague chooses a password, then the account exists.

Public (the link is the capability, signed and dated: ``extranet.services.Invitation``); a
link altered, expired, withdrawn or already used shows why in French and creates nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import password_validators_help_texts
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from extranet import services
from extranet.models import User


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a password for the account a Gestionnaire invited you to (creates it)."""
    try:
        invitation = services.Invitation.from_token(token)
        library, profile = services.invitation_check(invitation)
    except services.InvitationError as error:
        return render(request, "extranet/invitation.html", {"error": " ".join(error.messages)}, status=404)
    # An unsaved account: the password validators compare the password with its names and e-mail.
    account = User(
        first_name=invitation.first_name, last_name=invitation.last_name, email=invitation.email, library=library
    )
    form = SetPasswordForm(account, request.POST or None)
    # The validators' rules as one plain sentence (Django's is an HTML list, not allowed in a <p>).
    form.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(invitation=invitation, password=form.cleaned_data["new_password1"])
        except services.InvitationError as error:
            return render(request, "extranet/invitation.html", {"error": " ".join(error.messages)}, status=404)
        messages.success(
            request, _("Votre compte est créé. Connectez-vous avec votre adresse e-mail et votre mot de passe.")
        )
        return redirect("account_login")
    context = {"form": form, "invitation": invitation, "library": library, "profile": profile}
    return render(request, "extranet/invitation.html", context)
