-- Only the personal daily reading the API stores is deduplicated; history imported from the
-- original service (which stored a row per page view) keeps every row.
ALTER TABLE readings ADD COLUMN daily_view boolean NOT NULL DEFAULT false;
DROP INDEX readings_user_day_key;
CREATE UNIQUE INDEX readings_daily_view_key ON readings (user_id, type, target_date) WHERE daily_view;
