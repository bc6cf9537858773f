"""The 500 handler: a French page that needs neither the database nor a context processor.

A server error may come from the database or the cache being down, so the page renders
from the settings alone (``templates/500.html``) and, should even that fail, from a
constant.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

logger = logging.getLogger(__name__)

FALLBACK_500 = (
    '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Erreur — BDVO</title></head>'
    "<body><main><h1>Une erreur est survenue</h1><p>Le portail a rencontré un problème. "
    'Réessayez dans quelques instants.</p><p><a href="/">Retour à l\'accueil</a></p></main></body></html>'
)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: ``500.html`` rendered without the request (so no context processor runs)."""
    context = {"contact_email": settings.BDVO_CONTACT_EMAIL, "contact_phone": settings.BDVO_CONTACT_PHONE}
    try:
        body = loader.get_template("500.html").render(context)
    except Exception:  # the error page itself must never fail
        logger.exception("templates/500.html could not be rendered")
        body = FALLBACK_500
    return HttpResponseServerError(body)
