-- Usage rows are written in batches of thousands; the foreign key to api_keys made each row
-- lock its key (FOR KEY SHARE) and run a trigger, a quarter of the insert's cost. The writer
-- already inserts only rows whose key exists, so the constraint goes and a key's rows are
-- deleted with the key by a statement-level trigger instead (ON DELETE CASCADE as before).
ALTER TABLE api_usage DROP CONSTRAINT api_usage_api_key_id_fkey;

CREATE FUNCTION api_usage_delete_with_keys() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_usage u USING gone WHERE u.api_key_id = gone.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_delete_usage
AFTER DELETE ON api_keys
REFERENCING OLD TABLE AS gone
FOR EACH STATEMENT EXECUTE FUNCTION api_usage_delete_with_keys();
