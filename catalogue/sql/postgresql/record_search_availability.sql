-- available_now of the search rows (the facet « Disponibilité »), PostgreSQL: the live
-- definition of the functions and triggers on catalogue_item that keep it.
--
-- Loaded by migration catalogue.0009_live_sql_files (through catalogue.sql.run_sql_file);
-- the earlier migration 0005 keeps the text it ran, as history. To change a function or a
-- trigger: edit it here and add a migration that reloads this file (copy 0009), since a
-- database only runs what a migration tells it to. Every statement must be re-runnable
-- (CREATE OR REPLACE), and the file must stay loadable at 0009's point of the history:
-- a new database runs 0009 with the latest text.
--
-- Statement-level triggers (insert, update, delete, truncate) recompute the flag of the
-- records whose items changed, once per statement (an import copying 5 000 items runs one
-- update, not 5 000). The rows are locked before the flag is recomputed, so that two loans of
-- the last two available items of a record, committed at the same moment, cannot both leave
-- the flag true: the second waits for the first and then sees its item. A new record's row
-- starts false (its items come after it); re-importing a record keeps the flag (the triggers
-- of record_search.sql leave it alone).

CREATE OR REPLACE FUNCTION catalogue_record_search_refresh_availability(record_ids bigint[]) RETURNS void
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
END $$;

CREATE OR REPLACE FUNCTION catalogue_item_search_availability() RETURNS trigger LANGUAGE plpgsql AS $$
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
END $$;

CREATE OR REPLACE FUNCTION catalogue_item_search_availability_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE catalogue_record_search SET available_now = false WHERE available_now;
  RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER catalogue_item_search_availability_insert AFTER INSERT ON catalogue_item
  REFERENCING NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability();

CREATE OR REPLACE TRIGGER catalogue_item_search_availability_update AFTER UPDATE ON catalogue_item
  REFERENCING OLD TABLE AS old_items NEW TABLE AS new_items
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability();

CREATE OR REPLACE TRIGGER catalogue_item_search_availability_delete AFTER DELETE ON catalogue_item
  REFERENCING OLD TABLE AS old_items
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability();

CREATE OR REPLACE TRIGGER catalogue_item_search_availability_truncate AFTER TRUNCATE ON catalogue_item
  FOR EACH STATEMENT EXECUTE FUNCTION catalogue_item_search_availability_truncate();
