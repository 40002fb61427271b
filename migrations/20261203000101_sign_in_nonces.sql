-- Sign-in nonces. They live in Postgres rather than the cache so that any replica can check
-- a signature over a nonce another replica issued, and a Redis outage does not stop sign-in.
--
-- A wallet has a few outstanding nonces at most (the API caps the number and hands out an
-- outstanding one at the cap, see api/src/services/session.rs); a nonce is deleted only when
-- a signature over it is accepted, so nobody but the wallet's holder can use one up. Rows
-- past their expiry are ignored, removed when the wallet asks for a new nonce, and purged by
-- the worker's daily housekeeping.
CREATE TABLE sign_in_nonces (
    nonce          text        PRIMARY KEY,
    wallet_address text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    CONSTRAINT sign_in_nonces_nonce_format CHECK (nonce ~ '^[0-9a-f]{64}$')
);
-- A wallet's nonces, newest first.
CREATE INDEX sign_in_nonces_wallet_idx ON sign_in_nonces (wallet_address, created_at DESC);
-- The daily purge.
CREATE INDEX sign_in_nonces_expires_idx ON sign_in_nonces (expires_at);
