use reqwest::Method;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};

use crate::{TestApp, spawn_app, spawn_app_with};

struct Wallet {
    pair: Ed25519KeyPair,
    address: String,
}

fn new_wallet() -> Wallet {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let address = bs58::encode(pair.public_key().as_ref()).into_string();
    Wallet { pair, address }
}

impl Wallet {
    fn sign(&self, message: &str) -> String {
        bs58::encode(self.pair.sign(message.as_bytes()).as_ref()).into_string()
    }
}

async fn nonce(app: &TestApp, wallet: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/auth/nonce",
        None,
        Some(json!({ "walletAddress": wallet })),
    )
    .await
}

async fn verify(app: &TestApp, wallet: &str, signature: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/auth/verify",
        None,
        Some(json!({ "walletAddress": wallet, "signature": signature })),
    )
    .await
}

async fn sign_in(app: &TestApp, wallet: &Wallet) -> Value {
    let (status, body) = nonce(app, &wallet.address).await;
    assert_eq!(status, 200, "{body}");
    let message = body["message"].as_str().unwrap();
    let (status, body) = verify(app, &wallet.address, &wallet.sign(message)).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn sign_in_refresh_reuse_and_logout() {
    let app = spawn_app().await;
    let wallet = new_wallet();
    let (_, issued) = nonce(&app, &wallet.address).await;
    let nonce_hex = issued["nonce"].as_str().unwrap();
    assert_eq!(nonce_hex.len(), 64);
    assert!(
        issued["message"]
            .as_str()
            .unwrap()
            .ends_with(&format!("Nonce: {nonce_hex}"))
    );
    let (_, body) = verify(
        &app,
        &wallet.address,
        &wallet.sign(issued["message"].as_str().unwrap()),
    )
    .await;
    assert_eq!(body["user"]["walletAddress"], wallet.address);
    assert_eq!(body["user"]["role"], "user");
    assert_eq!(body["user"]["onboarded"], false);

    let access = body["accessToken"].as_str().unwrap().to_owned();
    let first_refresh = body["refreshToken"].as_str().unwrap().to_owned();
    let (status, user) = app
        .get_as(&format!("/api/users/{}", wallet.address), &access)
        .await;
    assert_eq!(status, 200, "{user}");

    // Rotation: the refresh token gives a new pair and is then spent.
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.call(
                Method::POST,
                "/api/auth/refresh",
                None,
                Some(json!({ "refreshToken": token })),
            )
            .await
        }
    };
    let (status, rotated) = refresh(first_refresh.clone()).await;
    assert_eq!(status, 200, "{rotated}");
    let second_refresh = rotated["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    let (status, _) = app
        .get_as(
            &format!("/api/users/{}", wallet.address),
            rotated["accessToken"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, 200);

    // Presenting the spent token again revokes the whole family, the new token included.
    let (status, body) = refresh(first_refresh).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Invalid or expired refresh token"))
    );
    let (status, _) = refresh(second_refresh).await;
    assert_eq!(status, 401, "the family is revoked");

    // A new sign-in starts a new family; logout ends it.
    let fresh = sign_in(&app, &wallet).await;
    let token = fresh["refreshToken"].as_str().unwrap().to_owned();
    let (status, _) = app
        .call(
            Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({ "refreshToken": token.clone() })),
        )
        .await;
    assert_eq!(status, 200);
    let (status, _) = refresh(token).await;
    assert_eq!(status, 401);
    let (status, _) = refresh("not-a-token".into()).await;
    assert_eq!(status, 401);
    app.stop().await;
}

#[tokio::test]
async fn nonces_are_single_use_and_short_lived() {
    let app = spawn_app().await;
    let wallet = new_wallet();
    let (_, issued) = nonce(&app, &wallet.address).await;
    let signature = wallet.sign(issued["message"].as_str().unwrap());
    assert_eq!(verify(&app, &wallet.address, &signature).await.0, 200);
    let (status, body) = verify(&app, &wallet.address, &signature).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("No pending nonce. Request /nonce first."))
    );

    // The nonce is stored with a 5-minute lifetime.
    nonce(&app, &wallet.address).await;
    let key = format!("{}auth:nonce:{}", app_prefix(&app), wallet.address);
    let client = deadpool_redis::redis::Client::open(neptu_shared::testing::redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ttl: i64 = deadpool_redis::redis::cmd("PTTL")
        .arg(&key)
        .query_async(&mut conn)
        .await
        .unwrap();
    assert!((290_000..=300_000).contains(&ttl), "{ttl}");
    app.stop().await;
}

fn app_prefix(app: &TestApp) -> String {
    app.prefix.clone()
}

#[tokio::test]
async fn bad_signatures_are_refused_and_burn_the_nonce() {
    let app = spawn_app().await;
    let wallet = new_wallet();
    let impostor = new_wallet();
    let (_, issued) = nonce(&app, &wallet.address).await;
    let message = issued["message"].as_str().unwrap().to_owned();

    let (status, body) = verify(&app, &wallet.address, "not base58 !!").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Invalid signature format"))
    );
    // A signature by another key over the right message.
    let (status, body) = verify(&app, &wallet.address, &impostor.sign(&message)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Signature verification failed"))
    );
    // The nonce is gone: even the right signature now needs a new one.
    let (status, _) = verify(&app, &wallet.address, &wallet.sign(&message)).await;
    assert_eq!(status, 400);

    let (status, body) = nonce(&app, "not-a-wallet").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Invalid Solana wallet address"))
    );
    let (status, body) = app
        .call(Method::POST, "/api/auth/nonce", None, Some(json!({})))
        .await;
    assert_eq!(
        (status, body["error"]["name"].as_str()),
        (400, Some("ValidationError"))
    );
    app.stop().await;
}

#[tokio::test]
async fn the_configured_admin_wallet_signs_in_as_admin() {
    let wallet = new_wallet();
    let app = spawn_app_with(&[("ADMIN_WALLET_ADDRESS", &wallet.address)]).await;
    let body = sign_in(&app, &wallet).await;
    assert_eq!(body["user"]["role"], "admin");
    let (status, _) = app
        .get_as("/api/admin/stats", body["accessToken"].as_str().unwrap())
        .await;
    assert_eq!(status, 200);
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_required_and_checked() {
    let app = spawn_app().await;
    let (alice, alice_token) = app.user(1).await;
    let path = format!("/api/users/{}", alice.wallet_address);
    let (status, body) = app.call(Method::GET, &path, None, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Authorization header required"))
    );
    let (status, body) = app.get_as(&path, "garbage").await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Invalid or expired token"))
    );
    let forged = format!("{}x", &alice_token[..alice_token.len() - 1]);
    assert_eq!(app.get_as(&path, &forged).await.0, 401);
    // The legacy header alone is not accepted.
    let r = app
        .client
        .get(app.url(&path))
        .header("x-wallet-address", &alice.wallet_address)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    app.stop().await;
}

#[tokio::test]
async fn the_legacy_header_works_only_when_switched_on() {
    let app = spawn_app_with(&[("AUTH_LEGACY_WALLET_HEADER", "true")]).await;
    let (alice, _) = app.user(1).await;
    let r = app
        .client
        .get(app.url(&format!("/api/users/{}", alice.wallet_address)))
        .header("x-wallet-address", &alice.wallet_address)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    app.stop().await;
}
