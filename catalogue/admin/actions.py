"""What the catalogue's admin actions share: one service call per selected row with the
refusals reported row by row, and the intermediate page asking for a reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Envoyé par e-mail aux Gestionnaires de la bibliothèque."),
    )


def apply_to_each(
    model_admin: admin.ModelAdmin[Any],
    request: HttpRequest,
    objects: QuerySet[Any],
    service: Callable[..., object],
    done: Callable[[int], str],
    *,
    keyword: str,
    **kwargs: Any,
) -> None:
    """Call ``service(<keyword>=row, user=request.user, **kwargs)`` for each row; each refusal
    is shown with its row, then ``done(count)`` when some succeeded."""
    applied = 0
    for row in objects:
        try:
            service(**{keyword: row, "user": request.user}, **kwargs)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            model_admin.message_user(request, f"{row} : {text}", messages.ERROR)
        else:
            applied += 1
    if applied:
        model_admin.message_user(request, done(applied), messages.SUCCESS)


def reason_page(
    model_admin: admin.ModelAdmin[Any], request: HttpRequest, objects: QuerySet[Any], *, action: str, title: str
) -> tuple[str | None, HttpResponse | None]:
    """The reason typed on the intermediate page, or that page (first call, or an empty reason)."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    opts = model_admin.model._meta
    model: type[Model] = model_admin.model
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "objects": objects,
        "form": form,
        "action": action,
        "opts": opts,
        "changelist_url": reverse(f"admin:{opts.app_label}_{model._meta.model_name}_changelist"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return None, TemplateResponse(request, "admin/catalogue/action_reason_form.html", context)
