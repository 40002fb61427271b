-- Reading payloads (~2 KB of JSON) are compressed by TOAST and decompressed on every read of
-- a history page; lz4 decompresses several times faster than the default pglz. Servers built
-- without lz4 keep pglz.
DO $$
BEGIN
    ALTER TABLE readings ALTER COLUMN reading_data SET COMPRESSION lz4;
    ALTER TABLE daily_readings ALTER COLUMN reading_data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available on this server: reading payloads stay pglz-compressed';
END $$;
