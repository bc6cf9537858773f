"""Animation tools: public catalogue, availability calendar, pre-booking, the library's bookings."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from animation_tools import ics, selectors, services
from animation_tools.conf import booking_settings
from animation_tools.filters import ToolFilter
from animation_tools.forms import BookingForm
from animation_tools.models import TechnicalSheet, Tool, ToolBooking, ToolPhoto, ToolType
from extranet.files import stored_file_response
from extranet.permissions import manager_required, partner_required
from extranet.tenancy import PartnerRequest, get_scoped_object_or_404

TOOLS_PER_TYPE_ON_INDEX = 4


def _rules_context() -> dict[str, object]:
    config = booking_settings()
    return {
        "booking_rules": config,
        "contact_email": settings.BDVO_CONTACT_EMAIL,
        "contact_phone": settings.BDVO_CONTACT_PHONE,
    }


def index(request: HttpRequest) -> HttpResponse:
    """« Pré-réservez un outil d'animation »: each type with a few tools and « Tout voir »."""
    first_tools = Tool.objects.active().prefetch_related("photos").order_by("name")
    types = (
        ToolType.objects.annotate(tool_count=Count("tools", filter=Q(tools__is_active=True)))
        .filter(tool_count__gt=0)
        .prefetch_related(Prefetch("tools", queryset=first_tools[:TOOLS_PER_TYPE_ON_INDEX], to_attr="first_tools"))
    )
    return render(request, "animation_tools/index.html", {"types": types, **_rules_context()})


def type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Every tool of a type, filterable by audience and by availability over chosen dates."""
    tool_type = get_object_or_404(ToolType, slug=slug)
    tools = Tool.objects.active().filter(type=tool_type).prefetch_related("photos")
    tool_filter = ToolFilter(request.GET or None, queryset=tools)
    return render(
        request,
        "animation_tools/type_detail.html",
        {"tool_type": tool_type, "filter": tool_filter, "tools": tool_filter.qs if tool_filter.is_bound else tools},
    )


def _active_tool(slug: str) -> Tool:
    return get_object_or_404(Tool.objects.active().select_related("type"), slug=slug)


def tool_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tool = _active_tool(slug)
    context = {
        "tool": tool,
        "photos": tool.photos.all(),
        "sheets": tool.sheets.all(),
        "convention_threshold": booking_settings().convention_threshold,
        **_rules_context(),
    }
    return render(request, "animation_tools/tool_detail.html", context)


def tool_book_intro(request: HttpRequest, slug: str) -> HttpResponse:
    """The « Réserver » step (a dialog on the tool page when JavaScript runs)."""
    return render(request, "animation_tools/tool_book_intro.html", {"tool": _active_tool(slug), **_rules_context()})


def _calendar_context(request: HttpRequest, tool: Tool, form: BookingForm) -> dict[str, object]:
    today = timezone.localdate()
    first_day = selectors.parse_month(request.GET.get("mois"), today)
    user = request.user
    # A partner sees the days of their library's rounds; anyone else the tool's availability only.
    library = getattr(user, "library", None) if user.is_authenticated else None
    return {
        "tool": tool,
        "grid": selectors.month_grid(tool, first_day, today=today, library=library),
        "next_round_days": selectors.next_round_days(library, today=today) if library is not None else [],
        "form": form,
        "can_book": user.is_authenticated and getattr(user, "is_manager", False),
        **_rules_context(),
    }


def tool_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """Month grid of the tool's availability and, for a Gestionnaire, the booking form."""
    tool = _active_tool(slug)
    initial = {
        key: request.GET.get(param)
        for key, param in (("loan_date", "pret"), ("return_date", "retour"))
        if request.GET.get(param)
    }
    return render(
        request, "animation_tools/tool_calendar.html", _calendar_context(request, tool, BookingForm(initial=initial))
    )


