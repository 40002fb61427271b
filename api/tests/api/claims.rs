//! Reward claims checked against the claim transaction, reverts, and wallet balances.

use neptu_shared::db::user_rewards::{self, NewReward};
use neptu_shared::domain::enums::{RewardStatus, RewardType};
use rust_decimal::Decimal;
use serde_json::json;
use uuid::Uuid;

use crate::TestApp;
use crate::chain::{self, NEPTU_MINT, SUDIGITAL_MINT, app_with_chain, signature};

async fn grant(app: &TestApp, user_id: Uuid, tenths: i64) -> Uuid {
    let reward = NewReward {
        user_id,
        reward_type: RewardType::DailyCheckIn,
        neptu_amount: Decimal::new(tenths, 1),
        description: Some("Daily check-in reward".into()),
        expires_at: None,
    };
    user_rewards::grant(&app.db.pool, &reward).await.unwrap().id
}

async fn pending(app: &TestApp, user_id: Uuid) -> usize {
    user_rewards::list_for_user(&app.db.pool, user_id, Some(RewardStatus::Pending), 50)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn claims_are_marked_only_up_to_what_the_transaction_paid() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    let (bob, bob_token) = app.user(2).await;
    let (first, second) = (grant(&app, alice.id, 1).await, grant(&app, alice.id, 1).await);
    let bobs = grant(&app, bob.id, 1).await;
    let path = format!("/api/wallet/claim/{}", alice.wallet_address);
    // The transaction paid 0.15 NEPTU: enough for one 0.1 reward, not for two.
    chain.add_tx(
        &signature(1),
        chain::claim_payout(&signature(1), &alice.wallet_address, 150_000),
    );
    let claim = |reward: Uuid, sig: String| json!({ "rewardId": reward, "claimTxSignature": sig });

    let (status, body) = app.post_as(&path, &token, claim(first, signature(1))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            body["reward"]["status"].as_str(),
            body["reward"]["claimTxSignature"].as_str()
        ),
        (Some("claimed"), Some(signature(1).as_str()))
    );
    let (status, body) = app.post_as(&path, &token, claim(second, signature(1))).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"].as_str().unwrap().contains("less than"), "{body}");
    assert_eq!(
        pending(&app, alice.id).await,
        1,
        "the uncovered reward stays pending"
    );
    let (status, body) = app.post_as(&path, &token, claim(first, signature(1))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Reward not found or already claimed"))
    );
    let (status, _) = app.post_as(&path, &token, claim(bobs, signature(1))).await;
    assert_eq!(status, 400, "someone else's reward");
    assert_eq!(pending(&app, bob.id).await, 1);

    // A transaction Bob did not sign, one that failed, one unknown, one paying another token.
    let bob_path = format!("/api/wallet/claim/{}", bob.wallet_address);
    let (status, body) = app
        .post_as(&bob_path, &bob_token, claim(bobs, signature(1)))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Claim transaction not signed by the wallet"))
    );
    chain.add_tx(
        &signature(2),
        chain::failed(chain::claim_payout(
            &signature(2),
            &alice.wallet_address,
            1_000_000,
        )),
    );
    let (status, body) = app.post_as(&path, &token, claim(second, signature(2))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Claim transaction failed"))
    );
    let (status, body) = app.post_as(&path, &token, claim(second, signature(3))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Claim transaction not found"))
    );
    let mut wrong_token = chain::claim_payout(&signature(4), &alice.wallet_address, 1_000_000);
    for side in ["preTokenBalances", "postTokenBalances"] {
        for b in wrong_token["meta"][side].as_array_mut().unwrap() {
            b["mint"] = json!(SUDIGITAL_MINT);
        }
    }
    chain.add_tx(&signature(4), wrong_token);
    let (status, _) = app.post_as(&path, &token, claim(second, signature(4))).await;
    assert_eq!(status, 400);
    // A payment's reward also comes out of the pool, but a payment is not a claim.
    let mut payment = chain::claim_payout(&signature(7), &alice.wallet_address, 1_000_000);
    payment["transaction"]["message"]["instructions"][0]["data"] =
        json!(bs58::encode([197, 17, 1, 143, 91, 139, 88, 220, 0]).into_string());
    chain.add_tx(&signature(7), payment);
    let (status, body) = app.post_as(&path, &token, claim(second, signature(7))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Not a claim_rewards transaction"))
    );
    // NEPTU moved in from another wallet of the caller, not out of the rewards pool.
    let mut self_paid = chain::claim_payout(&signature(6), &alice.wallet_address, 1_000_000);
    for side in ["preTokenBalances", "postTokenBalances"] {
        self_paid["meta"][side][0]["owner"] = json!(crate::wallet_address(77));
    }
    chain.add_tx(&signature(6), self_paid);
    let (status, body) = app.post_as(&path, &token, claim(second, signature(6))).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(pending(&app, alice.id).await, 1);

    for bad in [
        json!({ "rewardId": second, "claimTxSignature": "short" }),
        json!({ "rewardId": "x", "claimTxSignature": signature(5) }),
    ] {
        let (status, _) = app.post_as(&path, &token, bad).await;
        assert_eq!(status, 400);
    }
    // The claim signature is in the token history once.
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM token_transactions WHERE tx_signature = $1 AND transaction_type = 'neptu_reward'")
        .bind(signature(1))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(rows, 1);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_claims_cannot_spend_one_payout_twice() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    let mut rewards = Vec::new();
    for _ in 0..6 {
        rewards.push(grant(&app, alice.id, 1).await);
    }
    // 0.3 NEPTU paid: three of the six 0.1 rewards.
    chain.add_tx(
        &signature(1),
        chain::claim_payout(&signature(1), &alice.wallet_address, 300_000),
    );
    let path = format!("/api/wallet/claim/{}", alice.wallet_address);
    let calls = rewards.iter().map(|r| {
        app.post_as(
            &path,
            &token,
            json!({ "rewardId": r, "claimTxSignature": signature(1) }),
        )
    });
    let results = futures::future::join_all(calls).await;
    assert_eq!(
        results.iter().filter(|(s, _)| *s == 200).count(),
        3,
        "{results:?}"
    );
    assert_eq!(pending(&app, alice.id).await, 3);
    app.stop().await;
}

