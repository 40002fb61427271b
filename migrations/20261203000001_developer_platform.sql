-- The developer platform: API plans and credit packs, subscriptions holding credits, API keys
-- that spend them, the payments that bought them, and one usage row per metered call.
--
-- Credits live here and nowhere else (never in Redis): every spend is a guarded UPDATE, so a
-- balance can never go below zero whatever the number of replicas. -1 means unlimited.

CREATE TABLE api_pricing_plans (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name                text        NOT NULL,
    slug                text        NOT NULL,
    description         text,
    tier                text        NOT NULL,
    price_usd           numeric     NOT NULL,
    price_sol           numeric,
    price_neptu         numeric,
    billing_period      text        NOT NULL DEFAULT 'monthly',
    features            jsonb       NOT NULL DEFAULT '[]',
    basic_calls         integer     NOT NULL,
    ai_calls            integer     NOT NULL,
    rate_limit          integer     NOT NULL,
    overage_basic_neptu numeric     NOT NULL DEFAULT 0,
    overage_basic_sol   numeric     NOT NULL DEFAULT 0,
    overage_ai_neptu    numeric     NOT NULL DEFAULT 0,
    overage_ai_sol      numeric     NOT NULL DEFAULT 0,
    discount_percent    integer     NOT NULL DEFAULT 0,
    is_active           boolean     NOT NULL DEFAULT true,
    is_popular          boolean     NOT NULL DEFAULT false,
    sort_order          integer     NOT NULL DEFAULT 0,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_pricing_plans_slug_key UNIQUE (slug),
    CONSTRAINT api_pricing_plans_slug_format CHECK (slug ~ '^[a-z0-9-]{1,50}$'),
    CONSTRAINT api_pricing_plans_name_length CHECK (char_length(name) BETWEEN 1 AND 50),
    CONSTRAINT api_pricing_plans_description_length CHECK (char_length(description) <= 500),
    CONSTRAINT api_pricing_plans_tier_check CHECK (tier IN ('starter', 'pro', 'business', 'enterprise')),
    CONSTRAINT api_pricing_plans_billing_period_check CHECK (billing_period IN ('monthly', 'yearly')),
    CONSTRAINT api_pricing_plans_prices_non_negative CHECK (
        price_usd >= 0 AND price_sol >= 0 AND price_neptu >= 0),
    CONSTRAINT api_pricing_plans_features_is_array CHECK (jsonb_typeof(features) = 'array'),
    CONSTRAINT api_pricing_plans_calls_check CHECK (basic_calls >= -1 AND ai_calls >= -1),
    CONSTRAINT api_pricing_plans_rate_limit_check CHECK (rate_limit >= 1),
    CONSTRAINT api_pricing_plans_overage_non_negative CHECK (
        overage_basic_neptu >= 0 AND overage_basic_sol >= 0 AND overage_ai_neptu >= 0 AND overage_ai_sol >= 0),
    CONSTRAINT api_pricing_plans_discount_check CHECK (discount_percent BETWEEN 0 AND 100)
);

CREATE TABLE api_credit_packs (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name          text        NOT NULL,
    slug          text        NOT NULL,
    description   text,
    credits       integer     NOT NULL,
    ai_credits    integer     NOT NULL DEFAULT 0,
    price_usd     numeric     NOT NULL,
    price_sol     numeric,
    price_neptu   numeric,
    bonus_percent integer     NOT NULL DEFAULT 0,
    is_active     boolean     NOT NULL DEFAULT true,
    sort_order    integer     NOT NULL DEFAULT 0,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_credit_packs_slug_key UNIQUE (slug),
    CONSTRAINT api_credit_packs_slug_format CHECK (slug ~ '^[a-z0-9-]{1,50}$'),
    CONSTRAINT api_credit_packs_name_length CHECK (char_length(name) BETWEEN 1 AND 50),
    CONSTRAINT api_credit_packs_description_length CHECK (char_length(description) <= 500),
    CONSTRAINT api_credit_packs_credits_check CHECK (credits >= 1 AND ai_credits >= 0),
    CONSTRAINT api_credit_packs_prices_non_negative CHECK (
        price_usd >= 0 AND price_sol >= 0 AND price_neptu >= 0),
    CONSTRAINT api_credit_packs_bonus_check CHECK (bonus_percent BETWEEN 0 AND 100)
);

