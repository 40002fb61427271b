-- A referral's rewards wait until the referred user has shown activity (see the README,
-- Referrals). `rewarded_at` is when both rewards were granted; NULL while waiting.
-- Rows written before this rule (or imported, which names no such column) had their rewards
-- at once, so they count as rewarded: the default is now(), and the API inserts NULL.
ALTER TABLE referrals ADD COLUMN rewarded_at timestamptz;
UPDATE referrals SET rewarded_at = created_at;
ALTER TABLE referrals ALTER COLUMN rewarded_at SET DEFAULT now();
-- Looked up by referee, which the unique key on referee_id already indexes.
