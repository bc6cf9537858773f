from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_referent_group(sender: AppConfig, **kwargs: Any) -> None:
    """The "Référents de territoire" group: what a referent may do in admin (scoped by territory there)."""
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
    codenames += ["view_loan", "view_reservation", "change_reservation", "view_record", "view_item"]
    permissions = Permission.objects.filter(
        content_type__app_label__in=["extranet", "catalogue"], codename__in=codenames
    )
    group.permissions.add(*permissions)


class ExtranetConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "extranet"
    verbose_name = "Réseau et comptes"

    def ready(self) -> None:
        post_migrate.connect(ensure_referent_group, sender=self)
