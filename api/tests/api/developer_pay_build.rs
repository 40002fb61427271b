//! `/api/developer/pay/{subscribe,credits}/build`: the transfer of the plan's or pack's own
//! price, and every way a build is refused.

use neptu_shared::db::api_packs::{self, PackChanges};
use neptu_shared::db::api_plans::{self, PlanChanges};
use neptu_shared::domain::solana::Address;
use neptu_shared::domain::solana::programs::associated_token_address;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::chain::{BLOCKHASH, NEPTU_MINT, TREASURY, app_with_chain};
use crate::{TestApp, spawn_app, wallet_address};

const SYSTEM: &str = "11111111111111111111111111111111";
const SPL_TOKEN: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";

fn le(n: u64) -> Vec<Value> {
    n.to_le_bytes().iter().map(|b| json!(b)).collect()
}

async fn build(app: &TestApp, token: &str, what: &str, body: Value) -> (u16, Value) {
    let path = format!("/api/developer/pay/{what}/build");
    app.post_as(&path, token, body).await
}

#[tokio::test]
async fn a_plan_is_charged_its_own_price_in_sol_or_neptu() {
    let pool = wallet_address(51);
    let (app, chain, _server) = app_with_chain(&[("NEPTU_ECOSYSTEM_POOL", &pool)]).await;
    let (alice, token) = app.user(1).await;
    let pro = api_plans::find_by_slug(&app.db.pool, "api-pro")
        .await
        .unwrap()
        .unwrap();

    // Pro costs 0.4 SOL: a system transfer of 400 000 000 lamports to the treasury.
    let body = json!({ "planSlug": "api-pro", "paymentMethod": "sol",
        "blockhash": "GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi", "lastValidBlockHeight": 12 });
    let (status, built) = build(&app, &token, "subscribe", body).await;
    assert_eq!(status, 200, "{built}");
    assert_eq!(built["success"], true);
    assert_eq!(
        built["plan"],
        json!({ "id": pro.id, "name": "Pro", "slug": "api-pro", "tier": "pro" })
    );
    assert_eq!(
        built["payment"],
        json!({ "method": "sol", "amount": 0.4, "currency": "SOL" })
    );
    let mut data = vec![json!(2), json!(0), json!(0), json!(0)];
    data.extend(le(400_000_000));
    assert_eq!(
        built["instruction"],
        json!({ "programId": SYSTEM, "accounts": [
            { "address": alice.wallet_address, "role": 3 },
            { "address": TREASURY, "role": 1 },
        ], "data": data })
    );
    assert_eq!(
        built["transaction"],
        json!({ "blockhash": "GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi", "lastValidBlockHeight": 12 })
    );
    assert_eq!(chain.calls("getLatestBlockhash"), 0);

    // 400 NEPTU: TransferChecked from the wallet's NEPTU account to the pool, 6 decimals.
    let body = json!({ "planSlug": "api-pro", "paymentMethod": "neptu" });
    let (status, built) = build(&app, &token, "subscribe", body).await;
    assert_eq!(status, 200, "{built}");
    assert_eq!(
        built["payment"],
        json!({ "method": "neptu", "amount": 400.0, "currency": "NEPTU" })
    );
    let mint = Address::parse(NEPTU_MINT).unwrap();
    let user_ata = associated_token_address(&Address::parse(&alice.wallet_address).unwrap(), &mint);
    let mut data = vec![json!(12)];
    data.extend(le(400_000_000));
    data.push(json!(6));
    assert_eq!(
        built["instruction"],
        json!({ "programId": SPL_TOKEN, "accounts": [
            { "address": user_ata.to_string(), "role": 1 },
            { "address": NEPTU_MINT, "role": 0 },
            { "address": pool, "role": 1 },
            { "address": alice.wallet_address, "role": 2 },
        ], "data": data })
    );
    assert_eq!(built["transaction"]["blockhash"], BLOCKHASH);
    assert_eq!(chain.calls("getLatestBlockhash"), 1);

    // The Growth pack: 0.4 SOL as well, and its credits in the answer.
    let body = json!({ "packSlug": "growth-pack", "paymentMethod": "sol" });
    let (status, built) = build(&app, &token, "credits", body).await;
    assert_eq!(status, 200, "{built}");
    let pack = &built["pack"];
    assert_eq!(
        (
            pack["slug"].as_str(),
            pack["credits"].as_i64(),
            pack["aiCredits"].as_i64()
        ),
        (Some("growth-pack"), Some(5000), Some(500))
    );
    assert!(pack["id"].is_string() && pack["name"] == "Growth Pack");
    assert_eq!(
        built["instruction"]["data"].as_array().unwrap()[4..].to_vec(),
        le(400_000_000)
    );
    // The Scale pack in NEPTU: 3000 NEPTU = 3 000 000 000 raw units.
    let body = json!({ "packSlug": "scale-pack", "paymentMethod": "neptu" });
    let (status, built) = build(&app, &token, "credits", body).await;
    assert_eq!(status, 200, "{built}");
    assert_eq!(
        built["instruction"]["data"].as_array().unwrap()[1..9].to_vec(),
        le(3_000_000_000)
    );
    app.stop().await;
}

