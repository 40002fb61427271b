-- Neptu schema: the eleven tables of the original service with proper types.
--
-- Decisions (see README "Data"):
--   * ids are uuid (gen_random_uuid, built into PostgreSQL 13+), except crypto_market.id
--     (the CoinGecko coin id) and crypto_market_history.id (an identity counter);
--   * every date-time is timestamptz; calendar dates (birth and target dates) are date;
--   * money and token amounts are numeric, market statistics double precision;
--   * JSON columns hold real arrays/objects (CHECKed), never JSON text inside a string;
--   * enum-like text columns are CHECKed against their allowed values;
--   * indexes exist for the queries the services run, and none duplicates a unique
--     constraint or a primary key prefix.

CREATE TABLE users (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    wallet_address     text        NOT NULL,
    email              text,
    display_name       text,
    birth_date         date,
    preferred_language text        NOT NULL DEFAULT 'en',
    interests          jsonb       NOT NULL DEFAULT '[]',
    onboarded          boolean     NOT NULL DEFAULT false,
    role               text        NOT NULL DEFAULT 'user',
    -- The original first stored is_admin, later replaced it with role. Keeping it derived
    -- means old queries and imports agree with role and the two can never diverge.
    is_admin           boolean     GENERATED ALWAYS AS (role = 'admin') STORED,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_wallet_address_key UNIQUE (wallet_address),
    -- Solana base58 addresses are 32..44 characters; EVM ones 42. The original accepted 32..64.
    CONSTRAINT users_wallet_address_length CHECK (char_length(wallet_address) BETWEEN 32 AND 64),
    CONSTRAINT users_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 50),
    CONSTRAINT users_role_check CHECK (role IN ('admin', 'developer', 'user')),
    CONSTRAINT users_interests_is_array CHECK (jsonb_typeof(interests) = 'array')
);
-- Admin user list, newest first.
CREATE INDEX users_created_at_idx ON users (created_at DESC);

CREATE TABLE readings (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type         text        NOT NULL,
    target_date  date        NOT NULL,
    birth_date   date,
    birth_date_2 date,
    reading_data jsonb       NOT NULL,
    tx_signature text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT readings_type_check CHECK (type IN ('potensi', 'peluang', 'compatibility')),
    CONSTRAINT readings_data_is_object CHECK (jsonb_typeof(reading_data) = 'object')
);
-- A user's history, newest first (also serves the admin filter by user).
CREATE INDEX readings_user_created_idx ON readings (user_id, created_at DESC);
-- Admin list newest first and "today" counts.
CREATE INDEX readings_created_at_idx ON readings (created_at DESC);

CREATE TABLE payments (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- No foreign key, as in the original: imported payments may name readings never stored.
    reading_id   uuid,
    payment_type text        NOT NULL,
    amount       numeric     NOT NULL,
    neptu_reward numeric,
    neptu_burned numeric,
    tx_signature text        NOT NULL,
    status       text        NOT NULL DEFAULT 'pending',
    created_at   timestamptz NOT NULL DEFAULT now(),
    confirmed_at timestamptz,
    CONSTRAINT payments_tx_signature_key UNIQUE (tx_signature),
    CONSTRAINT payments_payment_type_check CHECK (payment_type IN ('sol', 'neptu', 'sudigital')),
    CONSTRAINT payments_status_check CHECK (status IN ('pending', 'confirmed', 'failed')),
    CONSTRAINT payments_amount_positive CHECK (amount > 0),
    CONSTRAINT payments_reward_non_negative CHECK (neptu_reward >= 0 AND neptu_burned >= 0)
);
CREATE INDEX payments_user_created_idx ON payments (user_id, created_at DESC);

CREATE TABLE token_transactions (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tx_signature     text        NOT NULL,
    transaction_type text        NOT NULL,
    reading_type     text,
    sol_amount       numeric,
    neptu_amount     numeric,
    sudigital_amount numeric,
    neptu_burned     numeric,
    neptu_rewarded   numeric,
    status           text        NOT NULL DEFAULT 'pending',
    created_at       timestamptz NOT NULL DEFAULT now(),
    confirmed_at     timestamptz,
    CONSTRAINT token_transactions_tx_signature_key UNIQUE (tx_signature),
    CONSTRAINT token_transactions_type_check CHECK (transaction_type IN
        ('sol_payment', 'neptu_payment', 'sudigital_payment', 'neptu_reward', 'neptu_burn')),
    CONSTRAINT token_transactions_reading_type_check CHECK (reading_type IN
        ('POTENSI', 'PELUANG', 'AI_CHAT', 'COMPATIBILITY')),
    CONSTRAINT token_transactions_status_check CHECK (status IN ('pending', 'confirmed', 'failed')),
    CONSTRAINT token_transactions_amounts_non_negative CHECK (
        sol_amount >= 0 AND neptu_amount >= 0 AND sudigital_amount >= 0
        AND neptu_burned >= 0 AND neptu_rewarded >= 0)
);
-- History pages and per-user stats.
CREATE INDEX token_transactions_user_created_idx ON token_transactions (user_id, created_at DESC);

CREATE TABLE daily_readings (
    date         date        NOT NULL,
    type         text        NOT NULL DEFAULT 'peluang',
    reading_data jsonb       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT daily_readings_pkey PRIMARY KEY (date, type),
    CONSTRAINT daily_readings_type_check CHECK (type IN ('peluang')),
    CONSTRAINT daily_readings_data_is_object CHECK (jsonb_typeof(reading_data) = 'object')
);

