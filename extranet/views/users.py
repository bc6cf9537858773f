"""Accounts of the user's library ("Utilisateurs"), managed by its Gestionnaires."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from extranet import services
from extranet.forms import UserCreateForm, UserEditForm
from extranet.models import User
from extranet.permissions import manager_required
from extranet.tenancy import PartnerRequest, get_scoped_object_or_404, scoped


@manager_required
def user_list(request: HttpRequest) -> HttpResponse:
    users = scoped(request, User).order_by("-is_active", "last_name", "first_name")
    return render(request, "extranet/users/list.html", {"extranet_section": "users", "users": users})


@manager_required
def user_create(request: PartnerRequest) -> HttpResponse:
    """Invite a colleague: the same answer whether the address is free or used outside the library."""
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_invite(
                library=request.library,
                by=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                profile=data["profile"],
                job_title=data["job_title"],
                phone=data["phone"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "Un e-mail a été envoyé à %(email)s. Le compte de %(name)s apparaîtra dans cette liste quand "
                    "cette personne aura choisi son mot de passe (lien valable %(days)s jours)."
                )
                % {
                    "email": data["email"].strip(),
                    "name": f"{data['first_name'].strip()} {data['last_name'].strip()}",
                    "days": services.invitation_days(),
                },
            )
            return redirect("extranet:users")
    return render(request, "extranet/users/create.html", {"extranet_section": "users", "form": form})


@manager_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped_object_or_404(request, User, pk=pk)
    initial = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "job_title": account.job_title,
        "phone": account.phone,
        "profile": account.profile,
    }
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Le compte de %(name)s est modifié.") % {"name": account.get_full_name()})
            return redirect("extranet:users")
    return render(request, "extranet/users/edit.html", {"extranet_section": "users", "form": form, "account": account})


@require_POST
@manager_required
def user_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_scoped_object_or_404(request, User, pk=pk)
    activate = not account.is_active
    try:
        services.user_set_active(user=account, active=activate)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = _("Le compte de %(name)s est réactivé.") if activate else _("Le compte de %(name)s est désactivé.")
        messages.success(request, text % {"name": account.get_full_name()})
    return redirect("extranet:users")