CREATE TABLE api_subscriptions (
    id                   uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- A plan with subscriptions cannot be deleted (switch it off instead).
    plan_id              uuid        NOT NULL REFERENCES api_pricing_plans (id) ON DELETE RESTRICT,
    status               text        NOT NULL DEFAULT 'active',
    credits_remaining    bigint      NOT NULL,
    ai_credits_remaining bigint      NOT NULL,
    billing_cycle_start  timestamptz NOT NULL,
    billing_cycle_end    timestamptz NOT NULL,
    payment_method       text,
    payment_tx_signature text,
    metadata             jsonb,
    cancelled_at         timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_subscriptions_status_check CHECK (status IN ('active', 'paused', 'cancelled', 'expired', 'past_due')),
    CONSTRAINT api_subscriptions_credits_check CHECK (credits_remaining >= -1 AND ai_credits_remaining >= -1),
    CONSTRAINT api_subscriptions_cycle_check CHECK (billing_cycle_end > billing_cycle_start),
    CONSTRAINT api_subscriptions_payment_method_check CHECK (payment_method IN ('sol', 'neptu', 'sudigital')),
    CONSTRAINT api_subscriptions_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object'),
    CONSTRAINT api_subscriptions_cancelled_check CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL)
);
-- At most one active subscription per user: subscribing replaces it in one transaction.
CREATE UNIQUE INDEX api_subscriptions_one_active_key ON api_subscriptions (user_id) WHERE status = 'active';
CREATE INDEX api_subscriptions_user_created_idx ON api_subscriptions (user_id, created_at DESC);
-- Admin list newest first, optionally by status or plan.
CREATE INDEX api_subscriptions_created_idx ON api_subscriptions (created_at DESC);
CREATE INDEX api_subscriptions_plan_idx ON api_subscriptions (plan_id);
-- The daily expiry sweep.
CREATE INDEX api_subscriptions_active_end_idx ON api_subscriptions (billing_cycle_end) WHERE status = 'active';

-- Every payment for a plan or a credit pack, keyed by its transaction signature, so a
-- signature buys one thing once.
CREATE TABLE api_payments (
    tx_signature    text        PRIMARY KEY,
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            text        NOT NULL,
    plan_id         uuid        REFERENCES api_pricing_plans (id) ON DELETE SET NULL,
    pack_id         uuid        REFERENCES api_credit_packs (id) ON DELETE SET NULL,
    subscription_id uuid        REFERENCES api_subscriptions (id) ON DELETE SET NULL,
    payment_method  text        NOT NULL,
    -- What the transaction moved, in whole units of the payment's asset.
    amount          numeric     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_payments_kind_check CHECK (kind IN ('subscription', 'credits')),
    CONSTRAINT api_payments_method_check CHECK (payment_method IN ('sol', 'neptu', 'sudigital')),
    CONSTRAINT api_payments_amount_positive CHECK (amount > 0)
);
CREATE INDEX api_payments_user_idx ON api_payments (user_id, created_at DESC);

CREATE TABLE api_keys (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name            text        NOT NULL,
    -- `nptu_` and the key's first 8 random characters: how a presented key finds its row.
    key_prefix      text        NOT NULL,
    -- HMAC-SHA-256 of the whole key under the server's key secret; never the key itself.
    key_hash        bytea,
    -- The original's 32-bit hash, only on keys imported from it; replaced by `key_hash` the
    -- first time the key is used.
    legacy_hash     text,
    plan_id         uuid        REFERENCES api_pricing_plans (id) ON DELETE SET NULL,
    scopes          text[]      NOT NULL DEFAULT '{}',
    allowed_origins text[],
    allowed_ips     text[],
    is_active       boolean     NOT NULL DEFAULT true,
    last_used_at    timestamptz,
    expires_at      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT api_keys_key_prefix_key UNIQUE (key_prefix),
    CONSTRAINT api_keys_key_prefix_format CHECK (key_prefix ~ '^nptu_[A-Za-z0-9]{8}$'),
    CONSTRAINT api_keys_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT api_keys_hash_present CHECK (key_hash IS NOT NULL OR legacy_hash IS NOT NULL),
    CONSTRAINT api_keys_hash_length CHECK (octet_length(key_hash) = 32),
    CONSTRAINT api_keys_scopes_check CHECK (
        scopes <@ ARRAY['neptu:read', 'neptu:write', 'neptu:ai', 'neptu:admin']::text[])
);
CREATE INDEX api_keys_user_created_idx ON api_keys (user_id, created_at DESC);
CREATE INDEX api_keys_created_idx ON api_keys (created_at DESC);

