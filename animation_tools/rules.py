"""The BDVO's rules for pre-booking an animation tool — the one place they are written.

The booking form, the services, the admin (verdict shown on each booking) and the tests
all call ``check_booking``. Each refusal names the rule and says what to do, in French:

1. the return date is after the loan date, and a loan lasts at most ``MAX_LOAN_DAYS``;
   both dates are days of the library's navette rounds (``extranet.navette``), or BDVO open
   days when the library collects and brings back the tool itself (staff may override);
2. lead time: at least 7 days between the request and the loan date, one calendar month
   when a convention is needed (staff may override);
3. a convention is needed when the tool is worth more than 5 000 €, or when the library's
   active bookings overlapping the period plus this one are worth more than that together
   (staff may override: the booking then needs no convention);
4. a tool never goes from one library to another: after each return it is blocked for a
   turnaround gap of working days (its return to the BDVO and its check);
5. no overlap with another active booking of the same tool (turnaround included) — also
   guaranteed by the database under concurrency (see ``ToolBooking``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from animation_tools.conf import BookingSettings, booking_settings
from animation_tools.models import Tool, ToolBooking
from animation_tools.working_days import add_working_days
from extranet import navette
from extranet.models import Library

DATES = "dates"
ROUND_DAY = "round_day"
TOOL_INACTIVE = "tool_inactive"
LEAD_TIME = "lead_time"
TURNAROUND = "turnaround"
OVERLAP = "overlap"
# Rules staff may set aside for an exceptional case (rule 3 is waived through ``convention_waived``).
OVERRIDABLE_RULES = frozenset({LEAD_TIME, ROUND_DAY})
# How many of the next possible days a refusal names.
POSSIBLE_DAYS_NAMED = 2


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str


@dataclass(frozen=True)
class Verdict:
    convention_required: bool
    convention_reason: str
    blocked_until: datetime.date
    refusals: tuple[Refusal, ...]

    @property
    def accepted(self) -> bool:
        return not self.refusals

    @property
    def messages(self) -> list[str]:
        return [refusal.message for refusal in self.refusals]

    def summary(self) -> str:
        """One line for the admin: accepted, or the rules that refuse."""
        convention = (
            _("convention nécessaire : %(reason)s") % {"reason": self.convention_reason}
            if self.convention_required
            else _("pas de convention nécessaire")
        )
        if self.accepted:
            return _("Conforme aux règles (%(convention)s).") % {"convention": convention}
        return " ".join(self.messages) + f" ({convention})"


def format_date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def format_euros(value: Decimal) -> str:
    """``Decimal("5200")`` → ``"5 200,00 €"``."""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",") + " €"


def describe_length(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return _("%(count)s semaines") % {"count": weeks} if weeks > 1 else _("1 semaine")
    return _("%(count)s jours") % {"count": days}


def convention_lead_date(today: datetime.date, config: BookingSettings) -> datetime.date:
    return today + relativedelta(months=config.convention_lead_time_months)


def earliest_loan_date(
    *, today: datetime.date, convention_required: bool, config: BookingSettings | None = None
) -> datetime.date:
    config = config or booking_settings()
    if convention_required:
        return convention_lead_date(today, config)
    return today + datetime.timedelta(days=config.lead_time_days)


def blocked_until_for(return_date: datetime.date, config: BookingSettings | None = None) -> datetime.date:
    """Last day the tool is unavailable after a loan returned on ``return_date``."""
    config = config or booking_settings()
    return add_working_days(return_date, config.turnaround_working_days)


def convention_verdict(
    *, tool: Tool, library: Library, loan_date: datetime.date, return_date: datetime.date,
    exclude_pk: int | None = None, config: BookingSettings | None = None,
) -> tuple[bool, str]:  # fmt: skip
    """Rule 3: (needed?, why in French). Exactly the threshold needs none; one cent more does."""
    config = config or booking_settings()
    threshold = config.convention_threshold
    if tool.value > threshold:
        return True, _("la valeur de cet outil (%(value)s) dépasse %(threshold)s") % {
            "value": format_euros(tool.value),
            "threshold": format_euros(threshold),
        }
    same_period = ToolBooking.objects.for_library(library).blocking().overlapping(loan_date, return_date)
    if exclude_pk is not None:
        same_period = same_period.exclude(pk=exclude_pk)
    others: list[ToolBooking] = list(same_period.select_related("tool").order_by("loan_date", "pk"))
    total = tool.value + sum((booking.tool.value for booking in others), Decimal("0"))
    if others and total > threshold:
        names = ", ".join(booking.tool.name for booking in others)
        return True, _(
            "avec vos autres outils pré-réservés sur la même période (%(names)s), la valeur totale (%(total)s) dépasse %(threshold)s"
        ) % {"names": names, "total": format_euros(total), "threshold": format_euros(threshold)}
    return False, ""


def possible_days(
    library: Library, start: datetime.date, end: datetime.date, *, self_collect: bool
) -> list[datetime.date]:
    """Days of ``start``..``end`` a tool of ``library`` may leave the BDVO or come back: the
    library's navette rounds, or the BDVO's open days when it collects and brings back the tool
    itself. Three queries (one when ``self_collect``)."""
    if self_collect:
        return navette.bdvo_open_days(start, end)
    return [one.day for one in navette.rounds_for(library, start, end)]


def _round_day_refusal(
    day: datetime.date, following: list[datetime.date], *, self_collect: bool, today: datetime.date
) -> Refusal:
    """« Le 25 décembre 2026 n'est pas un jour de navette pour votre bibliothèque. Prochains jours
    possibles : mardi 29 décembre, mardi 12 janvier. »"""
    values = {"date": navette.format_date(day)}
    if self_collect:
        message = _("Le %(date)s n'est pas un jour d'ouverture de la BDVO : pas de retrait ni de retour ce jour-là.")
    else:
        message = _("Le %(date)s n'est pas un jour de navette pour votre bibliothèque.")
    if following:
        message += " " + _("Prochains jours possibles : %(days)s.")
        values["days"] = ", ".join(navette.format_day(one, today=today) for one in following)
    elif not self_collect:
        message += " " + _(
            "Aucune tournée n'est prévue dans l'année qui suit : choisissez le retrait et le retour par la "
            "bibliothèque, ou contactez votre référent·e."
        )
    return Refusal(ROUND_DAY, message % values)


def round_day_refusals(
    *, library: Library, loan_date: datetime.date, return_date: datetime.date, self_collect: bool,
    today: datetime.date,
) -> list[Refusal]:  # fmt: skip
    """Rule 1's days: a refusal for the loan date, the return date, or both, when they are not
    ``possible_days``, naming the next possible days after each."""
    days = possible_days(
        library, loan_date, return_date + datetime.timedelta(days=navette.SEARCH_DAYS), self_collect=self_collect
    )
    allowed = set(days)
    refusals = []
    for day in (loan_date, return_date):
        if day not in allowed:
            following = [one for one in days if one > day][:POSSIBLE_DAYS_NAMED]
            refusals.append(_round_day_refusal(day, following, self_collect=self_collect, today=today))
    return refusals


def _latest_return_before(loan_date: datetime.date, config: BookingSettings) -> datetime.date:
    """Latest return date whose turnaround ends before another booking's ``loan_date``."""
    day = loan_date - datetime.timedelta(days=1)
    while blocked_until_for(day, config) >= loan_date:
        day -= datetime.timedelta(days=1)
    return day


