//! `api_subscriptions`: a user's API plan for one billing cycle and the credits left in it.
//!
//! Credits are only ever changed by single guarded statements: a lease takes at most what is
//! there (never below zero), a return adds back what was not spent, and `-1` (unlimited) is
//! left alone by both.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{FromRow, PgExecutor};
use uuid::Uuid;

use super::{Page, PageRequest};
use crate::domain::enums::{PaymentType, SubscriptionStatus};
use crate::wire;

/// Which balance a lease or refund moves (a rule of the platform, named in the domain).
pub use crate::domain::developer::CreditKind;

/// Serializes as the web app's `ApiSubscriptionDTO`.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: Uuid,
    pub user_id: Uuid,
    pub plan_id: Uuid,
    pub status: SubscriptionStatus,
    pub credits_remaining: i64,
    pub ai_credits_remaining: i64,
    #[serde(serialize_with = "wire::timestamp")]
    pub billing_cycle_start: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub billing_cycle_end: DateTime<Utc>,
    pub payment_method: Option<PaymentType>,
    pub payment_tx_signature: Option<String>,
    pub metadata: Option<serde_json::Value>,
    #[serde(serialize_with = "wire::timestamp_opt")]
    pub cancelled_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "wire::timestamp")]
    pub updated_at: DateTime<Utc>,
}

macro_rules! columns {
    () => {
        "id, user_id, plan_id, status, credits_remaining, ai_credits_remaining, billing_cycle_start, \
         billing_cycle_end, payment_method, payment_tx_signature, metadata, cancelled_at, created_at, updated_at"
    };
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewSubscription {
    pub user_id: Uuid,
    pub plan_id: Uuid,
    pub credits: i64,
    pub ai_credits: i64,
    pub cycle_start: DateTime<Utc>,
    pub cycle_end: DateTime<Utc>,
    pub payment_method: Option<PaymentType>,
    pub payment_tx_signature: Option<String>,
}

/// The unique index that allows one active subscription per user.
pub const ONE_ACTIVE_CONSTRAINT: &str = "api_subscriptions_one_active_key";

pub async fn find_by_id(db: impl PgExecutor<'_>, id: Uuid) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_subscriptions WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

/// The user's active subscription, if any.
pub async fn find_active(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_subscriptions WHERE user_id = $1 AND status = 'active'"
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Every subscription of a user, newest first.
pub async fn list_for_user(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Vec<Subscription>> {
    sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_subscriptions WHERE user_id = $1 ORDER BY created_at DESC, id"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await
}

/// Cancels the user's active subscription; `None` when there was none.
pub async fn cancel_active(db: impl PgExecutor<'_>, user_id: Uuid) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(concat!(
        "UPDATE api_subscriptions SET status = 'cancelled', cancelled_at = now(), updated_at = now()
         WHERE user_id = $1 AND status = 'active' RETURNING ",
        columns!()
    ))
    .bind(user_id)
    .fetch_optional(db)
    .await
}

/// Serialises changes of one user's subscriptions for the rest of the transaction, so two
/// subscriptions bought at once replace each other in turn instead of racing for the one
/// active slot.
pub async fn lock_for_user(tx: &mut sqlx::PgConnection, user_id: Uuid) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 7202))")
        .bind(user_id)
        .execute(tx)
        .await?;
    Ok(())
}

/// Inserts an active subscription. Run it in a transaction after [`cancel_active`]: a
/// concurrent second insert violates [`ONE_ACTIVE_CONSTRAINT`].
pub async fn insert_active(db: impl PgExecutor<'_>, new: &NewSubscription) -> sqlx::Result<Subscription> {
    sqlx::query_as(concat!(
        "INSERT INTO api_subscriptions (user_id, plan_id, status, credits_remaining, ai_credits_remaining,
            billing_cycle_start, billing_cycle_end, payment_method, payment_tx_signature)
         VALUES ($1, $2, 'active', $3, $4, $5, $6, $7, $8) RETURNING ",
        columns!()
    ))
    .bind(new.user_id)
    .bind(new.plan_id)
    .bind(new.credits)
    .bind(new.ai_credits)
    .bind(new.cycle_start)
    .bind(new.cycle_end)
    .bind(new.payment_method)
    .bind(&new.payment_tx_signature)
    .fetch_one(db)
    .await
}

