//! Where each column of the D1 export goes in Postgres, and what it must look like there.
//! Tables are listed in load order (users before the tables that reference them).

/// How a source value is turned into the target column's type (see `transform`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Uuid,
    /// Text with a length in characters; blank optional text becomes NULL.
    Text {
        min: usize,
        max: usize,
    },
    /// One of these strings.
    Enum(&'static [&'static str]),
    /// `users.role`, or the older `is_admin` 0/1.
    Role,
    Bool,
    Int,
    BigInt,
    Numeric(Sign),
    Double,
    Timestamp,
    Date,
    JsonArray,
    JsonObject,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sign {
    NonNegative,
    Positive,
}

/// The value used when the source has no such column or holds NULL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// NULL is allowed.
    Null,
    /// The row cannot be imported without a value.
    Required,
    Now,
    False,
    True,
    Zero,
    Text(&'static str),
    EmptyArray,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub target: &'static str,
    /// Source column names, the first present one is used.
    pub sources: &'static [&'static str],
    pub kind: Kind,
    pub fallback: Fallback,
    /// Values must be unique across the table (a unique constraint in Postgres).
    pub unique: bool,
    /// Must name an imported user.
    pub user_ref: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [Column],
    /// Columns that identify a row in reports (and are unique together).
    pub key: &'static [&'static str],
    /// An identity column whose values are kept, with the sequence moved past them.
    pub identity: Option<&'static str>,
}

const fn col(target: &'static str, kind: Kind, fallback: Fallback) -> Column {
    Column {
        target,
        sources: &[],
        kind,
        fallback,
        unique: false,
        user_ref: false,
    }
}

const fn unique(mut c: Column) -> Column {
    c.unique = true;
    c
}

const fn user_ref(mut c: Column) -> Column {
    c.user_ref = true;
    c
}

const fn from(mut c: Column, sources: &'static [&'static str]) -> Column {
    c.sources = sources;
    c
}

const ANY: usize = usize::MAX;
const TEXT: Kind = Kind::Text { min: 0, max: ANY };
const AMOUNT: Kind = Kind::Numeric(Sign::NonNegative);
const PAYMENT_STATUS: Kind = Kind::Enum(&["pending", "confirmed", "failed"]);
const PAYOUT: Kind = Kind::Enum(&["pending", "paid"]);
use Fallback::{EmptyArray, False, Now, Null, Required, Zero};

