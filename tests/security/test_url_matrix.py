"""The security matrix: every URL of the portal, for every kind of visitor.

The patterns come from the URL resolver (``matrix.portal_patterns``), so a view added
tomorrow is checked without anyone listing it. For each pattern and each role —
anonymous, Consulter of A, Gestionnaire of A, Gestionnaire of B, referent of A's territory,
referent of another territory, BDVO administrator — it proves:

- anonymous never sees partner data: the espace professionnel and staff pages send to the
  login page, public pages never contain one of A's secrets;
- library B never reaches A's objects (404) nor sees A's data on any page;
- a referent of another territory never reaches A's objects on a staff page (404), never
  sees A's data there (not even its name on the lending form or the navette plan), and
  their POST changes nothing, where the same POST by A's referent does change A's rows;
- a Consulter never changes anything: POST and DELETE leave every table unchanged, and an
  action (a URL of the espace professionnel, or one whose POST changes data for a
  Gestionnaire) answers 403 (405 when the URL only reads);
- staff pages refuse partners, the espace professionnel refuses staff accounts.

The admin has its own referent checks at the end of this module, and
``test_referent_scopes`` attacks every staff page and admin action with its own requests.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests.security.conftest import changed_tables, database_snapshot
from tests.security.matrix import Pattern, World, portal_patterns

pytestmark = pytest.mark.django_db

LOGIN_URL = "/compte/login/"
PARTNER_SPACE = "/espace-pro/"
STAFF_SPACE = "/personnel/"
ROLES = ["anonymous", "viewer", "manager", "other_manager", "referent", "other_referent", "staff"]
STAFF_ROLES = {"referent", "other_referent", "staff"}
# Staff pages whose matrix POST (tests/security/matrix.py REGISTRY) changes A's rows when A's referent sends it.
ACTIONS_ON_A = {"catalogue_staff:lending", "catalogue_staff:returns"}
# Roles that must never read one of A's secrets anywhere outside the admin.
OUTSIDERS = {"anonymous", "other_manager", "other_referent"}
# What a Consulter does for themself, not on the library's data: the matrix lets these change.
VIEWER_MAY_CHANGE = {
    "trainings:session_register": "registering oneself to a training (trainings/views.py)",
}
# Account and public forms a Consulter may legitimately post to (their own password, the
# login and logout, a password reset): the matrix still proves they change no data here.
VIEWER_MAY_POST = set(VIEWER_MAY_CHANGE) | {
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_change_password",
    "account_set_password",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
}


def _client(world: World, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(world, role))
    return client


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _check_get(pattern: Pattern, world: World, role: str, url: str) -> list[str]:
    problems = []
    response = _client(world, role).get(url)
    status = response.status_code
    body = _body(response)
    where = f"GET {url} as {role} → {status}"
    in_partner_space = pattern.route.startswith(PARTNER_SPACE.lstrip("/"))
    in_staff_space = pattern.route.startswith(STAFF_SPACE.lstrip("/"))
    if status >= 500:
        problems.append(f"{where}: server error")
    if status == 405:  # a POST-only URL: nothing to read here, for anyone
        return problems
    redirected_to_login = status == 302 and response["Location"].startswith(LOGIN_URL)
    if role == "anonymous" and (in_partner_space or in_staff_space) and not redirected_to_login:
        problems.append(f"{where}: expected a redirect to the login page")
    if role in {"viewer", "manager", "other_manager"} and in_staff_space and status != 403:
        problems.append(f"{where}: staff page must refuse partner accounts (403)")
    if role in STAFF_ROLES and in_partner_space and status != 403:
        problems.append(f"{where}: the espace professionnel must refuse accounts without a library (403)")
    if role == "other_manager" and pattern.owned and not in_staff_space and status != 404:
        problems.append(f"{where}: another library's object must answer 404")
    if role == "other_referent" and pattern.owned and in_staff_space and status != 404:
        problems.append(f"{where}: an object of another territory's library must answer 404 on a staff page")
    if role in OUTSIDERS:
        secrets = world.secrets + (world.staff_secrets if in_staff_space and role == "other_referent" else [])
        leaked = [secret for secret in secrets if secret in body]
        if leaked:
            problems.append(f"{where}: shows library A's data {leaked}")
    return problems


def _check_changes(pattern: Pattern, world: World, url: str) -> list[str]:
    problems = []
    data = pattern.post_data(world)
    in_partner_space = pattern.route.startswith(PARTNER_SPACE.lstrip("/"))

    for method in ("post", "delete"):
        before = database_snapshot()
        response = (
            getattr(_client(world, "viewer"), method)(url, data)
            if method == "post"
            else _client(world, "viewer").delete(url)
        )
        changed = changed_tables(before, database_snapshot())
        where = f"{method.upper()} {url} as viewer → {response.status_code}"
        if response.status_code >= 500:
            problems.append(f"{where}: server error")
        if changed and pattern.name not in VIEWER_MAY_CHANGE:
            problems.append(f"{where}: a Consulter changed {changed}")
        if method == "post" and pattern.decorated_with("manager_required") and response.status_code != 403:
            problems.append(f"{where}: a Consulter's POST to a Gestionnaire view must be refused (403)")

    in_staff_space = pattern.route.startswith(STAFF_SPACE.lstrip("/"))
    if pattern.owned:
        # The outsider who may open this kind of page: library B's Gestionnaire on a partner
        # page, a referent of another territory on a staff page (partners get 403 there).
        outsider = "other_referent" if in_staff_space else "other_manager"
        before = database_snapshot()
        response = _client(world, outsider).post(url, data)
        changed = changed_tables(before, database_snapshot())
        where = f"POST {url} as {outsider} → {response.status_code}"
        if response.status_code not in {404, 405}:
            problems.append(f"{where}: another library's object must answer 404")
        if changed:
            problems.append(f"{where}: {outsider} changed {changed}")

    before = database_snapshot()
    response = Client().post(url, data)
    changed = changed_tables(before, database_snapshot())
    where = f"POST {url} as anonymous → {response.status_code}"
    if in_partner_space and not (
        response.status_code in {302, 405} and response.get("Location", LOGIN_URL).startswith(LOGIN_URL)
    ):
        problems.append(f"{where}: expected a redirect to the login page")
    if changed and in_partner_space:
        problems.append(f"{where}: anonymous changed {changed}")

    # The Gestionnaire as oracle: if the same POST changes data for them, it is an action
    # and the Consulter's refusal above had to be a 403.
    before = database_snapshot()
    viewer_status = _client(world, "viewer").post(url, data).status_code
    manager_response = _client(world, "manager").post(url, data)
    changed = changed_tables(before, database_snapshot())
    if manager_response.status_code >= 500:
        problems.append(f"POST {url} as manager → {manager_response.status_code}: server error")
    if changed and pattern.name not in VIEWER_MAY_POST and viewer_status not in {403, 404}:
        problems.append(
            f"POST {url}: changes {changed} for a Gestionnaire, so a Consulter must be refused (403, or 404 for what is not theirs), got {viewer_status}"
        )
    if in_staff_space:
        problems += _check_staff_changes(pattern, world, url, data)
    return problems


def _check_staff_changes(pattern: Pattern, world: World, url: str, data: dict[str, object]) -> list[str]:
    """A referent of another territory's POST with data about A changes nothing, shows nothing
    of A; the same POST by A's referent is the oracle (it does change A's rows when it is an action)."""
    problems = []
    before = database_snapshot()
    response = _client(world, "other_referent").post(url, data)
    changed = changed_tables(before, database_snapshot())
    where = f"POST {url} as other_referent → {response.status_code}"
    if response.status_code >= 500:
        problems.append(f"{where}: server error")
    if changed:
        problems.append(f"{where}: a referent of another territory changed {changed}")
    typed = " ".join(str(value) for value in data.values())  # echoed back, e.g. the barcode scanned
    body = _body(response)
    leaked = [secret for secret in world.secrets + world.staff_secrets if secret in body and secret not in typed]
    if leaked:
        problems.append(f"{where}: shows library A's data {leaked}")
    before = database_snapshot()
    response = _client(world, "referent").post(url, data)
    where = f"POST {url} as referent → {response.status_code}"
    if response.status_code >= 500:
        problems.append(f"{where}: server error")
    if pattern.name in ACTIONS_ON_A and not changed_tables(before, database_snapshot()):
        problems.append(f"{where}: A's referent changed nothing, so the attack above proves nothing")
    return problems


@pytest.mark.parametrize("pattern", portal_patterns(), ids=lambda pattern: pattern.name)
def test_url_matrix(pattern: Pattern, world: World):
    try:
        url = pattern.url(world)
    except LookupError as exc:
        pytest.fail(str(exc))
    problems = []
    if pattern.route.startswith(PARTNER_SPACE.lstrip("/")) and not (
        pattern.decorated_with("partner_required") or pattern.decorated_with("manager_required")
    ):
        problems.append(
            f"{pattern.route}: views of the espace professionnel go through extranet.permissions decorators"
        )
    for role in ROLES:
        problems += _check_get(pattern, world, role, url)
    problems += _check_changes(pattern, world, url)
    assert problems == [], "\n".join(problems)


def test_matrix_can_see_what_it_checks(world: World):
    """The walk finds the portal's views, reads their decorators, and A's secrets do show to A:
    an empty walk or an invisible secret cannot make the matrix pass silently."""
    patterns = {pattern.name: pattern for pattern in portal_patterns()}
    assert {"home", "search", "account_login", "extranet:dashboard", "extranet:users", "extranet:user_edit"} <= set(
        patterns
    )
    assert patterns["extranet:user_create"].decorated_with("manager_required")
    assert patterns["extranet:loans"].decorated_with("partner_required")
    assert not patterns["home"].decorated_with("partner_required")
    manager = _client(world, "manager")
    assert "MARINES-PRET-0001" in manager.get(reverse("extranet:loans")).content.decode()
    assert "MARINES-RETOUR-0002" in manager.get(reverse("extranet:returns")).content.decode()
    assert world.viewer.email in manager.get(reverse("extranet:users")).content.decode()


# --- admin: referents stay inside their territory ----------------------------------------------


def test_admin_refuses_partner_accounts_and_anonymous(world: World):
    for role in ("anonymous", "viewer", "manager"):
        response = _client(world, role).get(reverse("admin:index"))
        assert response.status_code == 302, role
        assert response["Location"].startswith(reverse("admin:login")), role


def test_referent_of_another_territory_cannot_see_or_open_a_libraries_and_accounts(world: World):
    client = _client(world, "other_referent")
    libraries = client.get(reverse("admin:extranet_library_changelist")).content.decode()
    assert world.other_library.name in libraries
    assert world.library.name not in libraries
    users = client.get(reverse("admin:extranet_user_changelist")).content.decode()
    assert world.other_manager.last_name in users
    assert all(secret not in users for secret in world.secrets)
    for url in (
        reverse("admin:extranet_library_change", args=[world.library.pk]),
        reverse("admin:extranet_user_change", args=[world.manager.pk]),
        reverse("admin:extranet_user_change", args=[world.viewer.pk]),
    ):
        response = client.get(url)
        assert response.status_code in {302, 404}, url
        if response.status_code == 302:
            assert response["Location"] == reverse("admin:index"), url
    before = database_snapshot()
    client.post(reverse("admin:extranet_user_change", args=[world.viewer.pk]), {"is_active": ""})
    client.post(reverse("admin:extranet_library_change", args=[world.library.pk]), {"name": "Piratée"})
    assert changed_tables(before, database_snapshot()) == []


def test_referent_of_the_territory_and_administrator_open_them(world: World):
    for role in ("referent", "staff"):
        client = Client()
        client.force_login(getattr(world, role))
        assert client.get(reverse("admin:extranet_library_change", args=[world.library.pk])).status_code == 200, role
        assert client.get(reverse("admin:extranet_user_change", args=[world.viewer.pk])).status_code == 200, role


@pytest.mark.parametrize(
    "model_admin", list(admin.site._registry.values()), ids=lambda model_admin: model_admin.model._meta.label_lower
)
def test_every_admin_changelist_hides_library_a_from_another_territory(world: World, model_admin):
    """Whatever the model, a referent of another territory gets no list (403) or one without A's data,
    not even A's name in a filter sidebar."""
    opts = model_admin.model._meta
    response = _client(world, "other_referent").get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code in {200, 403}
    content = response.content.decode()
    leaked = [secret for secret in world.secrets + world.staff_secrets if secret in content]
    assert leaked == []