-- One row per metered call. By far the largest table, so it is partitioned by month: old
-- months are dropped whole (API_USAGE_RETENTION_DAYS) and queries on a period read only its
-- partitions. Rows are written in batches with ids chosen by the writer, so a batch retried
-- after a lost reply inserts nothing twice (ON CONFLICT on the primary key).
CREATE TABLE api_usage (
    id               uuid        NOT NULL,
    api_key_id       uuid        NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    endpoint         text        NOT NULL,
    method           text        NOT NULL,
    credits_used     integer     NOT NULL DEFAULT 0,
    is_ai_endpoint   boolean     NOT NULL DEFAULT false,
    response_status  smallint,
    response_time_ms integer,
    ip_address       inet,
    user_agent       text,
    metadata         jsonb,
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (id, created_at),
    CONSTRAINT api_usage_credits_check CHECK (credits_used >= 0),
    CONSTRAINT api_usage_response_time_check CHECK (response_time_ms >= 0)
) PARTITION BY RANGE (created_at);
-- A key's history newest first and its period summaries.
CREATE INDEX api_usage_key_created_idx ON api_usage (api_key_id, created_at DESC);
-- Admin analytics over a period.
CREATE INDEX api_usage_created_idx ON api_usage (created_at);

-- Creates the partition holding `month` (any instant in it; months are UTC) if it is missing.
CREATE FUNCTION api_usage_ensure_partition(month timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    first timestamptz := date_trunc('month', month AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    name  text := 'api_usage_' || to_char(first AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF api_usage FOR VALUES FROM (%L) TO (%L)',
        name, first, first + interval '1 month');
    RETURN name;
END
$$;

SELECT api_usage_ensure_partition(now());
SELECT api_usage_ensure_partition(now() + interval '1 month');

-- The default plans and packs (the original defined them but never stored them).
INSERT INTO api_pricing_plans (name, slug, description, tier, price_usd, price_sol, price_neptu, features,
                               basic_calls, ai_calls, rate_limit, overage_basic_neptu, overage_basic_sol,
                               overage_ai_neptu, overage_ai_sol, discount_percent, is_popular, sort_order)
VALUES
    ('Starter', 'api-starter', 'For side projects and prototypes', 'starter', 7.5, 0.05, 50,
     '["1,000 API calls a month", "100 AI oracle calls a month", "60 requests a minute", "Community support"]',
     1000, 100, 60, 0.1, 0.0001, 1, 0.001, 0, false, 0),
    ('Pro', 'api-pro', 'For production apps', 'pro', 60, 0.4, 400,
     '["10,000 API calls a month", "1,000 AI oracle calls a month", "120 requests a minute", "Email support"]',
     10000, 1000, 120, 0.08, 0.00008, 0.8, 0.0008, 20, true, 1),
    ('Business', 'api-business', 'For high-volume products', 'business', 450, 3, 3000,
     '["100,000 API calls a month", "10,000 AI oracle calls a month", "300 requests a minute", "Priority support"]',
     100000, 10000, 300, 0.06, 0.00006, 0.6, 0.0006, 40, false, 2),
    ('Enterprise', 'api-enterprise', 'Unlimited calls, arranged with us', 'enterprise', 0, 0, 0,
     '["Unlimited API calls", "Unlimited AI oracle calls", "1,000 requests a minute", "Dedicated support"]',
     -1, -1, 1000, 0, 0, 0, 0, 0, false, 3);

INSERT INTO api_credit_packs (name, slug, description, credits, ai_credits, price_usd, price_sol, price_neptu,
                              bonus_percent, sort_order)
VALUES
    ('Starter Pack', 'starter-pack', '500 calls and 50 AI calls', 500, 50, 7.5, 0.05, 50, 0, 0),
    ('Growth Pack', 'growth-pack', '5,000 calls and 500 AI calls, 10% bonus', 5000, 500, 60, 0.4, 400, 10, 1),
    ('Scale Pack', 'scale-pack', '50,000 calls and 5,000 AI calls, 20% bonus', 50000, 5000, 450, 3, 3000, 20, 2);
