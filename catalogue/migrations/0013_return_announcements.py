"""Loans carry the return a library announced for its next navette round (issue 16):
``return_announced_for`` (the round's day) and ``return_announced_at``; a partial index
serves the staff navette plan's « Retours annoncés »."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0012_reservation_circulation_renewals"),
    ]

    operations = [
        migrations.AddField(
            model_name="loan",
            name="return_announced_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="retour annoncé le"),
        ),
        migrations.AddField(
            model_name="loan",
            name="return_announced_for",
            field=models.DateField(
                blank=True,
                help_text="Jour de la tournée de navette qui rapportera le document (annoncé par la bibliothèque).",
                null=True,
                verbose_name="retour annoncé pour la navette du",
            ),
        ),
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(
                condition=models.Q(("return_announced_for__isnull", False), ("returned_on__isnull", True)),
                fields=["return_announced_for"],
                name="loan_return_announced",
            ),
        ),
    ]
