"""``catalogue_record_search.available_now``: the record has an available item (facet « Disponibilité »).

Counting the facet evaluated ``EXISTS (an available item of this record)`` for every
matching row, on every search page. The flag is now kept on the search row:

- PostgreSQL: statement-level triggers on ``catalogue_item`` (insert, update, delete,
  truncate) recompute the flag of the records whose items changed, once per statement
  (an import copying 5 000 items runs one update, not 5 000). The rows are locked before
  the flag is recomputed, so that two loans of the last two available items of a record,
  committed at the same moment, cannot both leave the flag ``true``: the second waits for
  the first and then sees its item. A new record's row starts ``false`` (its items come
  after it); re-importing a record keeps the flag (the upsert of 0004 leaves it alone).
- SQLite: the view computes it.
"""

from django.db import migrations, models

POSTGRESQL_FORWARDS = [
    "ALTER TABLE catalogue_record_search ADD COLUMN available_now boolean NOT NULL DEFAULT false",
    """
    UPDATE catalogue_record_search s SET available_now = true
      WHERE EXISTS (SELECT 1 FROM catalogue_item i WHERE i.record_id = s.record_id AND i.status = 'available')
    """,
    """
    CREATE FUNCTION catalogue_record_search_refresh_availability(record_ids bigint[]) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
      IF cardinality(record_ids) = 0 THEN
        RETURN;
      END IF;
      -- Each statement of a volatile function takes a new snapshot: once the rows are
      -- locked, the update below sees the items of the transactions that held them.
      PERFORM 1 FROM catalogue_record_search WHERE record_id = ANY(record_ids) ORDER BY record_id FOR UPDATE;
      UPDATE catalogue_record_search s SET available_now = fresh.available_now
        FROM (
          SELECT r.record_id, EXISTS (
              SELECT 1 FROM catalogue_item i WHERE i.record_id = r.record_id AND i.status = 'available'
            ) AS available_now
          FROM unnest(record_ids) AS r(record_id)
        ) fresh
        WHERE s.record_id = fresh.record_id AND s.available_now <> fresh.available_now;
    END $$
    """,
    """
    CREATE FUNCTION catalogue_item_search_availability() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM catalogue_record_search_refresh_availability(
          ARRAY(SELECT DISTINCT record_id FROM new_items WHERE status = 'available'));
      ELSIF TG_OP = 'DELETE' THEN
        PERFORM catalogue_record_search_refresh_availability(
          ARRAY(SELECT DISTINCT record_id FROM old_items WHERE status = 'available'));
      ELSE
        PERFORM catalogue_record_search_refresh_availability(ARRAY(
          SELECT n.record_id FROM new_items n JOIN old_items o USING (id)
            WHERE n.status IS DISTINCT FROM o.status OR n.record_id <> o.record_id
          UNION
          SELECT o.record_id FROM new_items n JOIN old_items o USING (id)
            WHERE n.status IS DISTINCT FROM o.status OR n.record_id <> o.record_id));
      END IF;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_item_search_availability_insert AFTER INSERT ON catalogue_item
      REFERENCING NEW TABLE AS new_items
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability()
    """,
    """
    CREATE TRIGGER catalogue_item_search_availability_update AFTER UPDATE ON catalogue_item
      REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability()
    """,
    """
    CREATE TRIGGER catalogue_item_search_availability_delete AFTER DELETE ON catalogue_item
      REFERENCING OLD TABLE AS old_items
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability()
    """,
    """
    CREATE FUNCTION catalogue_item_search_availability_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE catalogue_record_search SET available_now = false WHERE available_now;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_item_search_availability_truncate AFTER TRUNCATE ON catalogue_item
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability_truncate()
    """,
]

POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalogue_item_search_availability_truncate ON catalogue_item",
    "DROP TRIGGER IF EXISTS catalogue_item_search_availability_delete ON catalogue_item",
    "DROP TRIGGER IF EXISTS catalogue_item_search_availability_update ON catalogue_item",
    "DROP TRIGGER IF EXISTS catalogue_item_search_availability_insert ON catalogue_item",
    "DROP FUNCTION IF EXISTS catalogue_item_search_availability_truncate()",
    "DROP FUNCTION IF EXISTS catalogue_item_search_availability()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_refresh_availability(bigint[])",
    "ALTER TABLE catalogue_record_search DROP COLUMN IF EXISTS available_now",
]

SQLITE_FORWARDS = [
    "DROP VIEW IF EXISTS catalogue_record_search",
    """
    CREATE VIEW catalogue_record_search AS
      SELECT id AS record_id, document_type, audience, language, publication_year,
        EXISTS (
          SELECT 1 FROM catalogue_item i WHERE i.record_id = catalogue_record.id AND i.status = 'available'
        ) AS available_now
      FROM catalogue_record
    """,
]
SQLITE_BACKWARDS = [
    "DROP VIEW IF EXISTS catalogue_record_search",
    """
    CREATE VIEW catalogue_record_search AS
      SELECT id AS record_id, document_type, audience, language, publication_year FROM catalogue_record
    """,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_record_search")]

    operations = [
        # RecordSearch is unmanaged: AddField records the column in the migration state only.
        migrations.AddField(
            model_name="recordsearch",
            name="available_now",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
    ]