@manager_required
@require_POST
def tool_book(request: PartnerRequest, slug: str) -> HttpResponse:
    """« Réserver »: the request goes through every rule; a refusal is shown with the calendar."""
    tool = _active_tool(slug)
    form = BookingForm(request.POST)
    if form.is_valid():
        try:
            booking = services.booking_request(
                tool=tool,
                library=request.library,
                user=request.user,
                loan_date=form.cleaned_data["loan_date"],
                return_date=form.cleaned_data["return_date"],
                self_collect=form.cleaned_data["self_collect"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            text = _(
                "Votre demande de pré-réservation de « %(tool)s » a bien été enregistrée. La BDVO va l'examiner ; vous recevrez un e-mail à chaque étape."
            ) % {"tool": tool.name}
            if booking.convention_required:
                text += " " + _(
                    "Une convention est nécessaire : téléchargez-la ci-dessous, faites-la signer et renvoyez-la à la BDVO."
                )
            messages.success(request, text)
            return redirect("animation_tools:library_bookings")
    return render(request, "animation_tools/tool_calendar.html", _calendar_context(request, tool, form), status=200)


@partner_required
def library_bookings(request: PartnerRequest) -> HttpResponse:
    """The library's bookings with status, validated dates and convention; filterable; CSV export."""
    booking_filter, rows = selectors.library_bookings(request.library, request.GET)
    query = request.GET.urlencode()
    context = {
        "extranet_section": "tool_bookings",
        "filter": booking_filter,
        "bookings": rows,
        "feed_url": ics.feed_url(request.library),
        "export_url": reverse("extranet:export", args=["tool_bookings"]) + (f"?{query}" if query else ""),
    }
    return render(request, "animation_tools/library_bookings.html", context)


@manager_required
def booking_cancel(request: PartnerRequest, pk: int) -> HttpResponse:
    """Cancel while the tool is not out: GET asks for confirmation, POST cancels."""
    booking = get_scoped_object_or_404(request, ToolBooking.objects.select_related("tool"), pk=pk)
    if request.method == "POST":
        try:
            services.booking_cancel(booking=booking, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("La pré-réservation de « %(tool)s » est annulée.") % {"tool": booking.tool.name}
            )
        return redirect("animation_tools:library_bookings")
    return render(
        request, "animation_tools/booking_cancel.html", {"booking": booking, "extranet_section": "tool_bookings"}
    )


@require_POST
@manager_required
def calendar_link_renew(request: PartnerRequest) -> HttpResponse:
    """A Gestionnaire ends the library's calendar link (shared by mistake) and gets a new one."""
    services.calendar_link_renew(library=request.library, user=request.user)
    messages.success(
        request,
        _(
            "Le lien d'agenda est renouvelé : l'ancien ne fonctionne plus. "
            "Abonnez de nouveau votre agenda avec le lien ci-dessous."
        ),
    )
    return redirect(reverse("animation_tools:library_bookings") + "#agenda")


def convention_context(booking: ToolBooking) -> dict[str, object]:
    """The convention document: this booking and the library's other tools borrowed at the same time."""
    others = (
        ToolBooking.objects.for_library(booking.library)
        .blocking()
        .overlapping(booking.loan_date, booking.return_date)
        .exclude(pk=booking.pk)
        .select_related("tool__type")
    )
    bookings = [booking, *others]
    return {
        "booking": booking,
        "bookings": bookings,
        "total_value": sum(item.tool.value for item in bookings),
        "threshold": booking_settings().convention_threshold,
        "today": timezone.localdate(),
    }


@partner_required
def booking_convention(request: HttpRequest, pk: int) -> HttpResponse:
    """Printable convention of one of the library's bookings (only when one is needed)."""
    booking = get_scoped_object_or_404(
        request, ToolBooking.objects.select_related("tool__type", "library__territory"), pk=pk
    )
    if not booking.convention_required:
        raise Http404
    return render(request, "animation_tools/convention.html", convention_context(booking))


# The feed lists the library's bookings and is read without a session: no cache may keep it.
@cache_control(private=True, no_store=True)
def library_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The library's validated bookings as an iCalendar feed (secret token URL, no session)."""
    library = ics.library_from_token(token)
    if library is None:
        raise Http404
    response = HttpResponse(ics.library_calendar(library), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="outils-animation.ics"'
    return response


# --- files: public, served through the storage with caching headers ------------------------


ToolFile = TypeVar("ToolFile", TechnicalSheet, ToolPhoto)


def _readable_tool_file(request: HttpRequest, model: type[ToolFile], pk: int) -> ToolFile:
    """The sheet or photo ``pk``, or 404: those of an active tool are public; those of a withdrawn
    tool are read by the BDVO staff only (the tool is still in the admin)."""
    file_object = get_object_or_404(model.objects.select_related("tool"), pk=pk)
    if not file_object.tool.is_active and not (request.user.is_active and request.user.is_staff):
        raise Http404
    return file_object


def sheet_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A technical sheet as a PDF download; a missing file answers the French 404 page."""
    sheet = _readable_tool_file(request, TechnicalSheet, pk)
    return stored_file_response(
        request, sheet.file, public=sheet.tool.is_active, filename=sheet.download_name, as_attachment=True
    )


def photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A tool photo, shown inline; a missing file answers the French 404 page."""
    tool_photo = _readable_tool_file(request, ToolPhoto, pk)
    return stored_file_response(request, tool_photo.image, public=tool_photo.tool.is_active)
