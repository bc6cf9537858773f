"""The « Espace personnel BDVO » (``/personnel/``): whose libraries the account manages, and the staff pages."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_referent_reads_their_territories_and_the_staff_pages(client_for, referent, library, other_library):
    response = client_for(referent).get(reverse("staff_home"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Votre territoire :" in page and library.territory.name in page
    assert other_library.territory.name not in page
    for name in ("catalogue_staff:lending", "catalogue_staff:returns", "animation_tools:navette", "admin:index"):
        assert f'href="{reverse(name)}"' in page
    # The group « Référents de territoire » answers trainee requests and manages accounts.
    assert reverse("admin:trainings_traineerequest_changelist") in page
    assert reverse("admin:extranet_user_changelist") in page
    assert reverse("admin:animation_tools_toolbooking_changelist") not in page  # no such right


def test_admin_links_follow_the_permissions(client_for, referent):
    referent.user_permissions.add(Permission.objects.get(codename="view_toolbooking"))
    page = client_for(referent).get(reverse("staff_home")).content.decode()
    assert reverse("admin:animation_tools_toolbooking_changelist") + "?status__exact=requested" in page


@pytest.mark.parametrize("account", ["network_staff", "admin_user"])
def test_bdvo_wide_staff_act_for_every_library(client_for, request, account, library, other_library):
    page = client_for(request.getfixturevalue(account)).get(reverse("staff_home")).content.decode()
    assert "Vous agissez pour toutes les bibliothèques du réseau." in page


def test_partners_get_403_and_anonymous_the_login_page(client, client_for, manager):
    assert client_for(manager).get(reverse("staff_home")).status_code == 403
    response = client.get(reverse("staff_home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
