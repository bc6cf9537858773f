from django.apps import AppConfig


class BdvoPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bdvo_portal"

    def ready(self) -> None:
        from bdvo_portal import checks  # noqa: F401 - registers the deployment checks
