use neptu_shared::db::token_transactions::{self, NewTokenTransaction};
use neptu_shared::db::user_rewards::{self, NewReward};
use neptu_shared::domain::enums::{ReadingType, RewardType, TransactionType};
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::{TestApp, spawn_app};

async fn seed(app: &TestApp, user: Uuid) {
    for (sig, kind, sol, burned, rewarded) in [
        (
            "sig-sol",
            TransactionType::SolPayment,
            Some(Decimal::new(1, 2)),
            None,
            Some(Decimal::from(10)),
        ),
        (
            "sig-neptu",
            TransactionType::NeptuPayment,
            None,
            Some(Decimal::from(5)),
            None,
        ),
        (
            "sig-claim",
            TransactionType::NeptuReward,
            None,
            None,
            Some(Decimal::new(1, 1)),
        ),
    ] {
        let tx = NewTokenTransaction {
            user_id: user,
            tx_signature: sig.into(),
            transaction_type: kind,
            reading_type: Some(ReadingType::Potensi),
            sol_amount: sol,
            neptu_amount: None,
            sudigital_amount: None,
            neptu_burned: burned,
            neptu_rewarded: rewarded,
        };
        token_transactions::insert_confirmed_once(&app.db.pool, &tx)
            .await
            .unwrap();
    }
    for tenths in [1, 1, 20] {
        let reward = NewReward {
            user_id: user,
            reward_type: RewardType::DailyCheckIn,
            neptu_amount: Decimal::new(tenths, 1),
            description: None,
            expires_at: None,
        };
        user_rewards::grant(&app.db.pool, &reward).await.unwrap();
    }
}

#[tokio::test]
async fn history_merges_transactions_and_rewards() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    seed(&app, alice.id).await;
    let base = format!("/api/token/transactions/{}", alice.wallet_address);
    let (status, body) = app.get_as(&base, &token).await;
    assert_eq!(status, 200);
    let entries = body["transactions"].as_array().unwrap();
    assert_eq!(entries.len(), 6);
    assert_eq!(entries.iter().filter(|e| e["source"] == "reward").count(), 3);
    let tx = entries.iter().find(|e| e["txSignature"] == "sig-sol").unwrap();
    assert_eq!(
        (
            tx["source"].as_str(),
            tx["solAmount"].as_f64(),
            tx["transactionType"].as_str()
        ),
        (Some("transaction"), Some(0.01), Some("sol_payment"))
    );
    let created: Vec<&str> = entries.iter().map(|e| e["createdAt"].as_str().unwrap()).collect();
    let mut sorted = created.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted, "newest first");

    let (_, body) = app
        .get_as(&format!("{base}?transactionType=sol_payment"), &token)
        .await;
    assert_eq!(body["transactions"].as_array().unwrap().len(), 1);
    let (_, body) = app.get_as(&format!("{base}?limit=2"), &token).await;
    assert_eq!(body["transactions"].as_array().unwrap().len(), 2);
    for bad in ["?limit=101", "?offset=-1", "?transactionType=bogus", "?limit=x"] {
        assert_eq!(app.get_as(&format!("{base}{bad}"), &token).await.0, 400, "{bad}");
    }
    app.stop().await;
}

#[tokio::test]
async fn stats_count_each_amount_once() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    seed(&app, alice.id).await;
    let (status, body) = app
        .get_as(&format!("/api/token/stats/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(status, 200);
    let s = &body["stats"];
    // 10 from the SOL payment + 2.2 of rewards; the claim transaction mirrors a reward.
    assert_eq!(s["totalNeptuRewarded"].as_f64(), Some(12.2));
    assert_eq!(s["totalNeptuBurned"].as_f64(), Some(5.0));
    assert_eq!(s["totalSolSpent"].as_f64(), Some(0.01));
    assert_eq!(s["transactionCount"].as_i64(), Some(3));
    assert_eq!(
        (s["pendingRewards"].as_f64(), s["claimedRewards"].as_f64()),
        (Some(2.2), Some(0.0))
    );
    let (_, other_token) = app.user(2).await;
    assert_eq!(
        app.get_as(
            &format!("/api/token/stats/{}", alice.wallet_address),
            &other_token
        )
        .await
        .0,
        403
    );
    app.stop().await;
}

#[tokio::test]
async fn prices_per_reading_type() {
    let app = spawn_app().await;
    let (status, body) = app
        .call(Method::GET, "/api/token/price/COMPATIBILITY", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({ "success": true, "readingType": "COMPATIBILITY",
                "pricing": { "sol": { "amount": 0.005, "neptuReward": 5.0 },
                             "neptu": { "amount": 5.0, "burned": 2.5, "toTreasury": 2.5 } } })
    );
    let (status, body) = app
        .call(Method::GET, "/api/token/price/potensi", None, None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Invalid reading type"))
    );
    app.stop().await;
}
