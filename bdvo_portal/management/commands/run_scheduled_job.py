"""Run one periodic job of ``CELERY_BEAT_SCHEDULE`` now, in this process (or list them).

`make run` has no Celery beat (tasks run eagerly, nothing is scheduled): this is how a
developer, or an operator without beat, runs a reminder or a purge by hand.
"""

from __future__ import annotations

from typing import Any

from celery.schedules import crontab
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bdvo_portal.celery import app


def describe_schedule(schedule: object) -> str:
    """A crontab as its five cron fields (``15 3 * * *``), anything else as Celery prints it."""
    if isinstance(schedule, crontab):
        fields = ("_orig_minute", "_orig_hour", "_orig_day_of_month", "_orig_month_of_year", "_orig_day_of_week")
        return "cron « " + " ".join(str(getattr(schedule, name)) for name in fields) + " »"
    return str(schedule)


class Command(BaseCommand):
    help = (
        "Lance maintenant, dans ce processus, une tâche planifiée de CELERY_BEAT_SCHEDULE "
        "(sans nom : liste les tâches planifiées et leur horaire, heure de Paris)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="nom de la tâche planifiée, par ex. remind-tool-returns")

    def handle(self, *args: Any, name: str | None = None, **options: Any) -> None:
        schedule: dict[str, dict[str, Any]] = settings.CELERY_BEAT_SCHEDULE
        if not name:
            for entry_name, entry in schedule.items():
                self.stdout.write(f"{entry_name}\t{entry['task']}\t{describe_schedule(entry['schedule'])}")
            return
        if name not in schedule:
            raise CommandError(f"Tâche planifiée inconnue : {name}. Tâches : {', '.join(schedule)}.")
        app.loader.import_default_modules()
        task_name = schedule[name]["task"]
        task = app.tasks.get(task_name)
        if task is None:
            raise CommandError(f"La tâche {task_name} de « {name} » n'existe pas dans le code déployé.")
        result = task.apply(args=schedule[name].get("args", ()), kwargs=schedule[name].get("kwargs", {}))
        value = result.get(propagate=True)
        self.stdout.write(f"{name} : terminé ({task_name} → {value}).")
