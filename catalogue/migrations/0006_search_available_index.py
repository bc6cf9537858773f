"""Partial index of the search rows whose record has an available item (PostgreSQL).

With « Disponible maintenant » chosen, a broad query (« history », 46 000 matches, a few
available) otherwise reads every match to keep a handful; with the index PostgreSQL
intersects the two or starts from the available rows. ANALYZE gives the planner the
statistics of the column added by 0005.
"""

from django.db import migrations

POSTGRESQL_FORWARDS = [
    "CREATE INDEX catalogue_record_search_available ON catalogue_record_search (record_id) WHERE available_now",
    "ANALYZE catalogue_record_search",
]
POSTGRESQL_BACKWARDS = ["DROP INDEX IF EXISTS catalogue_record_search_available"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_available_now")]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRESQL_FORWARDS}), _run({"postgresql": POSTGRESQL_BACKWARDS})),
    ]