CREATE TABLE user_rewards (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reward_type        text        NOT NULL,
    neptu_amount       numeric     NOT NULL,
    status             text        NOT NULL DEFAULT 'pending',
    description        text,
    claim_tx_signature text,
    expires_at         timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    claimed_at         timestamptz,
    CONSTRAINT user_rewards_type_check CHECK (reward_type IN
        ('daily_check_in', 'streak_bonus', 'first_reading', 'referral', 'referee_bonus',
         'social_share', 'auspicious_day', 'payment_reward', 'habit_completion', 'habit_streak')),
    CONSTRAINT user_rewards_status_check CHECK (status IN ('pending', 'claimed', 'expired')),
    CONSTRAINT user_rewards_amount_positive CHECK (neptu_amount > 0),
    CONSTRAINT user_rewards_claim_consistent CHECK (status <> 'claimed' OR claimed_at IS NOT NULL)
);
-- Pending lists and sums per user, newest first.
CREATE INDEX user_rewards_user_status_created_idx ON user_rewards (user_id, status, created_at DESC);

CREATE TABLE user_streaks (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    current_streak  integer     NOT NULL DEFAULT 0,
    longest_streak  integer     NOT NULL DEFAULT 0,
    last_check_in   timestamptz,
    total_check_ins integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT user_streaks_user_id_key UNIQUE (user_id),
    CONSTRAINT user_streaks_counts_non_negative CHECK (
        current_streak >= 0 AND total_check_ins >= 0 AND longest_streak >= current_streak)
);

CREATE TABLE referrals (
    id                           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    referrer_id                  uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    referee_id                   uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    referrer_reward_amount       numeric,
    referee_reward_amount        numeric,
    referrer_reward_paid         text        NOT NULL DEFAULT 'pending',
    referee_reward_paid          text        NOT NULL DEFAULT 'pending',
    referrer_reward_tx_signature text,
    referee_reward_tx_signature  text,
    created_at                   timestamptz NOT NULL DEFAULT now(),
    completed_at                 timestamptz,
    -- One referrer per user.
    CONSTRAINT referrals_referee_id_key UNIQUE (referee_id),
    CONSTRAINT referrals_not_self CHECK (referrer_id <> referee_id),
    CONSTRAINT referrals_referrer_paid_check CHECK (referrer_reward_paid IN ('pending', 'paid')),
    CONSTRAINT referrals_referee_paid_check CHECK (referee_reward_paid IN ('pending', 'paid'))
);
CREATE INDEX referrals_referrer_idx ON referrals (referrer_id, created_at DESC);

CREATE TABLE pricing_plans (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text        NOT NULL,
    slug            text        NOT NULL,
    description     text,
    price_usd       numeric     NOT NULL DEFAULT 0,
    price_sol       numeric,
    price_neptu     numeric,
    price_sudigital numeric,
    features        jsonb       NOT NULL DEFAULT '[]',
    limits          jsonb       NOT NULL,
    is_active       boolean     NOT NULL DEFAULT true,
    is_popular      boolean     NOT NULL DEFAULT false,
    sort_order      integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pricing_plans_slug_key UNIQUE (slug),
    CONSTRAINT pricing_plans_slug_format CHECK (slug ~ '^[a-z0-9-]{1,50}$'),
    CONSTRAINT pricing_plans_name_length CHECK (char_length(name) BETWEEN 1 AND 50),
    CONSTRAINT pricing_plans_description_length CHECK (char_length(description) <= 500),
    CONSTRAINT pricing_plans_prices_non_negative CHECK (
        price_usd >= 0 AND price_sol >= 0 AND price_neptu >= 0 AND price_sudigital >= 0),
    CONSTRAINT pricing_plans_features_is_array CHECK (jsonb_typeof(features) = 'array'),
    CONSTRAINT pricing_plans_limits_is_object CHECK (jsonb_typeof(limits) = 'object')
);
-- A handful of rows: listing sorts in memory, no index needed.

-- Latest snapshot per coin (13 rows): reads scan it whole, so it needs no secondary index.
CREATE TABLE crypto_market (
    id                          text             PRIMARY KEY,
    symbol                      text             NOT NULL,
    name                        text             NOT NULL,
    image                       text,
    current_price               double precision,
    market_cap                  double precision,
    market_cap_rank             integer,
    total_volume                double precision,
    high_24h                    double precision,
    low_24h                     double precision,
    price_change_24h            double precision,
    price_change_percentage_24h double precision,
    circulating_supply          double precision,
    total_supply                double precision,
    max_supply                  double precision,
    ath                         double precision,
    ath_change_percentage       double precision,
    ath_date                    timestamptz,
    atl                         double precision,
    atl_change_percentage       double precision,
    atl_date                    timestamptz,
    last_updated                timestamptz,
    fetched_at                  timestamptz      NOT NULL DEFAULT now()
);

-- Append-only snapshots with a 7-day retention.
CREATE TABLE crypto_market_history (
    id                          bigint           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    coin_id                     text             NOT NULL,
    symbol                      text             NOT NULL,
    current_price               double precision,
    market_cap                  double precision,
    market_cap_rank             integer,
    total_volume                double precision,
    price_change_24h            double precision,
    price_change_percentage_24h double precision,
    recorded_at                 timestamptz      NOT NULL DEFAULT now()
);
-- A coin's recent history.
CREATE INDEX crypto_market_history_coin_recorded_idx ON crypto_market_history (coin_id, recorded_at DESC);
-- The retention delete.
CREATE INDEX crypto_market_history_recorded_idx ON crypto_market_history (recorded_at);
