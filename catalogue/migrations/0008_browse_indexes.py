"""Indexes for browsing the catalogue by facets alone, without words.

A browse (no words: a type, a language, an audience, the whole catalogue) matched its rows
by reading every search row, search vectors included (92 MB for 250 000 records), once for
the facet counts and once for the page, and then joined every match to its record to sort
it by title: 116-135 ms for 9 000-13 000 matches of the 250 000 LoC records, where the
words of a search of that size take 35-45 ms (``bench/search_latency.py``). Now:

- ``catalogue_record (title, id)``: the page of a browse sorted by title walks the titles
  in order and stops after the page (also the admin's list, sorted by title);
- PostgreSQL only (SQLite's search rows are a view of the records), two covering indexes of
  the columns the facets count, 10 MB each, read without the table:

  - led by the facet columns: a browse by language (and audience, type...) reads a range;
  - led by ``record_id``: a browse by author or subject (the links of a record page)
    probes the ids of that author's or subject's records.
"""

from django.db import migrations, models

FACET_COLUMNS = "document_type, audience, language, publication_year, available_now"

POSTGRESQL_FORWARDS = [
    "CREATE INDEX IF NOT EXISTS catalogue_record_search_by_facet ON catalogue_record_search "
    "(language, audience, document_type, publication_year, available_now, record_id)",
    f"CREATE INDEX IF NOT EXISTS catalogue_record_search_by_record ON catalogue_record_search (record_id) "
    f"INCLUDE ({FACET_COLUMNS})",
]
POSTGRESQL_BACKWARDS = [
    "DROP INDEX IF EXISTS catalogue_record_search_by_facet",
    "DROP INDEX IF EXISTS catalogue_record_search_by_record",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_import_search_triggers_and_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="record",
            index=models.Index(fields=["title", "id"], name="catalogue_record_title_id"),
        ),
        migrations.RunPython(_run(POSTGRESQL_FORWARDS), _run(POSTGRESQL_BACKWARDS)),
    ]
