//! `/api/developer/pay/{subscribe,credits}/verify` against a fake cluster: what a verified
//! payment buys, what does not prove one, and that a signature pays for one thing once.

use std::sync::Arc;

use chrono::{DateTime, Months, Utc};
use neptu_shared::db::api_subscriptions::{self, NewSubscription};
use neptu_shared::db::{api_plans, users::User};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::chain::{self, NEPTU_MINT, TREASURY, app_with_chain, signature};
use crate::{TestApp, wallet_address};

async fn verify(app: &TestApp, token: &str, what: &str, slug: &str, method: &str, sig: &str) -> (u16, Value) {
    let key = if what == "subscribe" {
        "planSlug"
    } else {
        "packSlug"
    };
    let body = json!({ key: slug, "paymentMethod": method, "txSignature": sig });
    app.post_as(&format!("/api/developer/pay/{what}/verify"), token, body)
        .await
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db.pool).await.unwrap()
}

fn at(value: &Value) -> DateTime<Utc> {
    value.as_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn subscribing_replaces_the_active_subscription_and_records_the_payment() {
    let pool = wallet_address(51);
    let (app, chain, _server) = app_with_chain(&[("NEPTU_ECOSYSTEM_POOL", &pool)]).await;
    let (alice, token) = app.user(1).await;
    let wallet = &alice.wallet_address;
    let pro = api_plans::find_by_slug(&app.db.pool, "api-pro")
        .await
        .unwrap()
        .unwrap();
    chain.add_tx(
        &signature(1),
        chain::sol_transfer(&signature(1), wallet, TREASURY, 400_000_000),
    );

    let (status, body) = verify(&app, &token, "subscribe", "api-pro", "sol", &signature(1)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["message"], "Successfully subscribed to Pro plan");
    let sub = &body["subscription"];
    assert_eq!(
        (
            sub["planId"].as_str(),
            sub["userId"].as_str(),
            sub["status"].as_str()
        ),
        (
            Some(pro.id.to_string().as_str()),
            Some(alice.id.to_string().as_str()),
            Some("active")
        )
    );
    assert_eq!(
        (
            sub["creditsRemaining"].as_i64(),
            sub["aiCreditsRemaining"].as_i64()
        ),
        (Some(10_000), Some(1_000))
    );
    assert_eq!(
        (sub["paymentMethod"].as_str(), sub["paymentTxSignature"].as_str()),
        (Some("sol"), Some(signature(1).as_str()))
    );
    let start = at(&sub["billingCycleStart"]);
    assert_eq!(at(&sub["billingCycleEnd"]), start + Months::new(1));
    assert!((Utc::now() - start).num_seconds().abs() < 60);
    let (kind, amount, plan_id, subscription_id): (String, Decimal, Option<Uuid>, Option<Uuid>) =
        sqlx::query_as(
            "SELECT kind, amount, plan_id, subscription_id FROM api_payments WHERE tx_signature = $1",
        )
        .bind(signature(1))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(
        (kind.as_str(), amount, plan_id),
        ("subscription", Decimal::new(4, 1), Some(pro.id))
    );
    assert_eq!(
        subscription_id.map(|id| id.to_string()).as_deref(),
        sub["id"].as_str()
    );

    // Then Starter in NEPTU (50 NEPTU to the pool): Pro is cancelled, Starter is active.
    chain.add_tx(
        &signature(2),
        chain::token_transfer(&signature(2), wallet, NEPTU_MINT, &pool, 50_000_000, 0),
    );
    let (status, second) = verify(&app, &token, "subscribe", "api-starter", "neptu", &signature(2)).await;
    assert_eq!(status, 200, "{second}");
    assert_eq!(second["message"], "Successfully subscribed to Starter plan");
    assert_eq!(second["subscription"]["creditsRemaining"], 1000);
    assert_eq!(second["subscription"]["paymentMethod"], "neptu");
    let rows: Vec<(String, Option<DateTime<Utc>>)> =
        sqlx::query_as("SELECT status, cancelled_at FROM api_subscriptions ORDER BY created_at")
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows[0].0 == "cancelled" && rows[0].1.is_some(), "{rows:?}");
    assert_eq!(rows[1].0, "active");
    let amount: Decimal = sqlx::query_scalar("SELECT amount FROM api_payments WHERE tx_signature = $1")
        .bind(signature(2))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(amount, Decimal::from(50));
    app.stop().await;
}

