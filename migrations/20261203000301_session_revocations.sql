-- What every replica must learn at once to refuse access tokens that are still signed and
-- unexpired: sessions (refresh-token families) that were revoked, and users whose role
-- changed. Rows are written by triggers, so no code path can change one without the other,
-- and each write sends NOTIFY neptu_auth in the same transaction (delivered on commit).
-- Replicas keep the last few minutes of rows in memory (README "Security", revocation).
-- Rows are stamped with clock_timestamp(), after the row lock is held, so two role changes of
-- one user are stamped in the order they commit and the later one wins in every replica.
CREATE TABLE auth_revocations (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid        NOT NULL,
    -- Set for a revoked session; NULL for a role change.
    family_id   uuid,
    -- The user's new role, for a role change.
    role        text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT auth_revocations_kind CHECK ((family_id IS NULL) <> (role IS NULL))
);
-- One row per revoked family, however many of its tokens one statement revokes.
CREATE UNIQUE INDEX auth_revocations_family_key ON auth_revocations (family_id) WHERE family_id IS NOT NULL;
-- The replicas' poll reads the rows of the last moments.
CREATE INDEX auth_revocations_created_idx ON auth_revocations (created_at);

CREATE FUNCTION auth_revocations_family_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO auth_revocations (user_id, family_id, created_at) VALUES (NEW.user_id, NEW.family_id, clock_timestamp())
        ON CONFLICT (family_id) WHERE family_id IS NOT NULL DO NOTHING;
    PERFORM pg_notify('neptu_auth', '');
    RETURN NULL;
END $$;

CREATE TRIGGER refresh_tokens_revoked
    AFTER UPDATE OF revoked_at ON refresh_tokens
    FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
    EXECUTE FUNCTION auth_revocations_family_revoked();

CREATE FUNCTION auth_revocations_role_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO auth_revocations (user_id, role, created_at) VALUES (NEW.id, NEW.role, clock_timestamp());
    PERFORM pg_notify('neptu_auth', '');
    RETURN NULL;
END $$;

CREATE TRIGGER users_role_changed
    AFTER UPDATE OF role ON users
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION auth_revocations_role_changed();
