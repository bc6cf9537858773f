from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.module_loading import autodiscover_modules


def ensure_referent_group(sender: AppConfig, **kwargs: Any) -> None:
    """The "Référents de territoire" group: what a referent may do in admin (scoped by territory there).

    Run after each app's migrations (idempotent), since the catalogue's permissions only
    exist once that app, which comes after this one, has been migrated."""
    if sender.label not in {"extranet", "catalogue"}:
        return
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Référents de territoire")
    codenames = [
        "view_territory",
        "view_library",
        "change_library",
        "view_user",
        "add_user",
        "change_user",
    ]
    # The navette rounds of their territories (and of its libraries): rules and one-off changes.
    codenames += [
        f"{action}_{model}"
        for action in ("view", "add", "change", "delete")
        for model in ("navetterule", "navetteroundchange")
    ]
    codenames += ["view_closureperiod"]
    # Loans and reservations are listed for their libraries only (scoped admins); the catalogue
    # itself stays with the staff who manage it (its items show which library holds them).
    codenames += ["view_loan", "view_reservation", "change_reservation"]
    # They answer the renewal requests of their libraries (when LOAN_RENEWALS_NEED_STAFF).
    codenames += ["view_loanrenewal", "change_loanrenewal"]
    # SIGB export profiles: a referent sets their territories' defaults and helps their libraries.
    codenames += ["view_exportprofile", "add_exportprofile", "change_exportprofile"]
    permissions = Permission.objects.filter(
        content_type__app_label__in=["extranet", "catalogue"], codename__in=codenames
    )
    group.permissions.add(*permissions)
    # Granted by earlier versions, withdrawn since: the items list shows which library holds what.
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="catalogue", codename__in=["view_record", "view_item"])
    )


def ensure_network_wide_group(sender: AppConfig, **kwargs: Any) -> None:
    """The permission « Agit pour toutes les bibliothèques du réseau » and the group « Personnel
    BDVO (tout le réseau) » that holds it: BDVO-wide staff who are not administrators (lending
    desk, navette, trainings) see and act for every library (``extranet.querysets.staff_scope``);
    other staff act for the libraries of the territories they follow. Idempotent."""
    if sender.label != "extranet":
        return
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    from extranet.models import Territory
    from extranet.querysets import NETWORK_WIDE_GROUP, NETWORK_WIDE_PERMISSION

    codename = NETWORK_WIDE_PERMISSION.split(".")[1]  # "extranet.", the app of Territory
    permission, _ = Permission.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(Territory),
        codename=codename,
        defaults={"name": "Agit pour toutes les bibliothèques du réseau (personnel BDVO)"},
    )
    group, _ = Group.objects.get_or_create(name=NETWORK_WIDE_GROUP)
    group.permissions.add(permission)


def forget_cached_rounds_on_commit(sender: type, **kwargs: Any) -> None:
    """A navette rule, round change or closure was saved or deleted: the cached rounds end now
    (for this transaction's own reads) and once it is committed (for the reads of others that
    cached the old rounds meanwhile)."""
    from django.db import transaction

    from extranet import navette

    navette.forget_cached_rounds()
    transaction.on_commit(navette.forget_cached_rounds)


class ExtranetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "extranet"
    verbose_name = "Réseau et comptes"

    def ready(self) -> None:
        post_migrate.connect(ensure_referent_group, dispatch_uid="extranet.ensure_referent_group")
        post_migrate.connect(ensure_network_wide_group, dispatch_uid="extranet.ensure_network_wide_group")
        from allauth.account.signals import password_reset

        from extranet.throttling import forget_failures_on_password_reset

        password_reset.connect(forget_failures_on_password_reset, dispatch_uid="extranet.forget_login_failures")
        for model_name in ("NavetteRule", "NavetteRoundChange", "ClosurePeriod"):
            model = self.get_model(model_name)
            for event, signal in (("saved", post_save), ("deleted", post_delete)):
                uid = f"extranet.navette.{model_name}.{event}"
                signal.connect(forget_cached_rounds_on_commit, sender=model, dispatch_uid=uid)
        # Each app's espace.py registers its pages, menu entries and dashboard panels, as
        # admin.py modules do for the admin site.
        from extranet.exports import registry
        from extranet.site import site

        autodiscover_modules("espace", register_to=site)
        # Each app's navette.py registers what it sends with the navette (extranet.navette_plan).
        autodiscover_modules("navette")
        # Each app's exports.py lists its exporters (``EXPORTERS``), served by extranet:export.
        registry.autodiscover()
