"""Editorial content of the portal: help pages and agenda events, managed by BDVO staff in admin."""

from __future__ import annotations

import datetime
import re
import unicodedata
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise(text: str) -> str:
    """Lower-case text without accents, so that "decloisonne" finds "décloisonné"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


class SearchableQuerySet(models.QuerySet):
    def published(self) -> SearchableQuerySet:
        return self.filter(is_published=True)

    def search(self, text: str) -> SearchableQuerySet:
        """Rows whose text contains every word of ``text`` (case and accents ignored): content's own
        search, which the site-wide search page (``bdvo_portal.search_views``) shows beside the
        catalogue's results for « Partout ».

        The tables are small (tens of rows): a substring match on a normalised copy of
        the text is enough and behaves the same on SQLite and PostgreSQL.
        """
        words = re.findall(r"\w+", normalise(text[:500]))[:12]
        queryset = self
        for word in words:
            queryset = queryset.filter(search_text__contains=word)
        return queryset if words else self.none()


class Page(models.Model):
    """An editorial page, such as the help pages ("Comment réserver un document ?")."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=200, unique=True)
    summary = models.CharField(_("résumé"), max_length=300, blank=True)
    body = models.TextField(_("texte"), help_text=_("Texte brut ; une ligne vide sépare deux paragraphes."))
    is_published = models.BooleanField(_("publiée"), default=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    search_text = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    objects = SearchableQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalise(" ".join([self.title, self.summary, self.body]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("content:page_detail", kwargs={"slug": self.slug})


class EventQuerySet(SearchableQuerySet):
    def upcoming(self) -> EventQuerySet:
        return self.filter(starts_at__gte=timezone.now() - datetime.timedelta(hours=12))


class Event(models.Model):
    """An agenda event (rencontre, journée professionnelle, exposition…)."""

    title = models.CharField(_("titre"), max_length=200)
    starts_at = models.DateTimeField(_("début"), db_index=True)
    ends_at = models.DateTimeField(_("fin"), null=True, blank=True)
    place = models.CharField(_("lieu"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    search_text = models.TextField(editable=False, default="")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements de l'agenda")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("La fin de l'événement doit suivre son début."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = normalise(" ".join([self.title, self.place, self.description]))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("content:event_detail", kwargs={"pk": self.pk})
