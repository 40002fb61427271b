//! `/api/pay/*` build and pricing routes, and every chain route without an RPC.

use reqwest::Method;
use serde_json::{Value, json};

use crate::chain::{BLOCKHASH, TREASURY, app_with_chain};
use crate::{spawn_app, wallet_address};

#[tokio::test]
async fn sol_build_returns_the_program_instruction() {
    let (app, chain, _server) = app_with_chain(&[]).await;
    let alice = wallet_address(1);
    let body = json!({ "walletAddress": alice, "readingType": "COMPATIBILITY",
        "blockhash": "GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi", "lastValidBlockHeight": 12 });
    let (status, built) = app
        .call(Method::POST, "/api/pay/sol/build", None, Some(body))
        .await;
    assert_eq!(status, 200, "{built}");
    let ix = &built["instruction"];
    assert_eq!(ix["programId"], "6Zxc4uCXKqWS6spnW7u9wA81PChgws6wbGAKJyi8PnvT");
    assert_eq!(ix["data"], json!([197, 17, 1, 143, 91, 139, 88, 220, 3]));
    let accounts = ix["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 10);
    assert_eq!(accounts[0], json!({ "address": alice, "role": 3 }));
    assert_eq!(accounts[2], json!({ "address": TREASURY, "role": 1 }));
    assert_eq!(
        accounts[3]["address"],
        "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq"
    );
    assert_eq!(
        accounts[5]["address"],
        "74ghaUNLKLaFvLN74G8yex8hougvJkqwJEBYxpSJ1ZL"
    );
    assert_eq!(
        accounts[9],
        json!({ "address": "11111111111111111111111111111111", "role": 0 })
    );
    assert_eq!(
        built["transaction"],
        json!({ "blockhash": "GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi", "lastValidBlockHeight": 12 })
    );
    assert_eq!(
        built["pricing"],
        json!({ "solAmount": 0.005, "neptuReward": 5.0 })
    );
    assert_eq!(
        chain.calls("getLatestBlockhash"),
        0,
        "the client's blockhash is used"
    );

    // Without a blockhash the cluster's latest is fetched.
    let body = json!({ "walletAddress": alice, "readingType": "POTENSI" });
    let (status, built) = app
        .call(Method::POST, "/api/pay/sol/build", None, Some(body))
        .await;
    assert_eq!(status, 200);
    assert_eq!(built["transaction"]["blockhash"], BLOCKHASH);
    assert_eq!(chain.calls("getLatestBlockhash"), 1);

    let body = json!({ "walletAddress": "not-a-wallet", "readingType": "POTENSI" });
    let (status, _) = app
        .call(Method::POST, "/api/pay/sol/build", None, Some(body))
        .await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn token_builds_need_their_recipients() {
    let (app, _chain, _server) = app_with_chain(&[]).await;
    let body = json!({ "walletAddress": wallet_address(1), "readingType": "POTENSI", "blockhash": BLOCKHASH, "lastValidBlockHeight": 1 });
    for (path, error) in [
        ("/api/pay/neptu/build", "Ecosystem pool address not configured"),
        (
            "/api/pay/sudigital/build",
            "SUDIGITAL treasury address not configured",
        ),
    ] {
        let (status, reply) = app.call(Method::POST, path, None, Some(body.clone())).await;
        assert_eq!((status, reply["error"].as_str()), (503, Some(error)), "{path}");
    }
    app.stop().await;

    let pool = wallet_address(51);
    let treasury = wallet_address(50);
    let (app, _chain, _server) =
        app_with_chain(&[("NEPTU_ECOSYSTEM_POOL", &pool), ("SUDIGITAL_TREASURY", &treasury)]).await;
    let (status, built) = app
        .call(Method::POST, "/api/pay/neptu/build", None, Some(body.clone()))
        .await;
    assert_eq!(status, 200, "{built}");
    assert_eq!(
        built["instruction"]["data"],
        json!([156, 36, 200, 161, 119, 115, 155, 242, 0])
    );
    assert_eq!(built["instruction"]["accounts"][0]["role"], 2);
    assert_eq!(
        built["instruction"]["accounts"][4],
        json!({ "address": pool, "role": 1 })
    );
    assert_eq!(
        built["pricing"],
        json!({ "neptuAmount": 10.0, "neptuBurned": 5.0, "neptuToEcosystem": 5.0 })
    );
    let (status, built) = app
        .call(Method::POST, "/api/pay/sudigital/build", None, Some(body))
        .await;
    assert_eq!(status, 200, "{built}");
    assert_eq!(
        built["transfer"],
        json!({ "mint": "7zsunv4pLAzVWGCQts2k266TYJuLJfMvHcMbcRSR8xqf", "from": wallet_address(1),
            "to": treasury, "amount": 10_000_000, "decimals": 6 })
    );
    app.stop().await;
}

#[tokio::test]
async fn claim_build_returns_an_unsigned_v0_transaction() {
    let (app, _chain, _server) = app_with_chain(&[]).await;
    let alice = wallet_address(1);
    let body = json!({ "walletAddress": alice, "amount": 1.5, "nonce": 1_700_000_000_000u64,
        "blockhash": BLOCKHASH, "lastValidBlockHeight": 99 });
    let (status, built) = app
        .call(Method::POST, "/api/pay/claim/build", None, Some(body))
        .await;
    assert_eq!(status, 200, "{built}");
    let bytes: Vec<u8> = serde_json::from_value(built["serializedTransaction"].clone()).unwrap();
    assert_eq!(bytes.len(), 1 + 64 + 5 + 10 * 32 + 32 + 102);
    assert_eq!(bytes[0], 1);
    assert_eq!(bytes[65..69], [0x80, 1, 0, 5]);
    assert_eq!(
        bytes[70..102],
        bs58::decode(&alice).into_vec().unwrap()[..],
        "fee payer first"
    );
    let data_at = bytes.len() - 1 - 88;
    assert_eq!(bytes[data_at..data_at + 8], [4, 144, 132, 71, 116, 23, 151, 80]);
    assert_eq!(bytes[data_at + 8..data_at + 16], 1_500_000u64.to_le_bytes());
    assert_eq!(
        built["claim"],
        json!({ "amount": 1.5, "nonce": 1_700_000_000_000u64 })
    );

    for bad in [
        json!({ "walletAddress": alice, "amount": 0, "nonce": 1 }),
        json!({ "walletAddress": alice, "amount": 1, "nonce": 1.5 }),
    ] {
        let (status, _) = app
            .call(Method::POST, "/api/pay/claim/build", None, Some(bad))
            .await;
        assert_eq!(status, 400);
    }
    app.stop().await;
}

#[tokio::test]
async fn without_an_rpc_chain_routes_answer_503_and_prices_still_work() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let wallet = &alice.wallet_address;
    let build = json!({ "walletAddress": wallet, "readingType": "POTENSI" });
    let verify = json!({ "txSignature": bs58::encode([1u8; 64]).into_string(), "walletAddress": wallet,
        "readingType": "POTENSI", "paymentType": "sol" });
    let claim = json!({ "walletAddress": wallet, "amount": 1, "nonce": 1 });
    let calls: Vec<(Method, String, Option<Value>)> = vec![
        (Method::POST, "/api/pay/sol/build".into(), Some(build.clone())),
        (Method::POST, "/api/pay/neptu/build".into(), Some(build.clone())),
        (Method::POST, "/api/pay/sudigital/build".into(), Some(build)),
        (Method::POST, "/api/pay/claim/build".into(), Some(claim)),
        (Method::POST, "/api/pay/verify".into(), Some(verify.clone())),
        (Method::POST, "/api/token/verify-payment".into(), Some(verify)),
        (Method::GET, format!("/api/wallet/balance/{wallet}"), None),
        (Method::GET, format!("/api/wallet/balances/{wallet}"), None),
        (
            Method::POST,
            format!("/api/wallet/revert-failed-claims/{wallet}"),
            None,
        ),
    ];
    for (method, path, body) in calls {
        let (status, reply) = app.call(method, &path, Some(&token), body).await;
        assert_eq!(
            (status, reply),
            (
                503,
                json!({ "success": false, "error": "Solana RPC not configured" })
            ),
            "{path}"
        );
    }
    let (status, prices) = app.call(Method::GET, "/api/pay/pricing", None, None).await;
    assert_eq!(status, 200);
    let order: Vec<&str> = prices["pricing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["readingType"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["POTENSI", "PELUANG", "COMPATIBILITY", "AI_CHAT"]);
    assert_eq!(
        prices["pricing"][2],
        json!({ "readingType": "COMPATIBILITY", "sol": { "price": 0.005, "neptuReward": 5.0 },
            "neptu": { "price": 5.0, "burned": 2.5, "toEcosystem": 2.5 }, "sudigital": { "price": 5.0, "neptuReward": 5.0 } })
    );
    let (status, one) = app
        .call(Method::GET, "/api/pay/pricing/PELUANG", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        one["pricing"]["neptu"],
        json!({ "amount": 1.0, "burned": 0.5, "toEcosystem": 0.5 })
    );
    let (status, _) = app
        .call(Method::GET, "/api/pay/pricing/peluang", None, None)
        .await;
    assert_eq!(status, 400);
    app.stop().await;
}
