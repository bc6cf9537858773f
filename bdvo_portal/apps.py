from typing import Any

from django.apps import AppConfig, apps
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


def create_cache_tables(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """``migrate`` also creates the table of the database cache (the default cache without
    Redis: record pages and login throttles), once, after the last app's migrations;
    ``createcachetable`` leaves an existing table alone and does nothing for Redis."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        call_command("createcachetable", database=using, verbosity=0)


class BdvoPortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bdvo_portal"

    def ready(self) -> None:
        from bdvo_portal import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(create_cache_tables, dispatch_uid="bdvo_portal.create_cache_tables")
