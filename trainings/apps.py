from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def grant_referents_trainee_requests(sender: AppConfig, **kwargs: Any) -> None:
    """Referents answer first-time trainee requests in admin (scoped to their territories there)."""
    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Référents de territoire")
    permissions = Permission.objects.filter(
        content_type__app_label="trainings", codename__in=["view_traineerequest", "change_traineerequest"]
    )
    group.permissions.add(*permissions)


class TrainingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "trainings"
    verbose_name = "Formations"

    def ready(self) -> None:
        post_migrate.connect(grant_referents_trainee_requests, sender=self)
