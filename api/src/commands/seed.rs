//! `neptu-api seed-demo`: a small dataset for local runs and demos. Idempotent: running it
//! again adds nothing.

use chrono::{Duration, Utc};
use neptu_shared::config::Settings;
use neptu_shared::db::{self, pricing_plans, token_transactions, user_rewards, user_streaks, users};
use neptu_shared::domain::enums::{Interest, ReadingType, RewardStatus, RewardType, Role, TransactionType};
use neptu_shared::domain::pricing;
use rust_decimal::Decimal;
use sqlx::PgPool;

/// The demo user's wallet (a syntactically valid base58 address nobody owns).
pub const DEMO_WALLET: &str = "NeptuDemoWa11et1111111111111111111111111111";

pub async fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    let pool = db::pool(&settings.database, "neptu-api-seed");
    db::wait_for_schema(
        &pool,
        settings.database.schema_wait,
        std::time::Duration::from_secs(1),
    )
    .await?;
    seed(&pool, settings.auth.admin_wallet.as_deref()).await?;
    pool.close().await;
    Ok(())
}

/// Inserts the demo rows that are missing.
pub async fn seed(pool: &PgPool, admin_wallet: Option<&str>) -> anyhow::Result<()> {
    let plans = pricing_plans::seed_if_empty(pool, &pricing::default_plans()).await?;

    let (user, created) = users::get_or_create(pool, DEMO_WALLET).await?;
    let profile = users::ProfileUpdate {
        display_name: Some("Demo Wanderer".into()),
        birth_date: "1995-06-15".parse().ok(),
        interests: Some(vec![Interest::Career, Interest::Love, Interest::Crypto]),
        onboarded: Some(true),
        ..Default::default()
    };
    if created {
        users::update_profile(pool, DEMO_WALLET, &profile).await?;
    }

    let mut tx = pool.begin().await?;
    let streak = user_streaks::lock_or_create(&mut tx, user.id).await?;
    if streak.total_check_ins == 0 {
        user_streaks::save(&mut *tx, user.id, 3, 5, 12, Utc::now() - Duration::days(1)).await?;
    }
    tx.commit().await?;

    if user_rewards::list_for_user(pool, user.id, None, 1)
        .await?
        .is_empty()
    {
        for (kind, amount, description) in [
            (
                RewardType::DailyCheckIn,
                Decimal::new(1, 1),
                "Daily check-in reward",
            ),
            (
                RewardType::DailyCheckIn,
                Decimal::new(1, 1),
                "Daily check-in reward",
            ),
            (
                RewardType::FirstReading,
                Decimal::from(5),
                "First reading completed bonus",
            ),
        ] {
            let reward = user_rewards::NewReward {
                user_id: user.id,
                reward_type: kind,
                neptu_amount: amount,
                description: Some(description.into()),
                expires_at: None,
            };
            user_rewards::grant(pool, &reward).await?;
        }
    }

    token_transactions::insert_confirmed_once(
        pool,
        &token_transactions::NewTokenTransaction {
            user_id: user.id,
            tx_signature: "DemoSignature1111111111111111111111111111111111111111111111111111".into(),
            transaction_type: TransactionType::SolPayment,
            reading_type: Some(ReadingType::Potensi),
            sol_amount: Some(Decimal::new(1, 2)),
            neptu_amount: None,
            sudigital_amount: None,
            neptu_burned: None,
            neptu_rewarded: Some(Decimal::from(10)),
        },
    )
    .await?;

    if let Some(wallet) = admin_wallet {
        let (admin, _) = users::get_or_create(pool, wallet).await?;
        users::set_role(pool, admin.id, Role::Admin).await?;
    }

    let pending = user_rewards::list_for_user(pool, user.id, Some(RewardStatus::Pending), 50)
        .await?
        .len();
    tracing::info!(
        plans_inserted = plans,
        demo_wallet = DEMO_WALLET,
        pending_rewards = pending,
        "demo data seeded"
    );
    Ok(())
}
