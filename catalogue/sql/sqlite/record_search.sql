-- Search rows of the records, SQLite: the live definition of the view catalogue_record_search
-- and of the triggers that keep the full-text table catalogue_record_fts in step with
-- catalogue_record.
--
-- Loaded by migration catalogue.0009_live_sql_files (through catalogue.sql.run_sql_file);
-- the earlier migrations (0003-0005) keep the text they ran, as history. To change the view
-- or a trigger: edit it here and add a migration that reloads this file (copy 0009), since a
-- database only runs what a migration tells it to. Every statement must be re-runnable
-- (DROP ... IF EXISTS, then CREATE), and the file must stay loadable at 0009's point of the
-- history: a new database runs 0009 with the latest text. A migration that makes Django
-- rebuild catalogue_record on SQLite (most AlterField) drops these triggers: reload this
-- file after it.
--
-- The full-text table (migration 0003), an external-content FTS5 table of the records:
--   CREATE VIRTUAL TABLE catalogue_record_fts USING fts5(
--     title, authors_text, subjects_text, series, summary, publisher, isbn,
--     content='catalogue_record', content_rowid='id',
--     tokenize='unicode61 remove_diacritics 2', prefix='2 3')
-- Its rowid is the record's id; the search ranks its matches with bm25 (catalogue/search/backends.py).

-- The search rows are a view of the records; available_now: the record has an available item.
DROP VIEW IF EXISTS catalogue_record_search;
CREATE VIEW catalogue_record_search AS
  SELECT id AS record_id, document_type, audience, language, publication_year,
    EXISTS (
      SELECT 1 FROM catalogue_item i WHERE i.record_id = catalogue_record.id AND i.status = 'available'
    ) AS available_now
  FROM catalogue_record;

DROP TRIGGER IF EXISTS catalogue_record_fts_insert;
CREATE TRIGGER catalogue_record_fts_insert AFTER INSERT ON catalogue_record BEGIN
  INSERT INTO catalogue_record_fts(rowid, title, authors_text, subjects_text, series, summary, publisher, isbn)
    VALUES (new.id, new.title, new.authors_text, new.subjects_text, new.series, new.summary, new.publisher, new.isbn);
END;

-- An external-content table forgets a row by the 'delete' command with the row's old values.
DROP TRIGGER IF EXISTS catalogue_record_fts_delete;
CREATE TRIGGER catalogue_record_fts_delete AFTER DELETE ON catalogue_record BEGIN
  INSERT INTO catalogue_record_fts(catalogue_record_fts, rowid, title, authors_text, subjects_text, series, summary, publisher, isbn)
    VALUES ('delete', old.id, old.title, old.authors_text, old.subjects_text, old.series, old.summary, old.publisher, old.isbn);
END;

DROP TRIGGER IF EXISTS catalogue_record_fts_update;
CREATE TRIGGER catalogue_record_fts_update AFTER UPDATE ON catalogue_record BEGIN
  INSERT INTO catalogue_record_fts(catalogue_record_fts, rowid, title, authors_text, subjects_text, series, summary, publisher, isbn)
    VALUES ('delete', old.id, old.title, old.authors_text, old.subjects_text, old.series, old.summary, old.publisher, old.isbn);
  INSERT INTO catalogue_record_fts(rowid, title, authors_text, subjects_text, series, summary, publisher, isbn)
    VALUES (new.id, new.title, new.authors_text, new.subjects_text, new.series, new.summary, new.publisher, new.isbn);
END;
