use neptu_shared::db::user_rewards;
use rust_decimal::Decimal;
use serde_json::json;

use crate::spawn_app;

#[tokio::test]
async fn twenty_parallel_check_ins_count_once() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let path = format!("/api/wallet/check-in/{}", alice.wallet_address);
    let calls = (0..20).map(|_| app.post_as(&path, &token, json!({})));
    let results = futures::future::join_all(calls).await;
    let ok: Vec<_> = results.iter().filter(|(s, _)| *s == 200).collect();
    assert_eq!(ok.len(), 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter(|(s, _)| *s == 400)
            .all(|(_, b)| b["error"] == "Already checked in today")
    );
    let body = &ok[0].1;
    assert_eq!(body["streak"]["currentStreak"], 1);
    assert_eq!(
        (
            body["dailyRewardGranted"].as_bool(),
            body["streakBonusGranted"].as_bool()
        ),
        (Some(true), Some(false))
    );
    let rewards = user_rewards::list_for_user(&app.db.pool, alice.id, None, 50)
        .await
        .unwrap();
    assert_eq!(rewards.len(), 1, "one daily reward");
    assert_eq!(rewards[0].neptu_amount, Decimal::new(1, 1));

    let (_, streak) = app
        .get_as(&format!("/api/wallet/streak/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(streak["hasCheckedInToday"], true);
    assert_eq!(streak["streak"]["totalCheckIns"], 1);
    app.stop().await;
}

#[tokio::test]
async fn the_seventh_day_earns_the_bonus() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let (_, streak) = app
        .get_as(&format!("/api/wallet/streak/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(
        (streak["streak"].is_null(), streak["hasCheckedInToday"].as_bool()),
        (true, Some(false))
    );
    sqlx::query(
        "INSERT INTO user_streaks (user_id, current_streak, longest_streak, total_check_ins, last_check_in)
         VALUES ($1, 6, 6, 6, date_trunc('day', now()) - interval '1 hour')",
    )
    .bind(alice.id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let (status, body) = app
        .post_as(
            &format!("/api/wallet/check-in/{}", alice.wallet_address),
            &token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["streak"]["currentStreak"], 7);
    assert_eq!(
        (
            body["streakBonusGranted"].as_bool(),
            body["streakBonusAmount"].as_f64()
        ),
        (Some(true), Some(1.0))
    );
    let (_, rewards) = app
        .get_as(&format!("/api/wallet/rewards/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(rewards["rewards"].as_array().unwrap().len(), 2);
    assert_eq!(rewards["totalPending"].as_f64(), Some(1.1));
    app.stop().await;
}

#[tokio::test]
async fn wallet_routes_need_the_wallets_token() {
    let app = spawn_app().await;
    let (alice, _) = app.user(1).await;
    let (_, bob_token) = app.user(2).await;
    for path in ["rewards", "streak"] {
        let (status, _) = app
            .get_as(
                &format!("/api/wallet/{path}/{}", alice.wallet_address),
                &bob_token,
            )
            .await;
        assert_eq!(status, 403, "{path}");
    }
    let (status, _) = app
        .post_as(
            &format!("/api/wallet/check-in/{}", alice.wallet_address),
            &bob_token,
            json!({}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .call(
            reqwest::Method::POST,
            &format!("/api/wallet/check-in/{}", alice.wallet_address),
            None,
            None,
        )
        .await;
    assert_eq!(status, 401);
    app.stop().await;
}
