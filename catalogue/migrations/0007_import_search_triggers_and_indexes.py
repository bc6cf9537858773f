"""Search rows written once per statement (PostgreSQL), and fewer indexes on the records.

The row-level trigger of 0004 computed and upserted one search row per record: an import
of 5 000 records ran 5 000 trigger calls, 5 000 single-row upserts and 5 000 index
insertions one by one. Statement-level triggers with transition tables now do one
set-based upsert (or delete) per statement, whatever wrote the records (COPY of the
import, ORM save, admin, raw SQL):

- INSERT: a search row for every new record (an existing row for the same id is replaced,
  as before);
- UPDATE: a search row recomputed for every record whose searched or faceted columns
  changed, or that has no search row; ``available_now`` is left alone, as before;
- DELETE: the search rows of the deleted records go; TRUNCATE keeps its trigger of 0004.

PostgreSQL refuses column lists (``UPDATE OF …``) on triggers with transition tables, so
the UPDATE trigger compares old and new values instead.

Indexes of ``catalogue_record`` that no query uses go, since every record the import
writes updates each of them (about a third of the COPY time of the records):

- type, audience and language: the search filters and counts them on
  ``catalogue_record_search``; the admin's filters on them read the records in title
  order anyway (no index serves that sort);
- the ``varchar_pattern_ops`` twins Django adds to indexed text columns, which serve only
  ``LIKE 'prefix%'`` (``startswith``) lookups, and none is made on these columns (the
  admin and extranet searches use ``icontains``, which no btree serves). The plain btrees
  of ``source_id``, ``main_author``, ``isbn``, author names and subject labels stay (the
  import, admin sorting, the author and subject facets). Django only ever drops these
  twins with ``IF EXISTS``, so the model state needs no change for them.

On SQLite the three indexes go by ``DROP INDEX`` (an ``AlterField`` would rebuild the
table and lose the FTS triggers of 0003).
"""

from django.db import migrations, models

SEARCHED_COLUMNS = [
    "title",
    "authors_text",
    "subjects_text",
    "series",
    "summary",
    "publisher",
    "isbn",
    "document_type",
    "audience",
    "language",
    "publication_year",
]

_UPSERT_SELECT = """
    INSERT INTO catalogue_record_search
      (record_id, search_vector, document_type, audience, language, publication_year)
    SELECT n.id,
        setweight(to_tsvector('french_unaccent', coalesce(n.title, '')), 'A') ||
        setweight(to_tsvector('french_unaccent', coalesce(n.authors_text, '')), 'B') ||
        setweight(to_tsvector('french_unaccent', coalesce(n.subjects_text, '')), 'C') ||
        setweight(to_tsvector('french_unaccent', concat_ws(' ', n.series, n.summary, n.publisher, n.isbn)), 'D'),
      n.document_type, n.audience, n.language, n.publication_year
"""
_ON_CONFLICT = """
    ON CONFLICT (record_id) DO UPDATE SET
      search_vector = EXCLUDED.search_vector, document_type = EXCLUDED.document_type,
      audience = EXCLUDED.audience, language = EXCLUDED.language,
      publication_year = EXCLUDED.publication_year
"""
_OLD_VALUES = ", ".join(f"o.{column}" for column in SEARCHED_COLUMNS)
_NEW_VALUES = ", ".join(f"n.{column}" for column in SEARCHED_COLUMNS)

POSTGRESQL_FORWARDS = [
    "DROP TRIGGER IF EXISTS catalogue_record_search_upsert ON catalogue_record",
    "DROP TRIGGER IF EXISTS catalogue_record_search_delete ON catalogue_record",
    f"""
    CREATE FUNCTION catalogue_record_search_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {_UPSERT_SELECT} FROM new_records n {_ON_CONFLICT};
      RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION catalogue_record_search_update_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {_UPSERT_SELECT} FROM new_records n
        WHERE NOT EXISTS (
            SELECT 1 FROM old_records o WHERE o.id = n.id AND ({_OLD_VALUES}) IS NOT DISTINCT FROM ({_NEW_VALUES})
          )
          OR NOT EXISTS (SELECT 1 FROM catalogue_record_search s WHERE s.record_id = n.id)
      {_ON_CONFLICT};
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION catalogue_record_search_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM catalogue_record_search s USING old_records o WHERE s.record_id = o.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_record_search_insert AFTER INSERT ON catalogue_record
      REFERENCING NEW TABLE AS new_records
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_insert_rows()
    """,
    """
    CREATE TRIGGER catalogue_record_search_update AFTER UPDATE ON catalogue_record
      REFERENCING OLD TABLE AS old_records NEW TABLE AS new_records
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_update_rows()
    """,
    """
    CREATE TRIGGER catalogue_record_search_delete AFTER DELETE ON catalogue_record
      REFERENCING OLD TABLE AS old_records
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_delete_rows()
    """,
    "DROP FUNCTION IF EXISTS catalogue_record_search_upsert()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_delete()",
]