async fn subscribe(app: &TestApp, user: &User, slug: &str, credits: i64) {
    let plan = api_plans::find_by_slug(&app.db.pool, slug)
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now();
    let new = NewSubscription {
        user_id: user.id,
        plan_id: plan.id,
        credits,
        ai_credits: credits,
        cycle_start: now,
        cycle_end: now + Months::new(1),
        payment_method: None,
        payment_tx_signature: None,
    };
    let mut tx = app.db.pool.begin().await.unwrap();
    api_subscriptions::cancel_active(&mut *tx, user.id).await.unwrap();
    api_subscriptions::insert_active(&mut *tx, &new).await.unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_credit_pack_adds_its_credits_with_the_bonus_to_the_active_subscription() {
    let pool = wallet_address(51);
    let (app, chain, _server) = app_with_chain(&[("NEPTU_ECOSYSTEM_POOL", &pool)]).await;
    let (alice, token) = app.user(1).await;
    let wallet = alice.wallet_address.clone();
    chain.add_tx(
        &signature(1),
        chain::token_transfer(&signature(1), &wallet, NEPTU_MINT, &pool, 400_000_000, 0),
    );

    // No subscription yet: refused before the chain is asked, and nothing is recorded.
    let (status, body) = verify(&app, &token, "credits", "growth-pack", "neptu", &signature(1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("No active subscription found. Please subscribe first."))
    );
    assert_eq!(chain.calls("getTransaction"), 0);

    subscribe(&app, &alice, "api-starter", 1000).await;
    let (status, body) = verify(&app, &token, "credits", "growth-pack", "neptu", &signature(1)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["creditsAdded"],
        json!({ "basic": 5500, "ai": 550, "bonusPercent": 10 })
    );
    assert_eq!(
        body["message"],
        "Successfully added 5500 basic credits and 550 AI credits"
    );
    assert_eq!(
        (
            body["subscription"]["creditsRemaining"].as_i64(),
            body["subscription"]["aiCreditsRemaining"].as_i64()
        ),
        (Some(6500), Some(1550))
    );
    let (kind, amount): (String, Decimal) =
        sqlx::query_as("SELECT kind, amount FROM api_payments WHERE tx_signature = $1")
            .bind(signature(1))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
    assert_eq!((kind.as_str(), amount), ("credits", Decimal::from(400)));

    // Unlimited stays unlimited.
    subscribe(&app, &alice, "api-enterprise", -1).await;
    chain.add_tx(
        &signature(2),
        chain::sol_transfer(&signature(2), &wallet, TREASURY, 50_000_000),
    );
    let (status, body) = verify(&app, &token, "credits", "starter-pack", "sol", &signature(2)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["subscription"]["creditsRemaining"], -1);
    assert_eq!(body["creditsAdded"]["basic"], 500);
    app.stop().await;
}

#[tokio::test]
async fn transactions_that_do_not_pay_the_price_are_refused() {
    let pool = wallet_address(51);
    let (app, chain, _server) = app_with_chain(&[("NEPTU_ECOSYSTEM_POOL", &pool)]).await;
    let (alice, token) = app.user(1).await;
    let wallet = &alice.wallet_address;
    let bob = wallet_address(2);
    let cases = [
        // 0.39 SOL for a 0.4 SOL plan (a POTENSI reading's price would be far less).
        (
            1,
            chain::sol_transfer(&signature(1), wallet, TREASURY, 399_999_999),
            "sol",
            "Transferred amount is less than the price",
        ),
        (
            2,
            chain::sol_transfer(&signature(2), wallet, &wallet_address(9), 400_000_000),
            "sol",
            "Transfer does not go to the treasury",
        ),
        (
            3,
            chain::sol_transfer(&signature(3), &bob, TREASURY, 400_000_000),
            "sol",
            "Transaction not signed by the wallet",
        ),
        (
            4,
            chain::failed(chain::sol_transfer(&signature(4), wallet, TREASURY, 400_000_000)),
            "sol",
            "Transaction failed",
        ),
        // The reading payment's split (half to the pool, half burned) does not pay a plan.
        (
            5,
            chain::token_transfer(&signature(5), wallet, NEPTU_MINT, &pool, 200_000_000, 200_000_000),
            "neptu",
            "Transferred amount is less than the price",
        ),
        (
            6,
            chain::token_transfer(
                &signature(6),
                wallet,
                NEPTU_MINT,
                &wallet_address(9),
                400_000_000,
                0,
            ),
            "neptu",
            "Transfer does not go to the treasury",
        ),
        (
            7,
            chain::token_transfer(
                &signature(7),
                wallet,
                chain::SUDIGITAL_MINT,
                &pool,
                400_000_000,
                0,
            ),
            "neptu",
            "Transfer is not in the expected token",
        ),
    ];
    for (n, tx, method, error) in cases {
        chain.add_tx(&signature(n), tx);
        let (status, body) = verify(&app, &token, "subscribe", "api-pro", method, &signature(n)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(error)),
            "case {n}: {body}"
        );
    }
    let (status, body) = verify(&app, &token, "subscribe", "api-pro", "sol", &signature(99)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Transaction not found"))
    );
    let (status, _) = verify(&app, &token, "subscribe", "api-pro", "sol", "short").await;
    assert_eq!(status, 400);
    assert_eq!(count(&app, "SELECT count(*) FROM api_payments").await, 0);
    assert_eq!(count(&app, "SELECT count(*) FROM api_subscriptions").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_signature_pays_for_one_thing_once() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    let wallet = alice.wallet_address.clone();
    for n in 1..=3 {
        chain.add_tx(
            &signature(n),
            chain::sol_transfer(&signature(n), &wallet, TREASURY, 400_000_000),
        );
    }
    let (status, _) = verify(&app, &token, "subscribe", "api-pro", "sol", &signature(1)).await;
    assert_eq!(status, 200);
    let fetched = chain.calls("getTransaction");

    // Again on the same route, on the credits route, or as a reading payment: 409.
    let (status, body) = verify(&app, &token, "subscribe", "api-pro", "sol", &signature(1)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("Transaction already recorded for another payment"))
    );
    let (status, _) = verify(&app, &token, "credits", "growth-pack", "sol", &signature(1)).await;
    assert_eq!(status, 409);
    assert_eq!(
        chain.calls("getTransaction"),
        fetched,
        "a spent signature is not fetched again"
    );
    let reading = json!({ "txSignature": signature(1), "walletAddress": wallet,
        "readingType": "POTENSI", "paymentType": "sol" });
    let (status, body) = app
        .call(Method::POST, "/api/pay/verify", None, Some(reading))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(count(&app, "SELECT count(*) FROM token_transactions").await, 0);

    // A signature that paid for a reading does not buy a plan.
    let reading = json!({ "txSignature": signature(2), "walletAddress": wallet,
        "readingType": "POTENSI", "paymentType": "sol" });
    let (status, body) = app
        .call(Method::POST, "/api/pay/verify", None, Some(reading))
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = verify(&app, &token, "subscribe", "api-pro", "sol", &signature(2)).await;
    assert_eq!(status, 409);

    // Twenty verifications of one new signature at once record it once.
    let app = Arc::new(app);
    let calls = (0..20).map(|i| {
        let (app, token) = (Arc::clone(&app), token.clone());
        let what = if i % 2 == 0 { "subscribe" } else { "credits" };
        let slug = if i % 2 == 0 { "api-pro" } else { "growth-pack" };
        tokio::spawn(async move { verify(&app, &token, what, slug, "sol", &signature(3)).await.0 })
    });
    let mut statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    statuses.sort_unstable();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| [200, 409].contains(s)), "{statuses:?}");
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM api_payments WHERE tx_signature IS NOT NULL"
        )
        .await,
        2
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM api_subscriptions WHERE status = 'active'"
        )
        .await,
        1
    );
    Arc::into_inner(app).unwrap().stop().await;
}

#[tokio::test]
async fn subscriptions_bought_at_once_leave_one_active() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    for n in 1..=6 {
        let tx = chain::sol_transfer(&signature(n), &alice.wallet_address, TREASURY, 400_000_000);
        chain.add_tx(&signature(n), tx);
    }
    let app = Arc::new(app);
    let calls = (1..=6).map(|n| {
        let (app, token) = (Arc::clone(&app), token.clone());
        tokio::spawn(async move {
            verify(&app, &token, "subscribe", "api-pro", "sol", &signature(n))
                .await
                .0
        })
    });
    let statuses: Vec<u16> = futures::future::join_all(calls)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(statuses, vec![200; 6]);
    assert_eq!(count(&app, "SELECT count(*) FROM api_payments").await, 6);
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM api_subscriptions WHERE status = 'active'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &app,
            "SELECT count(*) FROM api_subscriptions WHERE status = 'cancelled'"
        )
        .await,
        5
    );
    Arc::into_inner(app).unwrap().stop().await;
}
