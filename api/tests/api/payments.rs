//! `/api/pay/verify` and `/api/token/verify-payment` against a fake cluster.

use std::time::Duration;

use neptu_shared::testing::closed_port;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::chain::{self, Mode, NEPTU_MINT, SUDIGITAL_MINT, TREASURY, app_with_chain, signature};
use crate::{TestApp, spawn_app_with, wallet_address};

async fn verify(app: &TestApp, sig: &str, wallet: &str, reading: &str, payment: &str) -> (u16, Value) {
    let body = json!({ "txSignature": sig, "walletAddress": wallet, "readingType": reading, "paymentType": payment });
    app.call(Method::POST, "/api/pay/verify", None, Some(body)).await
}

async fn count(app: &TestApp, table: &str) -> i64 {
    // A table name from this file only.
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_sol_payment_is_recorded_once_with_its_on_chain_amount() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, sig) = (wallet_address(1), signature(1));
    // 0.02 SOL for a 0.01 SOL reading: overpaying is accepted, the paid amount is stored.
    chain.add_tx(&sig, chain::sol_transfer(&sig, &alice, TREASURY, 20_000_000));
    let (status, body) = verify(&app, &sig, &alice, "POTENSI", "sol").await;
    assert_eq!(status, 200, "{body}");
    let tx = &body["transaction"];
    assert_eq!(
        (
            tx["transactionType"].as_str(),
            tx["solAmount"].as_f64(),
            tx["neptuRewarded"].as_f64()
        ),
        (Some("sol_payment"), Some(0.02), Some(10.0))
    );
    assert_eq!(
        (tx["status"].as_str(), tx["readingType"].as_str()),
        (Some("confirmed"), Some("POTENSI"))
    );
    assert_eq!(
        body["reward"],
        json!({ "neptuRewarded": 10.0, "message": "Earned 10 NEPTU" })
    );
    assert!(body.get("burn").is_none() && body.get("sudigital").is_none());
    let amount: Decimal = sqlx::query_scalar("SELECT amount FROM payments WHERE tx_signature = $1")
        .bind(&sig)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(amount, Decimal::new(2, 2));

    let (status, again) = verify(&app, &sig, &alice, "POTENSI", "sol").await;
    assert_eq!(
        (status, again["message"].as_str()),
        (200, Some("Transaction already recorded"))
    );
    assert_eq!(again["transaction"]["id"], tx["id"]);
    assert_eq!(
        chain.calls("getTransaction"),
        1,
        "a recorded signature is not fetched again"
    );

    // The same signature for another wallet or another reading is refused.
    let (status, other) = verify(&app, &sig, &wallet_address(2), "POTENSI", "sol").await;
    assert_eq!(status, 409, "{other}");
    assert_eq!(other["success"], false);
    let (status, _) = verify(&app, &sig, &alice, "PELUANG", "sol").await;
    assert_eq!(status, 409);
    assert_eq!(
        (
            count(&app, "token_transactions").await,
            count(&app, "payments").await
        ),
        (1, 1)
    );
    app.stop().await;
}

#[tokio::test]
async fn transactions_that_do_not_prove_the_payment_are_refused() {
    let sudigital_treasury = wallet_address(50);
    let (app, chain, _server) = app_with_chain(&[
        ("NEPTU_ECOSYSTEM_POOL", &wallet_address(51)),
        ("SUDIGITAL_TREASURY", &sudigital_treasury),
    ])
    .await;
    let alice = wallet_address(1);
    let cases = [
        (
            1,
            chain::failed(chain::sol_transfer(&signature(1), &alice, TREASURY, 10_000_000)),
            "sol",
            "Transaction failed",
        ),
        (
            2,
            chain::sol_transfer(&signature(2), &alice, &wallet_address(9), 10_000_000),
            "sol",
            "Transfer does not go to the treasury",
        ),
        (
            3,
            chain::sol_transfer(&signature(3), &alice, TREASURY, 9_999_999),
            "sol",
            "Transferred amount is less than the price",
        ),
        (
            4,
            chain::sol_transfer(&signature(4), &wallet_address(2), TREASURY, 10_000_000),
            "sol",
            "Transaction not signed by the wallet",
        ),
        // SUDIGITAL sent where NEPTU was expected.
        (
            5,
            chain::token_transfer(
                &signature(5),
                &alice,
                SUDIGITAL_MINT,
                &wallet_address(51),
                10_000_000,
                0,
            ),
            "neptu",
            "Transfer is not in the expected token",
        ),
        (
            6,
            chain::token_transfer(
                &signature(6),
                &alice,
                SUDIGITAL_MINT,
                &wallet_address(9),
                10_000_000,
                0,
            ),
            "sudigital",
            "Transfer does not go to the treasury",
        ),
        (
            7,
            chain::sol_transfer(&signature(7), &alice, TREASURY, 10_000_000),
            "neptu",
            "No valid transfer found",
        ),
    ];
    for (n, tx, payment, error) in cases {
        chain.add_tx(&signature(n), tx);
        let (status, body) = verify(&app, &signature(n), &alice, "POTENSI", payment).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some(error)),
            "case {n}: {body}"
        );
    }
    let (status, body) = verify(&app, &signature(99), &alice, "POTENSI", "sol").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Transaction not found"))
    );
    assert_eq!(count(&app, "token_transactions").await, 0, "nothing recorded");
    assert_eq!(
        count(&app, "users").await,
        0,
        "no user created for a refused payment"
    );
    app.stop().await;
}