POSTGRESQL_BACKWARDS = [
    # The functions of 0004, as they were.
    """
    CREATE FUNCTION catalogue_record_search_upsert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO catalogue_record_search
        (record_id, search_vector, document_type, audience, language, publication_year)
      VALUES (NEW.id,
          setweight(to_tsvector('french_unaccent', coalesce(NEW.title, '')), 'A') ||
          setweight(to_tsvector('french_unaccent', coalesce(NEW.authors_text, '')), 'B') ||
          setweight(to_tsvector('french_unaccent', coalesce(NEW.subjects_text, '')), 'C') ||
          setweight(to_tsvector('french_unaccent', concat_ws(' ', NEW.series, NEW.summary, NEW.publisher, NEW.isbn)), 'D'),
        NEW.document_type, NEW.audience, NEW.language, NEW.publication_year)
      ON CONFLICT (record_id) DO UPDATE SET
        search_vector = EXCLUDED.search_vector, document_type = EXCLUDED.document_type,
        audience = EXCLUDED.audience, language = EXCLUDED.language,
        publication_year = EXCLUDED.publication_year;
      RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION catalogue_record_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM catalogue_record_search WHERE record_id = OLD.id;
      RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS catalogue_record_search_insert ON catalogue_record",
    "DROP TRIGGER IF EXISTS catalogue_record_search_update ON catalogue_record",
    "DROP TRIGGER IF EXISTS catalogue_record_search_delete ON catalogue_record",
    f"""
    CREATE TRIGGER catalogue_record_search_upsert
      AFTER INSERT OR UPDATE OF {", ".join(SEARCHED_COLUMNS)}
      ON catalogue_record FOR EACH ROW EXECUTE FUNCTION catalogue_record_search_upsert()
    """,
    """
    CREATE TRIGGER catalogue_record_search_delete AFTER DELETE ON catalogue_record
      FOR EACH ROW EXECUTE FUNCTION catalogue_record_search_delete()
    """,
    "DROP FUNCTION IF EXISTS catalogue_record_search_insert_rows()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_update_rows()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_delete_rows()",
]


# (table, index, column, btree kept): the btree of the column and its varchar_pattern_ops twin (PostgreSQL).
INDEXES = [
    ("catalogue_record", "catalogue_record_audience_bde6d8c2", "audience", False),
    ("catalogue_record", "catalogue_record_document_type_2f74a6c4", "document_type", False),
    ("catalogue_record", "catalogue_record_language_29a84f89", "language", False),
    ("catalogue_record", "catalogue_record_main_author_8f6a9d36", "main_author", True),
    ("catalogue_record", "catalogue_record_isbn_7624e65d", "isbn", True),
    ("catalogue_record", "catalogue_record_source_id_da243353", "source_id", True),
    ("catalogue_recordauthor", "catalogue_recordauthor_name_f6de19d8", "name", True),
    ("catalogue_recordsubject", "catalogue_recordsubject_label_7ef0a4c4", "label", True),
]

INDEX_FORWARDS = {
    "postgresql": [f"DROP INDEX IF EXISTS {name}_like" for _table, name, _column, _kept in INDEXES]
    + [f"DROP INDEX IF EXISTS {name}" for _table, name, _column, kept in INDEXES if not kept],
    "sqlite": [f"DROP INDEX IF EXISTS {name}" for _table, name, _column, kept in INDEXES if not kept],
}
INDEX_BACKWARDS = {
    "postgresql": [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})" for table, name, column, kept in INDEXES if not kept
    ]
    + [
        f"CREATE INDEX IF NOT EXISTS {name}_like ON {table} ({column} varchar_pattern_ops)"
        for table, name, column, _kept in INDEXES
    ],
    "sqlite": [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})" for table, name, column, kept in INDEXES if not kept
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0006_search_available_index")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="record",
                    name="audience",
                    field=models.CharField(
                        blank=True,
                        choices=[
                            ("children", "Jeunesse"),
                            ("young_adult", "Adolescents"),
                            ("adult", "Adultes"),
                            ("all", "Tous publics"),
                            ("", "Non précisé"),
                        ],
                        max_length=12,
                        verbose_name="public",
                    ),
                ),
                migrations.AlterField(
                    model_name="record",
                    name="document_type",
                    field=models.CharField(
                        choices=[
                            ("book", "Livre"),
                            ("comic", "Bande dessinée"),
                            ("periodical", "Périodique"),
                            ("audio", "CD audio"),
                            ("video", "DVD / vidéo"),
                            ("game", "Jeu vidéo / jeu"),
                            ("score", "Partition"),
                            ("map", "Carte"),
                            ("other", "Autre document"),
                        ],
                        default="book",
                        max_length=12,
                        verbose_name="type de document",
                    ),
                ),
                migrations.AlterField(
                    model_name="record",
                    name="language",
                    field=models.CharField(blank=True, max_length=3, verbose_name="langue"),
                ),
            ],
            database_operations=[migrations.RunPython(_run(INDEX_FORWARDS), _run(INDEX_BACKWARDS))],
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS}),
        ),
    ]
