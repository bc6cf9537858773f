from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "catalogue"

    def ready(self) -> None:
        from catalogue import checks  # noqa: F401 - registers the deployment check
        from catalogue.record_page import connect_signals

        connect_signals()
