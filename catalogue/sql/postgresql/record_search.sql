-- Search rows of the records, PostgreSQL: the live definition of the functions and triggers
-- that keep catalogue_record_search in step with catalogue_record.
--
-- Loaded by migration catalogue.0009_live_sql_files (through catalogue.sql.run_sql_file);
-- the earlier migrations (0003-0007) keep the text they ran, as history. To change a function
-- or a trigger: edit it here and add a migration that reloads this file (copy 0009), since a
-- database only runs what a migration tells it to. Every statement must be re-runnable
-- (CREATE OR REPLACE), and the file must stay loadable at 0009's point of the history:
-- a new database runs 0009 with the latest text.
--
-- The table (migrations 0004-0005): catalogue_record_search (record_id, search_vector,
-- document_type, audience, language, publication_year, available_now), one row per record;
-- its indexes: 0004 (GIN of search_vector), 0006 (available_now), 0008 (facet columns).
-- available_now is kept by the triggers on the items: record_search_availability.sql.
--
-- One row per record, written once per statement whatever wrote the records (COPY of the
-- import, ORM save, admin, raw SQL), thanks to transition tables:
-- - INSERT: a search row for every new record (an existing row for the same id is replaced);
-- - UPDATE: a row recomputed for every record whose searched or faceted columns changed, or
--   that has no search row (PostgreSQL refuses column lists, UPDATE OF ..., on triggers with
--   transition tables: old and new values are compared instead); available_now is left alone;
-- - DELETE: the rows of the deleted records go; TRUNCATE empties the table.
-- The vector: the french_unaccent configuration (migration 0003: unaccent, then the French
-- Snowball stemmer) of the title (weight A), authors (B), subjects (C), and series, summary,
-- publisher and ISBN (D).

CREATE OR REPLACE FUNCTION catalogue_record_search_insert_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalogue_record_search
    (record_id, search_vector, document_type, audience, language, publication_year)
  SELECT n.id,
      setweight(to_tsvector('french_unaccent', coalesce(n.title, '')), 'A') ||
      setweight(to_tsvector('french_unaccent', coalesce(n.authors_text, '')), 'B') ||
      setweight(to_tsvector('french_unaccent', coalesce(n.subjects_text, '')), 'C') ||
      setweight(to_tsvector('french_unaccent', concat_ws(' ', n.series, n.summary, n.publisher, n.isbn)), 'D'),
    n.document_type, n.audience, n.language, n.publication_year
  FROM new_records n
  ON CONFLICT (record_id) DO UPDATE SET
    search_vector = EXCLUDED.search_vector, document_type = EXCLUDED.document_type,
    audience = EXCLUDED.audience, language = EXCLUDED.language,
    publication_year = EXCLUDED.publication_year;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION catalogue_record_search_update_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO catalogue_record_search
    (record_id, search_vector, document_type, audience, language, publication_year)
  SELECT n.id,
      setweight(to_tsvector('french_unaccent', coalesce(n.title, '')), 'A') ||
      setweight(to_tsvector('french_unaccent', coalesce(n.authors_text, '')), 'B') ||
      setweight(to_tsvector('french_unaccent', coalesce(n.subjects_text, '')), 'C') ||
      setweight(to_tsvector('french_unaccent', concat_ws(' ', n.series, n.summary, n.publisher, n.isbn)), 'D'),
    n.document_type, n.audience, n.language, n.publication_year
  FROM new_records n
  WHERE NOT EXISTS (
      SELECT 1 FROM old_records o WHERE o.id = n.id AND (
          o.title, o.authors_text, o.subjects_text, o.series, o.summary, o.publisher, o.isbn,
          o.document_type, o.audience, o.language, o.publication_year
        ) IS NOT DISTINCT FROM (
          n.title, n.authors_text, n.subjects_text, n.series, n.summary, n.publisher, n.isbn,
          n.document_type, n.audience, n.language, n.publication_year
        )
    )
    OR NOT EXISTS (SELECT 1 FROM catalogue_record_search s WHERE s.record_id = n.id)
  ON CONFLICT (record_id) DO UPDATE SET
    search_vector = EXCLUDED.search_vector, document_type = EXCLUDED.document_type,
    audience = EXCLUDED.audience, language = EXCLUDED.language,
    publication_year = EXCLUDED.publication_year;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION catalogue_record_search_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM catalogue_record_search s USING old_records o WHERE s.record_id = o.id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION catalogue_record_search_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE catalogue_record_search;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER catalogue_record_search_insert AFTER INSERT ON catalogue_record
  REFERENCING NEW TABLE AS new_records
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_insert_rows();

CREATE OR REPLACE TRIGGER catalogue_record_search_update AFTER UPDATE ON catalogue_record
  REFERENCING OLD TABLE AS old_records NEW TABLE AS new_records
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_update_rows();

CREATE OR REPLACE TRIGGER catalogue_record_search_delete AFTER DELETE ON catalogue_record
  REFERENCING OLD TABLE AS old_records
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_delete_rows();

CREATE OR REPLACE TRIGGER catalogue_record_search_truncate AFTER TRUNCATE ON catalogue_record
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_record_search_truncate();
