//! The economics of abuse: what fresh wallets, referrals and unbounded GETs can cost.
//! (Sign-ins per address here; the oracle's per-address quota is in the worker's tests.)

use std::time::Duration;

use neptu_shared::db::user_rewards;
use neptu_shared::domain::enums::RewardStatus;
use serde_json::{Value, json};

use crate::auth::{Wallet, new_wallet};
use crate::{TestApp, spawn_app, spawn_app_with};

/// Fixed hourly windows: keep a test from straddling two.
async fn fresh_hour() {
    let second = chrono::Utc::now().timestamp() % 3600;
    if second > 3590 {
        tokio::time::sleep(Duration::from_secs((3601 - second) as u64)).await;
    }
}

/// A whole sign-in of `wallet` from `address` (via `X-Forwarded-For`): status and body.
async fn sign_in_from(app: &TestApp, wallet: &Wallet, address: &str) -> (u16, Value) {
    let post = |path: &str, body: Value| {
        app.client
            .post(app.url(path))
            .header("x-forwarded-for", address)
            .json(&body)
            .send()
    };
    let nonce: Value = post("/api/auth/nonce", json!({ "walletAddress": wallet.address }))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let signature = wallet.sign(nonce["message"].as_str().unwrap());
    let body = json!({ "walletAddress": wallet.address, "signature": signature });
    let r = post("/api/auth/verify", body).await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[tokio::test]
async fn one_address_signs_in_a_bounded_number_of_wallets_per_hour() {
    fresh_hour().await;
    let app = spawn_app_with(&[
        ("RATE_LIMIT_SIGN_INS_PER_HOUR", "2"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "0"),
        ("TRUST_PROXY", "true"),
    ])
    .await;
    let (a, b, c) = (new_wallet(), new_wallet(), new_wallet());
    // Two addresses of one /64 are one client.
    assert_eq!(sign_in_from(&app, &a, "2001:db8:7:7::1").await.0, 200);
    assert_eq!(sign_in_from(&app, &b, "2001:db8:7:7::2").await.0, 200);
    // The same wallet again is not a new one.
    assert_eq!(sign_in_from(&app, &a, "2001:db8:7:7::3").await.0, 200);
    let (status, body) = sign_in_from(&app, &c, "2001:db8:7:7:ffff::9").await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["success"], false);
    let retry = body["retryAfter"].as_u64().unwrap();
    assert!((1..=3600).contains(&retry), "{retry}");
    assert!(body["accessToken"].is_null());
    // Another address has its own count; the refused sign-in used no nonce up.
    assert_eq!(sign_in_from(&app, &c, "2001:db8:7:8::1").await.0, 200);
    assert_eq!(sign_in_from(&app, &b, "2001:db8:7:7::5").await.0, 200);
    app.stop().await;
}

#[tokio::test]
async fn without_the_cache_sign_ins_are_not_counted() {
    let down = format!("redis://{}", neptu_shared::testing::closed_port());
    let app = spawn_app_with(&[
        ("REDIS_URL", &down),
        ("RATE_LIMIT_SIGN_INS_PER_HOUR", "1"),
        ("RATE_LIMIT_AUTH_PER_MINUTE", "0"),
    ])
    .await;
    for _ in 0..2 {
        assert_eq!(sign_in_from(&app, &new_wallet(), "10.9.9.9").await.0, 200);
    }
    app.stop().await;
}

async fn code_of(app: &TestApp, wallet: &str, token: &str) -> String {
    let (_, body) = app.get_as(&format!("/api/users/{wallet}/referral"), token).await;
    body["referral"]["code"].as_str().unwrap().to_owned()
}

async fn apply(app: &TestApp, wallet: &str, token: &str, code: &str) -> (u16, Value) {
    app.post_as(
        &format!("/api/users/{wallet}/referral"),
        token,
        json!({ "code": code }),
    )
    .await
}

/// Checks in, then moves the check-in a day back, so the next one falls on a new day.
async fn check_in_on_a_new_day(app: &TestApp, wallet: &str, token: &str, user: uuid::Uuid) {
    let (status, body) = app
        .post_as(&format!("/api/wallet/check-in/{wallet}"), token, json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    sqlx::query(
        "UPDATE user_streaks SET last_check_in = last_check_in - interval '1 day' WHERE user_id = $1",
    )
    .bind(user)
    .execute(&app.db.pool)
    .await
    .unwrap();
}

async fn pending(app: &TestApp, user: uuid::Uuid) -> Vec<String> {
    user_rewards::list_for_user(&app.db.pool, user, Some(RewardStatus::Pending), 50)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.description.as_deref() != Some("Daily check-in reward"))
        .map(|r| r.neptu_amount.to_string())
        .collect()
}