def _conflict_refusals(
    *, tool: Tool, loan_date: datetime.date, return_date: datetime.date, blocked_until: datetime.date,
    exclude_pk: int | None, config: BookingSettings,
) -> list[Refusal]:  # fmt: skip
    conflicts = (
        ToolBooking.objects.all_libraries()  # a tool is held whoever booked it
        .blocking()
        .filter(tool=tool, loan_date__lte=blocked_until, blocked_until__gte=loan_date)
    )
    if exclude_pk is not None:
        conflicts = conflicts.exclude(pk=exclude_pk)
    conflicts = conflicts.order_by("loan_date")
    refusals = []
    for other in conflicts:
        if other.loan_date <= return_date and loan_date <= other.return_date:
            refusals.append(Refusal(OVERLAP, overlap_message(other.loan_date, other.blocked_until)))
            continue
        gap = config.turnaround_working_days
        if loan_date > other.return_date:
            advice = _("Choisissez une date de prêt à partir du %(date)s.") % {
                "date": format_date(other.blocked_until + datetime.timedelta(days=1))
            }
        else:
            advice = _("Choisissez une date de retour au plus tard le %(date)s.") % {
                "date": format_date(_latest_return_before(other.loan_date, config))
            }
        refusals.append(
            Refusal(
                TURNAROUND,
                _(
                    "Pas de transfert entre bibliothèques : entre deux prêts, l'outil revient à la BDVO pour être vérifié "
                    "(%(gap)s jours ouvrés après chaque retour). Il est déjà prêté du %(start)s au %(end)s et indisponible "
                    "jusqu'au %(blocked)s inclus. %(advice)s"
                )
                % {
                    "gap": gap,
                    "start": format_date(other.loan_date),
                    "end": format_date(other.return_date),
                    "blocked": format_date(other.blocked_until),
                    "advice": advice,
                },
            )
        )
    return refusals


def overlap_message(start: datetime.date | None = None, end: datetime.date | None = None) -> str:
    """Rule 5's refusal; without dates when the database constraint caught a concurrent request."""
    if start is None or end is None:
        situation = _("une autre demande vient d'être enregistrée pour ces dates (retour et vérification compris).")
    else:
        situation = _("cet outil est déjà pré-réservé du %(start)s au %(end)s (retour et vérification compris).") % {
            "start": format_date(start),
            "end": format_date(end),
        }
    return _(
        "Outil déjà réservé : %(situation)s Choisissez d'autres dates : le calendrier signale les jours indisponibles."
    ) % {"situation": situation}