pub const TABLES: &[Table] = &[
    Table {
        name: "users",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            unique(col("wallet_address", Kind::Text { min: 32, max: 64 }, Required)),
            col("email", TEXT, Null),
            col("display_name", Kind::Text { min: 1, max: 50 }, Null),
            col("birth_date", Kind::Date, Null),
            col(
                "preferred_language",
                Kind::Text { min: 1, max: 16 },
                Fallback::Text("en"),
            ),
            col("interests", Kind::JsonArray, EmptyArray),
            col("onboarded", Kind::Bool, False),
            from(
                col("role", Kind::Role, Fallback::Text("user")),
                &["role", "is_admin"],
            ),
            col("created_at", Kind::Timestamp, Now),
            col("updated_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "readings",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            user_ref(col("user_id", Kind::Uuid, Required)),
            col(
                "type",
                Kind::Enum(&["potensi", "peluang", "compatibility"]),
                Required,
            ),
            col("target_date", Kind::Date, Required),
            col("birth_date", Kind::Date, Null),
            col("birth_date_2", Kind::Date, Null),
            col("reading_data", Kind::JsonObject, Required),
            col("tx_signature", TEXT, Null),
            col("created_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "payments",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            user_ref(col("user_id", Kind::Uuid, Required)),
            col("reading_id", Kind::Uuid, Null),
            col(
                "payment_type",
                Kind::Enum(&["sol", "neptu", "sudigital"]),
                Required,
            ),
            col("amount", Kind::Numeric(Sign::Positive), Required),
            col("neptu_reward", AMOUNT, Null),
            col("neptu_burned", AMOUNT, Null),
            unique(col("tx_signature", Kind::Text { min: 1, max: ANY }, Required)),
            col("status", PAYMENT_STATUS, Fallback::Text("pending")),
            col("created_at", Kind::Timestamp, Now),
            col("confirmed_at", Kind::Timestamp, Null),
        ],
    },
    Table {
        name: "token_transactions",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            user_ref(col("user_id", Kind::Uuid, Required)),
            unique(col("tx_signature", Kind::Text { min: 1, max: ANY }, Required)),
            col(
                "transaction_type",
                Kind::Enum(&[
                    "sol_payment",
                    "neptu_payment",
                    "sudigital_payment",
                    "neptu_reward",
                    "neptu_burn",
                ]),
                Required,
            ),
            col(
                "reading_type",
                Kind::Enum(&["POTENSI", "PELUANG", "AI_CHAT", "COMPATIBILITY"]),
                Null,
            ),
            col("sol_amount", AMOUNT, Null),
            col("neptu_amount", AMOUNT, Null),
            col("sudigital_amount", AMOUNT, Null),
            col("neptu_burned", AMOUNT, Null),
            col("neptu_rewarded", AMOUNT, Null),
            col("status", PAYMENT_STATUS, Fallback::Text("pending")),
            col("created_at", Kind::Timestamp, Now),
            col("confirmed_at", Kind::Timestamp, Null),
        ],
    },
    Table {
        name: "daily_readings",
        key: &["date", "type"],
        identity: None,
        columns: &[
            col("date", Kind::Date, Required),
            col("type", Kind::Enum(&["peluang"]), Fallback::Text("peluang")),
            col("reading_data", Kind::JsonObject, Required),
            col("created_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "user_rewards",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            user_ref(col("user_id", Kind::Uuid, Required)),
            col(
                "reward_type",
                Kind::Enum(&[
                    "daily_check_in",
                    "streak_bonus",
                    "first_reading",
                    "referral",
                    "referee_bonus",
                    "social_share",
                    "auspicious_day",
                    "payment_reward",
                    "habit_completion",
                    "habit_streak",
                ]),
                Required,
            ),
            col("neptu_amount", Kind::Numeric(Sign::Positive), Required),
            col(
                "status",
                Kind::Enum(&["pending", "claimed", "expired"]),
                Fallback::Text("pending"),
            ),
            col("description", TEXT, Null),
            col("claim_tx_signature", TEXT, Null),
            col("expires_at", Kind::Timestamp, Null),
            col("created_at", Kind::Timestamp, Now),
            col("claimed_at", Kind::Timestamp, Null),
        ],
    },
    Table {
        name: "user_streaks",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            unique(user_ref(col("user_id", Kind::Uuid, Required))),
            col("current_streak", Kind::Int, Zero),
            col("longest_streak", Kind::Int, Zero),
            col("last_check_in", Kind::Timestamp, Null),
            col("total_check_ins", Kind::Int, Zero),
            col("created_at", Kind::Timestamp, Now),
            col("updated_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "referrals",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            user_ref(col("referrer_id", Kind::Uuid, Required)),
            unique(user_ref(col("referee_id", Kind::Uuid, Required))),
            col("referrer_reward_amount", AMOUNT, Null),
            col("referee_reward_amount", AMOUNT, Null),
            col("referrer_reward_paid", PAYOUT, Fallback::Text("pending")),
            col("referee_reward_paid", PAYOUT, Fallback::Text("pending")),
            col("referrer_reward_tx_signature", TEXT, Null),
            col("referee_reward_tx_signature", TEXT, Null),
            col("created_at", Kind::Timestamp, Now),
            col("completed_at", Kind::Timestamp, Null),
        ],
    },
    Table {
        name: "pricing_plans",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Uuid, Required),
            col("name", Kind::Text { min: 1, max: 50 }, Required),
            unique(col("slug", Kind::Text { min: 1, max: 50 }, Required)),
            col("description", Kind::Text { min: 0, max: 500 }, Null),
            col("price_usd", AMOUNT, Zero),
            col("price_sol", AMOUNT, Null),
            col("price_neptu", AMOUNT, Null),
            col("price_sudigital", AMOUNT, Null),
            col("features", Kind::JsonArray, EmptyArray),
            col("limits", Kind::JsonObject, Required),
            col("is_active", Kind::Bool, Fallback::True),
            col("is_popular", Kind::Bool, False),
            col("sort_order", Kind::Int, Zero),
            col("created_at", Kind::Timestamp, Now),
            col("updated_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "crypto_market",
        key: &["id"],
        identity: None,
        columns: &[
            col("id", Kind::Text { min: 1, max: ANY }, Required),
            col("symbol", Kind::Text { min: 1, max: ANY }, Required),
            col("name", Kind::Text { min: 1, max: ANY }, Required),
            col("image", TEXT, Null),
            col("current_price", Kind::Double, Null),
            col("market_cap", Kind::Double, Null),
            col("market_cap_rank", Kind::Int, Null),
            col("total_volume", Kind::Double, Null),
            col("high_24h", Kind::Double, Null),
            col("low_24h", Kind::Double, Null),
            col("price_change_24h", Kind::Double, Null),
            col("price_change_percentage_24h", Kind::Double, Null),
            col("circulating_supply", Kind::Double, Null),
            col("total_supply", Kind::Double, Null),
            col("max_supply", Kind::Double, Null),
            col("ath", Kind::Double, Null),
            col("ath_change_percentage", Kind::Double, Null),
            col("ath_date", Kind::Timestamp, Null),
            col("atl", Kind::Double, Null),
            col("atl_change_percentage", Kind::Double, Null),
            col("atl_date", Kind::Timestamp, Null),
            col("last_updated", Kind::Timestamp, Null),
            col("fetched_at", Kind::Timestamp, Now),
        ],
    },
    Table {
        name: "crypto_market_history",
        key: &["id"],
        identity: Some("id"),
        columns: &[
            col("id", Kind::BigInt, Required),
            col("coin_id", Kind::Text { min: 1, max: ANY }, Required),
            col("symbol", Kind::Text { min: 1, max: ANY }, Required),
            col("current_price", Kind::Double, Null),
            col("market_cap", Kind::Double, Null),
            col("market_cap_rank", Kind::Int, Null),
            col("total_volume", Kind::Double, Null),
            col("price_change_24h", Kind::Double, Null),
            col("price_change_percentage_24h", Kind::Double, Null),
            col("recorded_at", Kind::Timestamp, Now),
        ],
    },
];

impl Column {
    /// The source columns this column may come from.
    pub fn source_names(&self) -> &[&'static str] {
        if self.sources.is_empty() {
            std::slice::from_ref(&self.target)
        } else {
            self.sources
        }
    }
}

/// Every table name of the target schema, in load order.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    TABLES.iter().map(|t| t.name)
}