/// Adds credits to the user's active subscription (unlimited balances stay unlimited);
/// `None` when the user has no active subscription.
pub async fn add_credits(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    basic: i64,
    ai: i64,
) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(concat!(
        "UPDATE api_subscriptions SET
            credits_remaining = CASE WHEN credits_remaining = -1 THEN -1 ELSE credits_remaining + $2 END,
            ai_credits_remaining = CASE WHEN ai_credits_remaining = -1 THEN -1 ELSE ai_credits_remaining + $3 END,
            updated_at = now()
         WHERE user_id = $1 AND status = 'active' RETURNING ",
        columns!()
    ))
    .bind(user_id)
    .bind(basic)
    .bind(ai)
    .fetch_optional(db)
    .await
}

/// Takes up to `want` credits of `kind` from an active, current subscription and returns how
/// many it took (0 when none are left, or the subscription ended). Never leaves a balance
/// below zero, whatever runs concurrently: the row is locked for the statement.
pub async fn lease(db: impl PgExecutor<'_>, id: Uuid, kind: CreditKind, want: i64) -> sqlx::Result<i64> {
    let sql = match kind {
        CreditKind::Basic => {
            "WITH cur AS (SELECT id, credits_remaining AS before FROM api_subscriptions
                          WHERE id = $1 AND status = 'active' AND billing_cycle_end > now() FOR UPDATE)
             UPDATE api_subscriptions s SET credits_remaining = cur.before - LEAST(cur.before, $2)
             FROM cur WHERE s.id = cur.id AND cur.before > 0
             RETURNING cur.before - s.credits_remaining"
        }
        CreditKind::Ai => {
            "WITH cur AS (SELECT id, ai_credits_remaining AS before FROM api_subscriptions
                          WHERE id = $1 AND status = 'active' AND billing_cycle_end > now() FOR UPDATE)
             UPDATE api_subscriptions s SET ai_credits_remaining = cur.before - LEAST(cur.before, $2)
             FROM cur WHERE s.id = cur.id AND cur.before > 0
             RETURNING cur.before - s.ai_credits_remaining"
        }
    };
    let taken: Option<i64> = sqlx::query_scalar(sql)
        .bind(id)
        .bind(want.max(0))
        .fetch_optional(db)
        .await?;
    Ok(taken.unwrap_or(0))
}

/// Gives back credits taken by [`lease`] and not spent (whatever the status now).
pub async fn give_back(
    db: impl PgExecutor<'_>,
    id: Uuid,
    kind: CreditKind,
    credits: i64,
) -> sqlx::Result<()> {
    let sql = match kind {
        CreditKind::Basic => {
            "UPDATE api_subscriptions SET credits_remaining = credits_remaining + $2
             WHERE id = $1 AND credits_remaining >= 0"
        }
        CreditKind::Ai => {
            "UPDATE api_subscriptions SET ai_credits_remaining = ai_credits_remaining + $2
             WHERE id = $1 AND ai_credits_remaining >= 0"
        }
    };
    sqlx::query(sql).bind(id).bind(credits).execute(db).await?;
    Ok(())
}

/// Admin filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminFilter {
    pub status: Option<SubscriptionStatus>,
    pub plan_id: Option<Uuid>,
}

/// Subscriptions, newest first, filtered and paginated.
pub async fn list(
    db: &sqlx::PgPool,
    filter: AdminFilter,
    page: PageRequest,
) -> sqlx::Result<Page<Subscription>> {
    let rows = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM api_subscriptions WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR plan_id = $2)
          ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
    ))
    .bind(filter.status)
    .bind(filter.plan_id)
    .bind(page.limit())
    .bind(page.offset())
    .fetch_all(db);
    let total = sqlx::query_scalar(
        "SELECT count(*) FROM api_subscriptions
         WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR plan_id = $2)",
    )
    .bind(filter.status)
    .bind(filter.plan_id)
    .fetch_one(db);
    let (rows, total) = tokio::try_join!(rows, total)?;
    Ok(Page::new(rows, total, page))
}