def check_booking(
    *,
    tool: Tool,
    library: Library,
    loan_date: datetime.date,
    return_date: datetime.date,
    today: datetime.date,
    exclude_pk: int | None = None,
    override: bool = False,
    convention_waived: bool = False,
    self_collect: bool = False,
) -> Verdict:
    """Every rule for booking ``tool`` by ``library`` from ``loan_date`` to ``return_date``.

    ``today`` is the day of the request. ``exclude_pk`` leaves an existing booking out (to
    re-check it). ``override`` sets aside the overridable rules (lead time, navette days);
    ``convention_waived`` lifts rule 3. ``self_collect``: the library collects and brings back
    the tool itself, so the dates are BDVO open days instead of navette days. Reads only: the
    caller decides what to do.
    """
    config = booking_settings()
    refusals: list[Refusal] = []
    if not tool.is_active:
        refusals.append(
            Refusal(
                TOOL_INACTIVE,
                _("Outil indisponible : cet outil n'est plus proposé au prêt. Choisissez un autre outil du catalogue."),
            )
        )
    latest_loan = today + datetime.timedelta(days=config.max_advance_days)
    if loan_date > latest_loan:
        refusals.append(
            Refusal(
                DATES,
                _(
                    "Date trop lointaine : une pré-réservation se fait au plus %(days)s jours à l'avance. "
                    "Choisissez une date de prêt au plus tard le %(date)s."
                )
                % {"days": config.max_advance_days, "date": format_date(latest_loan)},
            )
        )
        return Verdict(False, "", loan_date, tuple(refusals))
    if return_date <= loan_date:
        refusals.append(
            Refusal(
                DATES,
                _(
                    "Dates incohérentes : la date de retour doit être après la date de prêt. Choisissez une date de retour à partir du %(date)s."
                )
                % {"date": format_date(loan_date + datetime.timedelta(days=1))},
            )
        )
        return Verdict(False, "", loan_date, tuple(refusals))
    if (return_date - loan_date).days > config.max_loan_days:
        refusals.append(
            Refusal(
                DATES,
                _(
                    "Durée trop longue : un prêt dure au plus %(length)s. Choisissez une date de retour au plus tard le %(date)s."
                )
                % {
                    "length": describe_length(config.max_loan_days),
                    "date": format_date(loan_date + datetime.timedelta(days=config.max_loan_days)),
                },
            )
        )
        return Verdict(False, "", loan_date, tuple(refusals))
    if not override:
        refusals += round_day_refusals(
            library=library, loan_date=loan_date, return_date=return_date, self_collect=self_collect, today=today
        )
    convention_required, convention_reason = (False, "")
    if not convention_waived:
        convention_required, convention_reason = convention_verdict(
            tool=tool,
            library=library,
            loan_date=loan_date,
            return_date=return_date,
            exclude_pk=exclude_pk,
            config=config,
        )
    earliest = earliest_loan_date(today=today, convention_required=convention_required, config=config)
    if loan_date < earliest and not override:
        why = ""
        if convention_required:
            why = " " + _("Une convention est nécessaire ici : %(reason)s.") % {"reason": convention_reason}
        refusals.append(
            Refusal(
                LEAD_TIME,
                _(
                    "Délai insuffisant : une pré-réservation doit être faite au moins %(days)s jours avant la date de prêt "
                    "(1 mois quand une convention est nécessaire).%(why)s Choisissez une date de prêt à partir du %(date)s, "
                    "ou contactez la BDVO pour un cas exceptionnel."
                )
                % {"days": config.lead_time_days, "why": why, "date": format_date(earliest)},
            )
        )
    blocked_until = blocked_until_for(return_date, config)
    refusals += _conflict_refusals(
        tool=tool,
        loan_date=loan_date,
        return_date=return_date,
        blocked_until=blocked_until,
        exclude_pk=exclude_pk,
        config=config,
    )
    return Verdict(convention_required, convention_reason, blocked_until, tuple(refusals))


def booking_verdict(booking: ToolBooking, *, today: datetime.date) -> Verdict:
    """The rules applied to an existing booking (shown in the admin)."""
    return check_booking(
        tool=booking.tool,
        library=booking.library,
        loan_date=booking.loan_date,
        return_date=booking.return_date,
        today=timezone.localdate(booking.created_at) if booking.created_at else today,
        exclude_pk=booking.pk,
        override=booking.rules_overridden,
        convention_waived=booking.rules_overridden and not booking.convention_required,
        self_collect=booking.self_collect,
    )


def unavailable_days(tool: Tool, start: datetime.date, end: datetime.date) -> dict[datetime.date, str]:
    """Days of ``start``..``end`` when ``tool`` is held: ``"loan"`` or ``"turnaround"``. No library names."""
    days: dict[datetime.date, str] = {}
    bookings = (
        ToolBooking.objects.all_libraries().blocking().filter(tool=tool, loan_date__lte=end, blocked_until__gte=start)
    )
    for booking in bookings.only("loan_date", "return_date", "blocked_until"):
        day = max(booking.loan_date, start)
        while day <= min(booking.blocked_until, end):
            kind = "loan" if day <= booking.return_date else "turnaround"
            if days.get(day) != "loan":
                days[day] = kind
            day += datetime.timedelta(days=1)
    return days