#[tokio::test]
async fn failed_claims_are_reverted_and_landed_ones_kept() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    let (kept, failed, unknown) = (
        grant(&app, alice.id, 1).await,
        grant(&app, alice.id, 1).await,
        grant(&app, alice.id, 1).await,
    );
    for (reward, n) in [(kept, 1), (failed, 2), (unknown, 3)] {
        user_rewards::claim(&app.db.pool, alice.id, &[reward], &signature(n))
            .await
            .unwrap();
    }
    {
        let mut s = chain.0.lock().unwrap();
        s.statuses.insert(signature(1), json!({ "slot": 1, "confirmations": null, "err": null, "confirmationStatus": "finalized", "status": { "Ok": null } }));
        s.statuses.insert(signature(2), json!({ "slot": 1, "confirmations": null, "err": { "InstructionError": [0, { "Custom": 6 }] }, "confirmationStatus": "finalized", "status": { "Err": {} } }));
    }
    let path = format!("/api/wallet/revert-failed-claims/{}", alice.wallet_address);
    let (status, body) = app.post_as(&path, &token, json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["revertedCount"].as_u64(), body["totalClaimed"].as_u64()),
        (Some(2), Some(3))
    );
    let mut ids: Vec<String> = serde_json::from_value(body["revertedIds"].clone()).unwrap();
    ids.sort();
    let mut expected = vec![failed.to_string(), unknown.to_string()];
    expected.sort();
    assert_eq!(ids, expected);
    assert_eq!(chain.calls("getSignatureStatuses"), 1, "one batched call");

    // When the RPC fails nothing is reverted.
    chain.set_mode(chain::Mode::Status(500));
    user_rewards::claim(&app.db.pool, alice.id, &[failed], &signature(2))
        .await
        .unwrap();
    let (status, _) = app.post_as(&path, &token, json!({})).await;
    assert_eq!(status, 503);
    assert_eq!(pending(&app, alice.id).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn balances_come_from_the_chain() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    let (_, bob_token) = app.user(2).await;
    grant(&app, alice.id, 5).await;
    {
        let mut s = chain.0.lock().unwrap();
        s.lamports = 1_500_000_000;
        s.tokens.insert(NEPTU_MINT.into(), 12_345_678);
    }
    let (status, body) = app
        .get_as(&format!("/api/wallet/balance/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "success": true, "balance": { "raw": "12345678", "formatted": 12.345678 }, "pendingRewards": 0.5 })
    );
    let (status, body) = app
        .get_as(&format!("/api/wallet/balances/{}", alice.wallet_address), &token)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sol"], json!({ "lamports": "1500000000", "formatted": 1.5 }));
    assert_eq!(body["neptu"]["raw"], "12345678");
    assert_eq!(
        body["sudigital"],
        json!({ "raw": "0", "formatted": 0.0 }),
        "no account: 0"
    );
    let (status, _) = app
        .get_as(
            &format!("/api/wallet/balances/{}", alice.wallet_address),
            &bob_token,
        )
        .await;
    assert_eq!(status, 403);
    app.stop().await;
}

#[tokio::test]
async fn balances_are_public_and_cached_briefly() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let (alice, token) = app.user(1).await;
    grant(&app, alice.id, 5).await;
    {
        let mut s = chain.0.lock().unwrap();
        s.lamports = 2_000_000_000;
        s.tokens.insert(NEPTU_MINT.into(), 7_000_000);
        s.tokens.insert(SUDIGITAL_MINT.into(), 1_000_000);
    }
    let balance = format!("/api/wallet/balance/{}", alice.wallet_address);
    let balances = format!("/api/wallet/balances/{}", alice.wallet_address);

    // No token (a wallet just connected): the chain's figures; pending rewards are private.
    let (status, body) = app.call(reqwest::Method::GET, &balance, None, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "success": true, "balance": { "raw": "7000000", "formatted": 7.0 }, "pendingRewards": 0.0 })
    );
    let (status, body) = app.call(reqwest::Method::GET, &balances, None, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["sol"], json!({ "lamports": "2000000000", "formatted": 2.0 }));
    assert_eq!(body["sudigital"]["raw"], "1000000");
    assert_eq!(body["pendingRewards"], 0.0);
    let reads = chain.calls("getBalance") + chain.calls("getTokenAccountsByOwner");
    assert_eq!(reads, 4, "NEPTU for the first route, all three for the second");

    // Within the cache lifetime the chain is not asked again, whoever asks.
    chain.0.lock().unwrap().lamports = 9_000_000_000;
    let (_, again) = app.call(reqwest::Method::GET, &balances, None, None).await;
    assert_eq!(again["sol"]["lamports"], "2000000000");
    let (status, own) = app.get_as(&balances, &token).await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["sol"]["lamports"], "2000000000");
    assert_eq!(own["pendingRewards"], 0.5, "the owner sees the pending rewards");
    assert_eq!(
        chain.calls("getBalance") + chain.calls("getTokenAccountsByOwner"),
        reads
    );

    // Not an address: 400 before any RPC call; a stale token: 401, so the client refreshes.
    let (status, _) = app
        .call(
            reqwest::Method::GET,
            "/api/wallet/balances/not-a-wallet",
            None,
            None,
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(app.get_as(&balances, "garbage").await.0, 401);
    app.stop().await;
}
