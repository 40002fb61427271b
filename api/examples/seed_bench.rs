//! Seeds the benchmark dataset: 1,000 users, 4,500 readings (real full readings, ~2 KB each),
//! 500 token transactions, 1,000 rewards and the default plans. Deterministic: user `i` always
//! gets the same wallet, birth date and rows. Writes `wallet token` lines for the first 900
//! users (access tokens signed with `AUTH_TOKEN_SECRET`) to the file given as the argument.
//!
//!   DATABASE_URL=… cargo run --release --example seed_bench -- bench/results/tokens.txt

use std::io::Write;

use chrono::{Duration, NaiveDate, Utc};
use neptu_shared::auth::TokenKeys;
use neptu_shared::config::{Service, Settings};
use neptu_shared::db::{self, pricing_plans};
use neptu_shared::domain::enums::Role;
use neptu_shared::domain::pricing::default_plans;
use neptu_wariga::{self as wariga, CivilDate};
use secrecy::ExposeSecret;

const USERS: usize = 1_000;
const READINGS: usize = 4_500;
const TRANSACTIONS: usize = 500;
const REWARDS: usize = 1_000;
const TOKENS: usize = 900;

fn wallet(i: usize) -> String {
    let mut key = [0x42u8; 32];
    key[..8].copy_from_slice(&(i as u64).to_be_bytes());
    bs58::encode(key).into_string()
}

fn birth(i: usize) -> CivilDate {
    let base = NaiveDate::from_ymd_opt(1960, 1, 1).expect("valid date");
    CivilDate::new(base + Duration::days((i * 7919 % 18_000) as i64)).expect("in range")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "bench/results/tokens.txt".into());
    let settings = Settings::load(Service::Api).map_err(|e| anyhow::anyhow!("{e}"))?;
    let pool = db::pool(&settings.database, "neptu-seed-bench");
    db::migrate(&pool).await?;
    sqlx::query(
        "TRUNCATE users, readings, payments, token_transactions, user_rewards, user_streaks, referrals,
                  refresh_tokens, pricing_plans CASCADE",
    )
    .execute(&pool)
    .await?;
    pricing_plans::seed_if_empty(&pool, &default_plans()).await?;

    let wallets: Vec<String> = (0..USERS).map(wallet).collect();
    let births: Vec<NaiveDate> = (0..USERS).map(|i| birth(i).naive()).collect();
    let ids: Vec<uuid::Uuid> = sqlx::query_scalar(
        "INSERT INTO users (wallet_address, birth_date, onboarded, display_name)
         SELECT w, b, true, 'Bench ' || n FROM unnest($1::text[], $2::date[]) WITH ORDINALITY AS t(w, b, n)
         ORDER BY n RETURNING id",
    )
    .bind(&wallets)
    .bind(&births)
    .fetch_all(&pool)
    .await?;

    let today = Utc::now().date_naive();
    let mut reading_users = Vec::with_capacity(READINGS);
    let mut targets = Vec::with_capacity(READINGS);
    let mut payloads = Vec::with_capacity(READINGS);
    for r in 0..READINGS {
        let user = r % USERS;
        let target = CivilDate::new(today - Duration::days((r / USERS) as i64))?;
        reading_users.push(ids[user]);
        targets.push(target.naive());
        payloads.push(serde_json::to_value(wariga::full_reading(birth(user), target))?);
    }
    sqlx::query(
        "INSERT INTO readings (user_id, type, target_date, birth_date, reading_data)
         SELECT u, 'potensi', t, users.birth_date, d
         FROM unnest($1::uuid[], $2::date[], $3::jsonb[]) AS x(u, t, d) JOIN users ON users.id = x.u",
    )
    .bind(&reading_users)
    .bind(&targets)
    .bind(&payloads)
    .execute(&pool)
    .await?;

    sqlx::query(
        "INSERT INTO token_transactions (user_id, tx_signature, transaction_type, reading_type, sol_amount,
             neptu_amount, neptu_burned, neptu_rewarded, status, confirmed_at)
         SELECT ($1::uuid[])[1 + (n % cardinality($1::uuid[]))], 'BenchSignature' || lpad(n::text, 60, '0'),
                CASE WHEN n % 2 = 0 THEN 'sol_payment' ELSE 'neptu_payment' END, 'POTENSI',
                CASE WHEN n % 2 = 0 THEN 0.01 END, CASE WHEN n % 2 = 1 THEN 10 END,
                CASE WHEN n % 2 = 1 THEN 5 END, CASE WHEN n % 2 = 0 THEN 10 END, 'confirmed', now()
         FROM generate_series(0, $2 - 1) AS n",
    )
    .bind(&ids)
    .bind(TRANSACTIONS as i32)
    .execute(&pool)
    .await?;

    sqlx::query(
        "INSERT INTO user_rewards (user_id, reward_type, neptu_amount, status, description, claimed_at, claim_tx_signature)
         SELECT ($1::uuid[])[1 + (n % cardinality($1::uuid[]))], 'daily_check_in', 0.1,
                CASE WHEN n % 3 = 0 THEN 'claimed' ELSE 'pending' END, 'Daily check-in reward',
                CASE WHEN n % 3 = 0 THEN now() END, CASE WHEN n % 3 = 0 THEN 'BenchClaim' || n END
         FROM generate_series(0, $2 - 1) AS n",
    )
    .bind(&ids)
    .bind(REWARDS as i32)
    .execute(&pool)
    .await?;
    sqlx::query("ANALYZE").execute(&pool).await?;

    let keys = TokenKeys::new(settings.auth.token_secret.expose_secret().as_bytes());
    let now = Utc::now().timestamp();
    let mut file = std::io::BufWriter::new(std::fs::File::create(&out)?);
    for i in 0..TOKENS {
        writeln!(
            file,
            "{} {}",
            wallets[i],
            keys.issue_access(ids[i], &wallets[i], Role::User, now)
        )?;
    }
    file.flush()?;
    println!(
        "seeded {USERS} users, {READINGS} readings, {TRANSACTIONS} transactions, {REWARDS} rewards; {TOKENS} tokens in {out}"
    );
    Ok(())
}
