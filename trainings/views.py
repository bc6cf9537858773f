"""Training catalogue (public), registrations (espace professionnel) and first-time trainee requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from extranet.permissions import partner_required
from extranet.ratelimit import client_ip
from extranet.tenancy import PartnerRequest
from trainings import selectors, services
from trainings.filters import SessionFilter
from trainings.forms import TraineeRequestForm
from trainings.models import Registration, TraineeRequest, Training, TrainingSession

if TYPE_CHECKING:

    class _Ranked(TypedDict):
        waiting_rank: int | None


def _with_my_registration(sessions: QuerySet[TrainingSession], request: HttpRequest) -> list[TrainingSession]:
    """The sessions, each with ``my_registration``: the visitor's active registration or None."""
    mine = selectors.active_registrations_by_session(request.user)
    listed = list(sessions)
    for session in listed:
        session.my_registration = mine.get(session.pk)  # type: ignore[attr-defined]
    return listed


def index(request: HttpRequest) -> HttpResponse:
    """« Catalogue des formations » and its « Prochaines formations et inscriptions »."""
    session_filter = SessionFilter(request.GET or None, queryset=selectors.catalogue_sessions())
    context = {
        "filter": session_filter,
        "sessions": _with_my_registration(session_filter.qs, request),
        "trainings": selectors.published_trainings(),
        "is_filtered": session_filter.is_bound and any(request.GET.get(name) for name in session_filter.filters),
    }
    return render(request, "trainings/index.html", context)


def training_detail(request: HttpRequest, slug: str) -> HttpResponse:
    training = get_object_or_404(Training.objects.filter(is_published=True).select_related("theme"), slug=slug)
    sessions = _with_my_registration(selectors.catalogue_sessions().filter(training=training), request)
    context = {"training": training, "sessions": sessions}
    return render(request, "trainings/training_detail.html", context)


@partner_required
def session_register(request: PartnerRequest, pk: int) -> HttpResponse:
    """Register oneself (Gestionnaire or Consulter: it is not an action on the library's data).

    GET shows the confirmation page used without JavaScript; POST registers.
    """
    session = get_object_or_404(TrainingSession.objects.published().select_related("training").with_counts(), pk=pk)
    if request.method == "POST":
        try:
            registration = services.registration_create(session=session, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(session.training)
        if registration.status == Registration.Status.REGISTERED:
            messages.success(
                request,
                _(
                    "Votre inscription est confirmée. Vous allez la recevoir par e-mail avec l'invitation pour votre agenda."
                ),
            )
        else:
            messages.warning(
                request,
                _(
                    "La session est complète : vous êtes sur la liste d'attente. Vous serez prévenu·e par e-mail si une place se libère."
                ),
            )
        return redirect("trainings:my_registrations")
    return render(request, "trainings/register_confirm.html", {"session": session})


@partner_required
def my_registrations(request: PartnerRequest) -> HttpResponse:
    """« Mes inscriptions »: a Gestionnaire also sees the registrations of their library's colleagues."""
    period = request.GET.get("periode", "a-venir")
    registrations = selectors.registrations_for_list(library=request.library, user=request.user, period=period)
    context = {
        "extranet_section": "trainings",
        "registrations": list(registrations),
        "period": period,
        "today": timezone.localdate(),
        "periods": [("a-venir", _("À venir")), ("passees", _("Passées")), ("toutes", _("Toutes"))],
    }
    return render(request, "trainings/my_registrations.html", context)


@partner_required
def registration_cancel(request: PartnerRequest, pk: int) -> HttpResponse:
    """Cancel one's registration (or a colleague's, for a Gestionnaire) until the deadline."""
    registration = get_object_or_404(selectors.visible_registrations(request), pk=pk)
    if request.method == "POST":
        try:
            services.registration_cancel(registration=registration, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("L'inscription est annulée ; un e-mail de confirmation est envoyé."))
        return redirect("trainings:my_registrations")
    return render(
        request, "trainings/cancel_confirm.html", {"extranet_section": "trainings", "registration": registration}
    )


def trainee_request(request: HttpRequest) -> HttpResponse:
    """Public form « Première inscription » for people without a portal account.

    A valid form is recorded « en attente de confirmation » (``services.trainee_request_create``)
    and the page then asks to open the link e-mailed to the address typed. Refusals (robots,
    rate limits) show the form again with everything typed.
    """
    form = TraineeRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trainee_request_create(
                last_name=data["last_name"],
                first_name=data["first_name"],
                postal_address=data["postal_address"],
                email=data["email"],
                phone=data["phone"],
                employment_status=data["employment_status"],
                library=data["library"],
                structure_name=data["structure_name"],
                sessions=data["sessions"],
                client_address=client_ip(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            if exc.code == "rate_limited":
                status = 429
        else:
            return redirect("trainings:trainee_request_sent")
    context = {
        "form": form,
        "retention_days": TraineeRequest.RETENTION_DAYS,
        "confirmation_hours": settings.TRAINEE_REQUEST_CONFIRMATION_HOURS,
    }
    return render(request, "trainings/trainee_request.html", context, status=status)


def trainee_request_sent(request: HttpRequest) -> HttpResponse:
    """« Vérifiez votre boîte mail »: the same page whether the address has an account or not."""
    context = {"confirmation_hours": settings.TRAINEE_REQUEST_CONFIRMATION_HOURS}
    return render(request, "trainings/trainee_request_sent.html", context)


def trainee_request_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to a first-time trainee: GET asks to confirm, POST confirms.

    Confirming is a POST so that the link scanners of mail services, which open every link of
    a message, do not confirm a request in the person's place. A tampered, expired or
    forgotten link answers 400 with what to do, in French.
    """
    try:
        trainee_request = services.trainee_request_from_token(token)
    except ValidationError as exc:
        return render(request, "trainings/trainee_request_confirm.html", {"error": " ".join(exc.messages)}, status=400)
    already_done = trainee_request.is_email_confirmed
    if request.method == "POST":
        try:
            confirmation = services.trainee_request_confirm_email(token=token)
        except ValidationError as exc:
            context = {"error": " ".join(exc.messages)}
            return render(request, "trainings/trainee_request_confirm.html", context, status=400)
        return render(
            request,
            "trainings/trainee_request_confirmed.html",
            {"trainee_request": confirmation.trainee_request, "already_done": confirmation.already_done},
        )
    if already_done:
        return render(
            request,
            "trainings/trainee_request_confirmed.html",
            {"trainee_request": trainee_request, "already_done": True},
        )
    return render(request, "trainings/trainee_request_confirm.html", {"trainee_request": trainee_request})
