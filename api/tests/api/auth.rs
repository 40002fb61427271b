//! Sign-in: nonces, signatures, tokens. (Refresh sessions: `auth_refresh.rs`.)

use neptu_shared::testing::{ChaosProxy, Mode, redis_url};
use reqwest::Method;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};

use crate::{TestApp, spawn_app, spawn_app_with, spawn_replica};

pub(crate) struct Wallet {
    pair: Ed25519KeyPair,
    pub(crate) address: String,
}

pub(crate) fn new_wallet() -> Wallet {
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
    let address = bs58::encode(pair.public_key().as_ref()).into_string();
    Wallet { pair, address }
}

impl Wallet {
    pub(crate) fn sign(&self, message: &str) -> String {
        bs58::encode(self.pair.sign(message.as_bytes()).as_ref()).into_string()
    }
}

pub(crate) async fn nonce(app: &TestApp, wallet: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/auth/nonce",
        None,
        Some(json!({ "walletAddress": wallet })),
    )
    .await
}

pub(crate) async fn verify(app: &TestApp, wallet: &str, signature: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/auth/verify",
        None,
        Some(json!({ "walletAddress": wallet, "signature": signature })),
    )
    .await
}

pub(crate) async fn sign_in(app: &TestApp, wallet: &Wallet) -> Value {
    let (status, body) = nonce(app, &wallet.address).await;
    assert_eq!(status, 200, "{body}");
    let message = body["message"].as_str().unwrap();
    let (status, body) = verify(app, &wallet.address, &wallet.sign(message)).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn sign_in_refresh_reuse_and_logout() {
    // Strict one-time use: without the reuse window any second presentation is a reuse.
    let app = spawn_app_with(&[("REFRESH_REUSE_WINDOW_SECS", "0")]).await;
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
    assert_eq!(body["user"]["isAdmin"], false);

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

    // The nonce is stored in Postgres with a 5-minute lifetime.
    let (_, issued) = nonce(&app, &wallet.address).await;
    let lifetime: f64 = sqlx::query_scalar(
        "SELECT extract(epoch FROM expires_at - created_at)::float8 FROM sign_in_nonces WHERE nonce = $1",
    )
    .bind(issued["nonce"].as_str().unwrap())
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(lifetime, 300.0);
    let expires: chrono::DateTime<chrono::Utc> = issued["expiresAt"].as_str().unwrap().parse().unwrap();
    let left = expires - chrono::Utc::now();
    assert!((290..=300).contains(&left.num_seconds()), "{left}");

    // Once expired it is refused with the original's message.
    sqlx::query("UPDATE sign_in_nonces SET expires_at = now() - interval '1 second'")
        .execute(&app.db.pool)
        .await
        .unwrap();
    let signature = wallet.sign(issued["message"].as_str().unwrap());
    let (status, body) = verify(&app, &wallet.address, &signature).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Nonce expired. Request a new one."))
    );
    app.stop().await;
}

#[tokio::test]
async fn bad_signatures_are_refused_and_leave_the_nonce() {
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
    // Neither used the nonce up: the holder's signature still signs in.
    let (status, body) = verify(&app, &wallet.address, &wallet.sign(&message)).await;
    assert_eq!(status, 200, "{body}");

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
    assert_eq!(body["user"]["isAdmin"], true);
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

#[tokio::test]
async fn sign_in_works_on_two_replicas_while_redis_is_black_holed() {
    let redis: url::Url = redis_url().parse().unwrap();
    let proxy = ChaosProxy::start(
        format!("127.0.0.1:{}", redis.port().unwrap_or(6379))
            .parse()
            .unwrap(),
    )
    .await;
    proxy.set_mode(Mode::BlackHole);
    let via_proxy = format!("redis://{}", proxy.addr());
    let settings = [("REDIS_URL", via_proxy.as_str())];
    let first = spawn_app_with(&settings).await;
    let second = spawn_replica(&first, &settings).await;
    let wallet = new_wallet();
    // A nonce from one replica, verified on the other; then the other way round.
    for (issuer, verifier) in [(&first, &second), (&second, &first)] {
        let (status, issued) = nonce(issuer, &wallet.address).await;
        assert_eq!(status, 200, "{issued}");
        let signature = wallet.sign(issued["message"].as_str().unwrap());
        let (status, body) = verify(verifier, &wallet.address, &signature).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["user"]["walletAddress"], wallet.address);
        let (status, user) = verifier
            .get_as(
                &format!("/api/users/{}", wallet.address),
                body["accessToken"].as_str().unwrap(),
            )
            .await;
        assert_eq!(status, 200, "{user}");
        // Used up on every replica.
        assert_eq!(verify(issuer, &wallet.address, &signature).await.0, 400);
    }
    second.stop_server().await;
    first.stop().await;
}

#[tokio::test]
async fn strangers_cannot_spoil_a_wallets_sign_in() {
    let app = spawn_app_with(&[("RATE_LIMIT_AUTH_PER_MINUTE", "0")]).await;
    let owner = new_wallet();
    let stranger = new_wallet();
    let (_, mine) = nonce(&app, &owner.address).await;
    let message = mine["message"].as_str().unwrap().to_owned();

    // A stranger asks for many nonces for the owner's wallet and tries forged signatures.
    for _ in 0..12 {
        let (status, theirs) = nonce(&app, &owner.address).await;
        assert_eq!(status, 200);
        let forged = stranger.sign(theirs["message"].as_str().unwrap());
        assert_eq!(verify(&app, &owner.address, &forged).await.0, 401);
        assert_eq!(
            verify(&app, &owner.address, &stranger.sign(&message)).await.0,
            401
        );
    }
    let stored: i64 = sqlx::query_scalar("SELECT count(*) FROM sign_in_nonces WHERE wallet_address = $1")
        .bind(&owner.address)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(stored, 5, "outstanding nonces are capped");

    // The owner's nonce is still there, and the owner signs in with it.
    let (status, body) = verify(&app, &owner.address, &owner.sign(&message)).await;
    assert_eq!(status, 200, "{body}");
    app.stop().await;
}

#[tokio::test]
async fn a_wallet_may_have_several_nonces_outstanding() {
    let app = spawn_app().await;
    let wallet = new_wallet();
    // Two tabs each start a sign-in; both finish, in either order.
    let (_, first) = nonce(&app, &wallet.address).await;
    let (_, second) = nonce(&app, &wallet.address).await;
    assert_ne!(first["nonce"], second["nonce"]);
    for issued in [&second, &first] {
        let signature = wallet.sign(issued["message"].as_str().unwrap());
        let (status, body) = verify(&app, &wallet.address, &signature).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, body) = verify(
        &app,
        &wallet.address,
        &wallet.sign(first["message"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("No pending nonce. Request /nonce first."))
    );
    app.stop().await;
}