/// An admin's change of status and/or basic credits; `None` when there is no such
/// subscription. Cancelling stamps `cancelled_at`; reactivating while the user has another
/// active subscription violates [`ONE_ACTIVE_CONSTRAINT`].
pub async fn admin_update(
    db: impl PgExecutor<'_>,
    id: Uuid,
    status: Option<SubscriptionStatus>,
    credits_remaining: Option<i64>,
) -> sqlx::Result<Option<Subscription>> {
    sqlx::query_as(concat!(
        "UPDATE api_subscriptions SET
            status = COALESCE($2, status),
            cancelled_at = CASE WHEN $2 = 'cancelled' THEN COALESCE(cancelled_at, now()) ELSE cancelled_at END,
            credits_remaining = COALESCE($3, credits_remaining),
            updated_at = now()
         WHERE id = $1 RETURNING ",
        columns!()
    ))
    .bind(id)
    .bind(status)
    .bind(credits_remaining)
    .fetch_optional(db)
    .await
}

/// Marks every active subscription whose cycle ended by `at` as expired; returns how many.
pub async fn expire_ended(db: impl PgExecutor<'_>, at: DateTime<Utc>) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE api_subscriptions SET status = 'expired', updated_at = now()
         WHERE status = 'active' AND billing_cycle_end <= $1",
    )
    .bind(at)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The admin dashboard's subscription counts. Revenue is the list price in USD of every plan
/// and pack bought with a verified payment.
#[derive(Debug, Clone, PartialEq, FromRow, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionStats {
    pub total: i64,
    pub active: i64,
    pub cancelled: i64,
    pub expired: i64,
    pub total_revenue: f64,
}

pub async fn stats(db: impl PgExecutor<'_>) -> sqlx::Result<SubscriptionStats> {
    sqlx::query_as(
        "SELECT count(*) AS total,
                count(*) FILTER (WHERE status = 'active') AS active,
                count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
                count(*) FILTER (WHERE status = 'expired') AS expired,
                (SELECT COALESCE(sum(COALESCE(pl.price_usd, pk.price_usd, 0)), 0)::float8
                 FROM api_payments p
                 LEFT JOIN api_pricing_plans pl ON p.kind = 'subscription' AND pl.id = p.plan_id
                 LEFT JOIN api_credit_packs pk ON p.kind = 'credits' AND pk.id = p.pack_id) AS total_revenue
         FROM api_subscriptions",
    )
    .fetch_one(db)
    .await
}

/// A lease sized to the balance: like [`lease`], but takes at most `1/share` of what is left
/// (at least one credit, at most `max`), so a small balance is spread over the replicas that
/// spend it instead of sitting on one. Returns what it took and what is left after it (both 0
/// when the subscription is out of credits, inactive or past its cycle).
pub async fn lease_share(
    db: impl PgExecutor<'_>,
    id: Uuid,
    kind: CreditKind,
    max: i64,
    share: i64,
) -> sqlx::Result<(i64, i64)> {
    let sql = match kind {
        CreditKind::Basic => {
            "WITH cur AS (SELECT id, credits_remaining AS before FROM api_subscriptions
                          WHERE id = $1 AND status = 'active' AND billing_cycle_end > now() FOR UPDATE)
             UPDATE api_subscriptions s
             SET credits_remaining = cur.before - LEAST(cur.before, $2, GREATEST(1, cur.before / $3))
             FROM cur WHERE s.id = cur.id AND cur.before > 0
             RETURNING cur.before - s.credits_remaining, s.credits_remaining"
        }
        CreditKind::Ai => {
            "WITH cur AS (SELECT id, ai_credits_remaining AS before FROM api_subscriptions
                          WHERE id = $1 AND status = 'active' AND billing_cycle_end > now() FOR UPDATE)
             UPDATE api_subscriptions s
             SET ai_credits_remaining = cur.before - LEAST(cur.before, $2, GREATEST(1, cur.before / $3))
             FROM cur WHERE s.id = cur.id AND cur.before > 0
             RETURNING cur.before - s.ai_credits_remaining, s.ai_credits_remaining"
        }
    };
    let taken: Option<(i64, i64)> = sqlx::query_as(sql)
        .bind(id)
        .bind(max.max(1))
        .bind(share.max(1))
        .fetch_optional(db)
        .await?;
    Ok(taken.unwrap_or((0, 0)))
}
