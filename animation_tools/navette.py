"""What the animation tools send with the navette: the tools to deliver (loan date) and to
collect (return date) of validated bookings, and those already out. Registered into the
ground's navette plan (``extranet.navette_plan``), read by the staff plan page and its export."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from animation_tools.models import ToolBooking
from extranet.models import Library
from extranet.navette_plan import PlanLine, register_source

NAVETTE_STATUSES = (ToolBooking.Status.VALIDATED, ToolBooking.Status.OUT)


def tool_lines(start: datetime.date, end: datetime.date, libraries: Sequence[Library]) -> list[PlanLine]:
    """One line per validated (or out) booking of ``libraries`` leaving on a day of ``start``..``end``,
    one per booking coming back then. One query."""
    by_pk = {library.pk: library for library in libraries}
    # The plan's libraries are the scope: the caller chose them for the staff member.
    bookings = (
        ToolBooking.objects.all_libraries()
        .filter(Q(loan_date__range=(start, end)) | Q(return_date__range=(start, end)))
        .filter(library_id__in=by_pk, status__in=NAVETTE_STATUSES)
        .select_related("tool__type")
        .order_by("tool__name", "pk")
    )
    lines = []
    for booking in bookings:
        library = by_pk[booking.library_id]
        detail = booking.tool.type.name
        if booking.convention_required:
            detail += f" — {_('convention')} : {booking.convention_state}"
        for day, direction in ((booking.loan_date, PlanLine.DELIVER), (booking.return_date, PlanLine.COLLECT)):
            if start <= day <= end:
                lines.append(
                    PlanLine(
                        day=day,
                        library=library,
                        direction=direction,
                        kind="tools",
                        item=booking.tool.name,
                        detail=detail,
                        crates=booking.tool.crates,
                        status=booking.get_status_display(),
                        self_collect=booking.self_collect,
                    )
                )
    return lines


register_source("tools", _("Outils d'animation"), tool_lines, order=10)