#[tokio::test]
async fn token_payments_record_what_moved_on_chain() {
    let pool = wallet_address(51);
    let sudigital_treasury = wallet_address(50);
    let (app, chain, _server) = app_with_chain(&[
        ("NEPTU_ECOSYSTEM_POOL", &pool),
        ("SUDIGITAL_TREASURY", &sudigital_treasury),
    ])
    .await;
    let alice = wallet_address(1);
    // The economy program's split: 5 NEPTU to the pool, 5 burned, for a 10 NEPTU reading.
    chain.add_tx(
        &signature(1),
        chain::token_transfer(&signature(1), &alice, NEPTU_MINT, &pool, 5_000_000, 5_000_000),
    );
    let (status, body) = verify(&app, &signature(1), &alice, "POTENSI", "neptu").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["transaction"]["neptuAmount"].as_f64(),
            body["transaction"]["neptuBurned"].as_f64()
        ),
        (Some(10.0), Some(5.0))
    );
    assert_eq!(body["burn"]["message"], "Burned 5 NEPTU");

    chain.add_tx(
        &signature(2),
        chain::token_transfer(
            &signature(2),
            &alice,
            SUDIGITAL_MINT,
            &sudigital_treasury,
            1_000_000,
            0,
        ),
    );
    let (status, body) = verify(&app, &signature(2), &alice, "PELUANG", "sudigital").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["transaction"]["sudigitalAmount"].as_f64(),
        Some(1.0),
        "persisted, unlike the original"
    );
    assert_eq!(body["sudigital"]["message"], "Paid 1 SUDIGITAL, earned 1 NEPTU");

    // The older route takes SOL and NEPTU only.
    let body = json!({ "txSignature": signature(3), "walletAddress": alice, "readingType": "POTENSI", "paymentType": "sudigital" });
    let (status, _) = app
        .call(Method::POST, "/api/token/verify-payment", None, Some(body))
        .await;
    assert_eq!(status, 400);
    chain.add_tx(
        &signature(4),
        chain::sol_transfer(&signature(4), &alice, TREASURY, 2_000_000),
    );
    let body = json!({ "txSignature": signature(4), "walletAddress": alice, "readingType": "AI_CHAT", "paymentType": "sol" });
    let (status, body) = app
        .call(Method::POST, "/api/token/verify-payment", None, Some(body))
        .await;
    assert_eq!(
        (status, body["transaction"]["solAmount"].as_f64()),
        (200, Some(0.002)),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrent_verifications_of_one_signature_record_it_once() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, sig) = (wallet_address(1), signature(1));
    chain.add_tx(&sig, chain::sol_transfer(&sig, &alice, TREASURY, 10_000_000));
    let calls = (0..12).map(|_| verify(&app, &sig, &alice, "POTENSI", "sol"));
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|(s, _)| *s == 200), "{results:?}");
    let ids: std::collections::HashSet<_> = results
        .iter()
        .map(|(_, b)| b["transaction"]["id"].clone())
        .collect();
    assert_eq!(ids.len(), 1, "every caller sees the one row");
    assert_eq!(
        (
            count(&app, "token_transactions").await,
            count(&app, "payments").await
        ),
        (1, 1)
    );
    assert_eq!(count(&app, "users").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_rpc_rate_limit_is_a_clear_503() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let alice = wallet_address(1);
    chain.set_mode(Mode::Status(429));
    let (status, body) = verify(&app, &signature(1), &alice, "POTENSI", "sol").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("Solana RPC rate limit reached; try again later"))
    );
    assert_eq!(body["retryAfter"], 7);
    assert_eq!(chain.calls("getTransaction"), 1, "a 429 is not retried at once");
    app.stop().await;
}

#[tokio::test]
async fn an_rpc_timeout_is_a_clear_503() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let alice = wallet_address(1);
    chain.set_mode(Mode::Slow(Duration::from_millis(2500)));
    let (status, body) = verify(&app, &signature(2), &alice, "POTENSI", "sol").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("Solana RPC did not answer in time"))
    );
    assert_eq!(count(&app, "token_transactions").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_dead_rpc_opens_the_circuit() {
    let url = format!("http://{}/", closed_port());
    let app = spawn_app_with(&[("SOLANA_RPC_URL", &url)]).await;
    let alice = wallet_address(1);
    let (status, body) = verify(&app, &signature(1), &alice, "POTENSI", "sol").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (503, Some("Solana RPC unavailable"))
    );
    // Three failed tries (one call and its two retries) opened the breaker: now it fails fast.
    let started = std::time::Instant::now();
    let (status, body) = verify(&app, &signature(1), &alice, "POTENSI", "sol").await;
    assert_eq!(status, 503);
    assert!(
        body["error"].as_str().unwrap().contains("repeated failures"),
        "{body}"
    );
    assert!(started.elapsed() < Duration::from_millis(200));
    // Routes that do not need the chain keep working.
    let (status, _) = app.call(Method::GET, "/api/pay/pricing", None, None).await;
    assert_eq!(status, 200);
    app.stop().await;
}