#[tokio::test]
async fn throw_away_referees_earn_nothing_until_they_check_in_on_three_days() {
    let app = spawn_app().await;
    let (referrer, referrer_token) = app.user(1).await;
    let code = code_of(&app, &referrer.wallet_address, &referrer_token).await;
    // Eight fresh wallets apply the code: nothing is granted.
    for n in 10..18 {
        let (user, token) = app.user(n).await;
        let (status, body) = apply(&app, &user.wallet_address, &token, &code).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["referral"]["rewardedAt"].is_null(), "{body}");
    }
    assert!(pending(&app, referrer.id).await.is_empty());
    let (_, info) = app
        .get_as(
            &format!("/api/users/{}/referral", referrer.wallet_address),
            &referrer_token,
        )
        .await;
    assert_eq!(
        (
            info["referral"]["totalReferrals"].as_i64(),
            info["referral"]["totalEarned"].as_f64()
        ),
        (Some(8), Some(0.0))
    );

    // One of them comes back on three distinct days: both rewards, once.
    let (active, active_token) = app.user(10).await;
    for day in 1..=4 {
        check_in_on_a_new_day(&app, &active.wallet_address, &active_token, active.id).await;
        let expected: &[&str] = if day < 3 { &[] } else { &["10"] };
        assert_eq!(pending(&app, referrer.id).await, expected, "day {day}");
    }
    assert_eq!(pending(&app, active.id).await, ["2"]);

    // A user who already qualified before applying a code is rewarded at once.
    let (veteran, veteran_token) = app.user(30).await;
    for _ in 0..3 {
        check_in_on_a_new_day(&app, &veteran.wallet_address, &veteran_token, veteran.id).await;
    }
    let (status, body) = apply(&app, &veteran.wallet_address, &veteran_token, &code).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["referral"]["rewardedAt"].is_string(), "{body}");
    assert_eq!(pending(&app, referrer.id).await, ["10", "10"]);
    app.stop().await;
}

#[tokio::test]
async fn mutual_referrals_are_refused() {
    let app = spawn_app().await;
    let (x, x_token) = app.user(1).await;
    let (y, y_token) = app.user(2).await;
    let (z, z_token) = app.user(3).await;
    let x_code = code_of(&app, &x.wallet_address, &x_token).await;
    let y_code = code_of(&app, &y.wallet_address, &y_token).await;
    // Y is referred by X; X then tries Y's code.
    assert_eq!(apply(&app, &y.wallet_address, &y_token, &x_code).await.0, 200);
    let (status, body) = apply(&app, &x.wallet_address, &x_token, &y_code).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Cannot apply the code of someone you referred"))
    );
    // Anyone else may still use Y's code.
    assert_eq!(apply(&app, &z.wallet_address, &z_token, &y_code).await.0, 200);
    let referred: i64 = sqlx::query_scalar("SELECT count(*) FROM referrals WHERE referee_id = $1")
        .bind(x.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(referred, 0);
    app.stop().await;
}

#[tokio::test]
async fn opposite_referrals_at_once_leave_one() {
    let app = spawn_app().await;
    for round in 0..5 {
        let (x, x_token) = app.user(100 + 2 * round).await;
        let (y, y_token) = app.user(101 + 2 * round).await;
        let x_code = code_of(&app, &x.wallet_address, &x_token).await;
        let y_code = code_of(&app, &y.wallet_address, &y_token).await;
        let (a, b) = tokio::join!(
            apply(&app, &y.wallet_address, &y_token, &x_code),
            apply(&app, &x.wallet_address, &x_token, &y_code),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 400], "round {round}: {a:?} {b:?}");
        let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM referrals WHERE referee_id = ANY($1)")
            .bind(vec![x.id, y.id])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(rows, 1, "round {round}");
    }
    app.stop().await;
}

#[tokio::test]
async fn personal_readings_far_from_today_are_answered_but_not_stored() {
    let app = spawn_app().await;
    let (user, token) = app.user(1).await;
    let base = format!("/api/users/{}", user.wallet_address);
    let (status, _) = app
        .post_as(
            &format!("{base}/onboard"),
            &token,
            json!({ "birthDate": "1990-05-15" }),
        )
        .await;
    assert_eq!(status, 200);
    let today = chrono::Utc::now().date_naive();
    let near = (today + chrono::Duration::days(7)).to_string();
    let mut far_bodies = Vec::new();
    for date in ["1800-01-01", "1999-12-31", "2150-06-01", &near, "2200-12-31"] {
        let (status, body) = app
            .get_as(&format!("{base}/reading?targetDate={date}"), &token)
            .await;
        assert_eq!(status, 200, "{date}: {body}");
        assert_eq!(body["reading"]["date"], date);
        assert!(body["reading"]["potensi"].is_object() && body["reading"]["full"].is_object());
        far_bodies.push(body);
    }
    // Computed the same whether stored or not.
    let (_, again) = app
        .get_as(&format!("{base}/reading?targetDate=1800-01-01"), &token)
        .await;
    assert_eq!(again, far_bodies[0]);
    let (_, today_body) = app.get_as(&format!("{base}/reading"), &token).await;
    assert_eq!(today_body["reading"]["date"], today.to_string());
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT target_date::text FROM readings WHERE user_id = $1 ORDER BY target_date")
            .bind(user.id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(stored, [today.to_string(), near]);
    app.stop().await;
}
