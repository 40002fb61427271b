-- Sign-in sessions, referral codes, and one stored reading per user and day.

-- Refresh tokens are opaque random strings; only their SHA-256 is stored. Each sign-in starts
-- a family; every refresh marks the presented token used and adds its successor to the family.
-- Presenting a used token again means it leaked: the whole family is revoked.
CREATE TABLE refresh_tokens (
    id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   uuid        NOT NULL,
    token_hash  bytea       NOT NULL,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refresh_tokens_token_hash_key UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_hash_length CHECK (octet_length(token_hash) = 32)
);
-- Revoking a family.
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
-- Cleaning up a user's sessions.
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

-- Each user's referral code: 48 random bits, so collisions stay negligible for millions of
-- users (and an insert that hits one simply retries).
ALTER TABLE users ADD COLUMN referral_code text;
UPDATE users SET referral_code = 'NEPTU-' || upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12));
ALTER TABLE users
    ALTER COLUMN referral_code SET NOT NULL,
    ALTER COLUMN referral_code SET DEFAULT 'NEPTU-' || upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)),
    ADD CONSTRAINT users_referral_code_key UNIQUE (referral_code);

-- Viewing one's reading for a day stores it once, not once per page load.
CREATE UNIQUE INDEX readings_user_day_key ON readings (user_id, type, target_date) WHERE tx_signature IS NULL;
