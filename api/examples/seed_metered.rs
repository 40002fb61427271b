//! Seeds a developer for the metered benchmark: a user, a plan with a rate limit no load
//! generator reaches, an active subscription with `CREDITS` credits, and a `neptu:read` key
//! hashed under `API_KEY_SECRET`. Prints `key subscription_id key_id` on one line. Earlier
//! developer rows are removed first, so every run starts from the same state.
//!
//!   DATABASE_URL=… API_KEY_SECRET=… cargo run --release --example seed_metered

use chrono::{Duration, Utc};
use neptu_shared::config::{Service, Settings};
use neptu_shared::db::api_keys::{self, NewApiKey};
use neptu_shared::db::api_subscriptions::{self, NewSubscription};
use neptu_shared::db::{self, users};
use neptu_shared::domain::api_keys::{KeyHasher, generate};
use neptu_shared::domain::enums::ApiScope;
use secrecy::ExposeSecret;

const CREDITS: i64 = 1_000_000_000;
const RATE_LIMIT: i32 = 1_000_000_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(Service::Api).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = db::pool(&settings.database, "neptu-seed-metered");
    db::migrate(&pool).await?;
    sqlx::query("TRUNCATE api_usage, api_keys, api_subscriptions CASCADE")
        .execute(&pool)
        .await?;
    sqlx::query("DELETE FROM api_pricing_plans WHERE slug = 'bench-unmetered-rate'")
        .execute(&pool)
        .await?;
    let plan: uuid::Uuid = sqlx::query_scalar(
        "INSERT INTO api_pricing_plans (name, slug, tier, price_usd, basic_calls, ai_calls, rate_limit)
         VALUES ('Bench', 'bench-unmetered-rate', 'enterprise', 0, 1000000000, 0, $1) RETURNING id",
    )
    .bind(RATE_LIMIT)
    .fetch_one(&pool)
    .await?;
    let wallet = bs58::encode([0x4du8; 32]).into_string();
    let (user, _) = users::get_or_create(&pool, &wallet).await?;
    let now = Utc::now();
    let subscription = api_subscriptions::insert_active(
        &pool,
        &NewSubscription {
            user_id: user.id,
            plan_id: plan,
            credits: CREDITS,
            ai_credits: 0,
            cycle_start: now - Duration::hours(1),
            cycle_end: now + Duration::days(30),
            payment_method: None,
            payment_tx_signature: None,
        },
    )
    .await?;
    let hasher = KeyHasher::new(settings.developer.key_secret.expose_secret().as_bytes());
    let drawn = generate(&hasher).map_err(|_| anyhow::anyhow!("no randomness"))?;
    let key = api_keys::insert(
        &pool,
        &NewApiKey {
            user_id: user.id,
            name: "bench".into(),
            key_prefix: drawn.prefix,
            key_hash: drawn.hash,
            plan_id: Some(plan),
            scopes: vec![ApiScope::Read],
            allowed_origins: None,
            expires_at: None,
        },
    )
    .await?;
    println!("{} {} {}", drawn.secret, subscription.id, key.id);
    Ok(())
}