#[tokio::test]
async fn builds_are_refused_clearly() {
    let (app, _chain, _server) = app_with_chain(&[]).await;
    let (_, token) = app.user(1).await;
    let db = &app.db.pool;
    let starter = api_plans::find_by_slug(db, "api-starter").await.unwrap().unwrap();
    let off = PlanChanges {
        is_active: Some(false),
        ..PlanChanges::default()
    };
    api_plans::update(db, starter.id, &off).await.unwrap();
    let growth = api_packs::find_by_slug(db, "growth-pack").await.unwrap().unwrap();
    let off = PackChanges {
        is_active: Some(false),
        ..PackChanges::default()
    };
    api_packs::update(db, growth.id, &off).await.unwrap();
    let sol_only = PackChanges {
        name: Some("SOL only".into()),
        slug: Some("sol-only".into()),
        credits: Some(10),
        price_usd: Some(Decimal::ONE),
        price_sol: Some(Decimal::new(1, 2)),
        ..PackChanges::default()
    };
    api_packs::create(db, &sol_only).await.unwrap();

    let cases = [
        (
            "subscribe",
            json!({ "planSlug": "nope", "paymentMethod": "sol" }),
            404,
            "Plan not found",
        ),
        (
            "subscribe",
            json!({ "planSlug": "api-starter", "paymentMethod": "sol" }),
            400,
            "Plan is not available",
        ),
        (
            "subscribe",
            json!({ "planSlug": "api-pro", "paymentMethod": "sudigital" }),
            400,
            "Payment method not supported yet",
        ),
        (
            "subscribe",
            json!({ "planSlug": "api-enterprise", "paymentMethod": "sol" }),
            400,
            "SOL payment not available for this plan",
        ),
        (
            "subscribe",
            json!({ "planSlug": "api-enterprise", "paymentMethod": "neptu" }),
            400,
            "NEPTU payment not available for this plan",
        ),
        (
            "credits",
            json!({ "packSlug": "nope", "paymentMethod": "sol" }),
            404,
            "Credit pack not found",
        ),
        (
            "credits",
            json!({ "packSlug": "growth-pack", "paymentMethod": "sol" }),
            400,
            "Credit pack is not available",
        ),
        (
            "credits",
            json!({ "packSlug": "sol-only", "paymentMethod": "neptu" }),
            400,
            "NEPTU payment not available for this pack",
        ),
        (
            "credits",
            json!({ "packSlug": "scale-pack", "paymentMethod": "sudigital" }),
            400,
            "Payment method not supported yet",
        ),
        // Priced, but this deployment has no ecosystem pool to receive NEPTU.
        (
            "credits",
            json!({ "packSlug": "scale-pack", "paymentMethod": "neptu" }),
            503,
            "Ecosystem pool address not configured",
        ),
    ];
    for (what, body, status, error) in cases {
        let (got, reply) = build(&app, &token, what, body.clone()).await;
        assert_eq!(
            (got, reply["error"].as_str()),
            (status, Some(error)),
            "{body}: {reply}"
        );
        assert_eq!(reply["success"], false);
    }
    for body in [
        json!({ "planSlug": "", "paymentMethod": "sol" }),
        json!({ "planSlug": "api-pro", "paymentMethod": "btc" }),
        json!({ "planSlug": "api-pro", "paymentMethod": "sol", "blockhash": "not-base58!" }),
        json!({ "paymentMethod": "sol" }),
    ] {
        let (status, reply) = build(&app, &token, "subscribe", body.clone()).await;
        assert_eq!(status, 400, "{body}: {reply}");
    }

    // Signed-in callers only: no token, a bad one, or the original's bare wallet header.
    let body = json!({ "planSlug": "api-pro", "paymentMethod": "sol" });
    for what in ["subscribe", "credits"] {
        let path = format!("/api/developer/pay/{what}/build");
        let (status, _) = app.call(Method::POST, &path, None, Some(body.clone())).await;
        assert_eq!(status, 401);
        let (status, _) = app.post_as(&path, "not-a-token", body.clone()).await;
        assert_eq!(status, 401);
        let response = app
            .client
            .post(app.url(&path))
            .header("x-wallet-address", wallet_address(1))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
    }
    app.stop().await;

    // Without an RPC every route of the group answers 503.
    let app = spawn_app().await;
    let (_, token) = app.user(1).await;
    let (status, reply) = build(&app, &token, "subscribe", body).await;
    assert_eq!(
        (status, reply["error"].as_str()),
        (503, Some("Solana RPC not configured"))
    );
    let verify = json!({ "planSlug": "api-pro", "paymentMethod": "sol",
        "txSignature": crate::chain::signature(1) });
    let (status, _) = app
        .post_as("/api/developer/pay/subscribe/verify", &token, verify)
        .await;
    assert_eq!(status, 503);
    app.stop().await;
}
