"""Move the search vector to a narrow table (PostgreSQL) / a view (SQLite): ``catalogue_record_search``.

On 250 000 records, broad searches and their facet counts read the matching rows; reading
them from the records table (MARC included, ~1.5 kB a row) cost ~5× more than from a table
holding only the vector and the facet columns (~0.4 kB a row). The trigger replaces the
one of migration 0003; existing vectors are copied, not recomputed.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRESQL_FORWARDS = [
    """
    CREATE TABLE catalogue_record_search (
      record_id bigint PRIMARY KEY,
      search_vector tsvector NOT NULL,
      document_type varchar(12) NOT NULL,
      audience varchar(12) NOT NULL,
      language varchar(3) NOT NULL,
      publication_year smallint
    )
    """,
    """
    INSERT INTO catalogue_record_search
      SELECT id, coalesce(search_vector, ''::tsvector), document_type, audience, language, publication_year
      FROM catalogue_record
    """,
    "DROP TRIGGER IF EXISTS catalogue_record_search_vector_update ON catalogue_record",
    "DROP FUNCTION IF EXISTS catalogue_record_search_vector()",
    "ALTER TABLE catalogue_record DROP COLUMN IF EXISTS search_vector",
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
    CREATE TRIGGER catalogue_record_search_upsert
      AFTER INSERT OR UPDATE OF title, authors_text, subjects_text, series, summary, publisher, isbn,
        document_type, audience, language, publication_year
      ON catalogue_record FOR EACH ROW EXECUTE FUNCTION catalogue_record_search_upsert()
    """,
    """
    CREATE FUNCTION catalogue_record_search_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM catalogue_record_search WHERE record_id = OLD.id;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_record_search_delete AFTER DELETE ON catalogue_record
      FOR EACH ROW EXECUTE FUNCTION catalogue_record_search_delete()
    """,
    """
    CREATE FUNCTION catalogue_record_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      TRUNCATE catalogue_record_search;
      RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER catalogue_record_search_truncate AFTER TRUNCATE ON catalogue_record
      FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_truncate()
    """,
    "CREATE INDEX catalogue_record_search_vector_gin ON catalogue_record_search USING gin (search_vector)",
    "ANALYZE catalogue_record_search",
]

POSTGRESQL_BACKWARDS = [
    "DROP TRIGGER IF EXISTS catalogue_record_search_truncate ON catalogue_record",
    "DROP TRIGGER IF EXISTS catalogue_record_search_delete ON catalogue_record",
    "DROP TRIGGER IF EXISTS catalogue_record_search_upsert ON catalogue_record",
    "DROP FUNCTION IF EXISTS catalogue_record_search_truncate()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_delete()",
    "DROP FUNCTION IF EXISTS catalogue_record_search_upsert()",
    "ALTER TABLE catalogue_record ADD COLUMN search_vector tsvector",
    """
    UPDATE catalogue_record SET search_vector = s.search_vector
      FROM catalogue_record_search s WHERE s.record_id = catalogue_record.id
    """,
    "DROP TABLE IF EXISTS catalogue_record_search",
    # 0003's trigger and index are not recreated: migrate back to 0002 and forward again.
]

SQLITE_FORWARDS = [
    """
    CREATE VIEW catalogue_record_search AS
      SELECT id AS record_id, document_type, audience, language, publication_year FROM catalogue_record
    """
]
SQLITE_BACKWARDS = ["DROP VIEW IF EXISTS catalogue_record_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_search_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordSearch",
            fields=[
                (
                    "record",
                    models.OneToOneField(
                        db_column="record_id",
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_row",
                        serialize=False,
                        to="catalogue.record",
                    ),
                ),
                (
                    "document_type",
                    models.CharField(
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
                        max_length=12,
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("children", "Jeunesse"),
                            ("young_adult", "Adolescents"),
                            ("adult", "Adultes"),
                            ("all", "Tous publics"),
                            ("", "Non précisé"),
                        ],
                        max_length=12,
                    ),
                ),
                ("language", models.CharField(blank=True, max_length=3)),
                ("publication_year", models.PositiveSmallIntegerField(null=True)),
            ],
            options={
                "db_table": "catalogue_record_search",
                "managed": False,
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL_FORWARDS, "sqlite": SQLITE_FORWARDS}),
            _run({"postgresql": POSTGRESQL_BACKWARDS, "sqlite": SQLITE_BACKWARDS}),
        ),
    ]
