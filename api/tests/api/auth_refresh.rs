//! Refresh sessions: rotation, the reuse window for parallel refreshes, reuse detection after
//! it, logout.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::auth::{new_wallet, sign_in};
use crate::{TestApp, spawn_app_with};

async fn refresh(app: &TestApp, token: &str) -> (u16, Value) {
    app.call(
        Method::POST,
        "/api/auth/refresh",
        None,
        Some(json!({ "refreshToken": token })),
    )
    .await
}

async fn family_size(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn parallel_refreshes_with_one_token_share_one_successor() {
    let app = spawn_app_with(&[("REFRESH_REUSE_WINDOW_SECS", "30")]).await;
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let token = session["refreshToken"].as_str().unwrap().to_owned();

    // A page waking up: eight requests refresh with the same token at once.
    let answers = futures::future::join_all((0..8).map(|_| refresh(&app, &token))).await;
    for (status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    let (_, first) = &answers[0];
    for (_, body) in &answers {
        assert_eq!(body["refreshToken"], first["refreshToken"], "one successor");
        assert_eq!(body["accessToken"], first["accessToken"], "one access token");
    }
    assert_ne!(first["refreshToken"].as_str(), Some(token.as_str()));
    assert_eq!(
        family_size(&app).await,
        2,
        "the sign-in's token and one successor"
    );

    // The session is alive: the access token works and the successor refreshes normally.
    let (status, _) = app
        .get_as(
            &format!("/api/users/{}", wallet.address),
            first["accessToken"].as_str().unwrap(),
        )
        .await;
    assert_eq!(status, 200);
    let successor = first["refreshToken"].as_str().unwrap();
    let (status, next) = refresh(&app, successor).await;
    assert_eq!(status, 200, "{next}");
    assert_ne!(next["refreshToken"], first["refreshToken"]);
    assert_eq!(family_size(&app).await, 3);

    // Logout still ends the session, repeats within the window included.
    let (status, _) = app
        .call(
            Method::POST,
            "/api/auth/logout",
            None,
            Some(json!({ "refreshToken": next["refreshToken"] })),
        )
        .await;
    assert_eq!(status, 200);
    for spent in [next["refreshToken"].as_str().unwrap(), successor, &token] {
        assert_eq!(refresh(&app, spent).await.0, 401);
    }
    app.stop().await;
}

#[tokio::test]
async fn a_token_presented_again_after_the_window_ends_the_session() {
    let app = spawn_app_with(&[("REFRESH_REUSE_WINDOW_SECS", "1")]).await;
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let token = session["refreshToken"].as_str().unwrap().to_owned();
    let (status, rotated) = refresh(&app, &token).await;
    assert_eq!(status, 200, "{rotated}");

    tokio::time::sleep(Duration::from_millis(1_500)).await;
    let (status, body) = refresh(&app, &token).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Invalid or expired refresh token"))
    );
    let revoked: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NOT NULL")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(revoked, 2, "the whole family");
    let (status, _) = refresh(&app, rotated["refreshToken"].as_str().unwrap()).await;
    assert_eq!(status, 401, "the successor died with its family");
    app.stop().await;
}
