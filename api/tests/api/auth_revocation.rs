//! Revocation reaches access tokens: logout and reuse revocation refuse a session's access
//! tokens on another replica within seconds, a demoted admin loses admin rights at once, and
//! the check needs no database (it still works while Postgres is black-holed).

use std::time::{Duration, Instant};

use neptu_shared::domain::enums::Role;
use neptu_shared::testing::{Mode, TestDatabase};
use reqwest::Method;
use serde_json::{Value, json};

use crate::auth::{new_wallet, sign_in};
use crate::{TestApp, spawn_app_with, spawn_on, spawn_replica, test_settings};

/// The promise: a revoked session's tokens are refused everywhere within this.
const PROMISE: Duration = Duration::from_secs(5);

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    app.call(Method::POST, path, None, Some(body)).await
}

/// Repeats `GET path` with `token` until it answers `status`; how long that took, or `None`
/// when it did not within [`PROMISE`].
async fn until_status(app: &TestApp, path: &str, token: &str, status: u16) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < PROMISE {
        if app.get_as(path, token).await.0 == status {
            return Some(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

#[tokio::test]
async fn logout_refuses_the_access_token_on_another_replica_within_seconds() {
    // A long poll interval: only the notification can be this quick.
    let slow_poll = [("AUTH_REVOCATION_POLL_MS", "5000")];
    let app = spawn_app_with(&slow_poll).await;
    let replica = spawn_replica(&app, &slow_poll).await;
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let access = session["accessToken"].as_str().unwrap();
    let profile = format!("/api/users/{}", wallet.address);
    assert_eq!(
        replica.get_as(&profile, access).await.0,
        200,
        "valid on both replicas"
    );

    let (status, _) = post(
        &app,
        "/api/auth/logout",
        json!({ "refreshToken": session["refreshToken"] }),
    )
    .await;
    assert_eq!(status, 200);
    let took = until_status(&replica, &profile, access, 401)
        .await
        .expect("the logged-out token refused on the other replica");
    assert!(took < Duration::from_secs(2), "notified, not polled: {took:?}");
    let (status, body) = app.get_as(&profile, access).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("Invalid or expired token"))
    );

    // Signing in again starts a new session that works.
    let again = sign_in(&replica, &wallet).await;
    let fresh = again["accessToken"].as_str().unwrap();
    assert_eq!(app.get_as(&profile, fresh).await.0, 200);
    replica.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn reuse_revocation_refuses_every_access_token_of_the_session() {
    let strict = [("REFRESH_REUSE_WINDOW_SECS", "0")];
    let app = spawn_app_with(&strict).await;
    let replica = spawn_replica(&app, &strict).await;
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let first = session["refreshToken"].as_str().unwrap();
    let (status, rotated) = post(&app, "/api/auth/refresh", json!({ "refreshToken": first })).await;
    assert_eq!(status, 200, "{rotated}");
    let profile = format!("/api/users/{}", wallet.address);
    let tokens = [
        session["accessToken"].as_str().unwrap(),
        rotated["accessToken"].as_str().unwrap(),
    ];
    for token in tokens {
        assert_eq!(replica.get_as(&profile, token).await.0, 200);
    }

    // The spent token presented again: someone has a copy, the session ends.
    let (status, _) = post(&replica, "/api/auth/refresh", json!({ "refreshToken": first })).await;
    assert_eq!(status, 401);
    for token in tokens {
        for instance in [&app, &replica] {
            assert!(
                until_status(instance, &profile, token, 401).await.is_some(),
                "an access token of the revoked session still works"
            );
        }
    }
    replica.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn a_demoted_admin_loses_admin_rights_at_once_and_cannot_take_them_back() {
    let app = spawn_app_with(&[]).await;
    let replica = spawn_replica(&app, &[]).await;
    let (_, boss) = app.user_with_role(1, Role::Admin).await;
    // An admin token without a session (as issued before tokens named theirs)...
    let (demoted, token) = app.user_with_role(2, Role::Admin).await;
    // ...and the same user signed in, holding a session.
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let signed_in_id: uuid::Uuid = session["user"]["id"].as_str().unwrap().parse().unwrap();
    neptu_shared::db::users::set_role(&app.db.pool, signed_in_id, Role::Admin)
        .await
        .unwrap();
    let (status, admin_pair) = post(
        &app,
        "/api/auth/refresh",
        json!({ "refreshToken": session["refreshToken"] }),
    )
    .await;
    assert_eq!(status, 200, "{admin_pair}");
    let session_token = admin_pair["accessToken"].as_str().unwrap();
    for t in [&token, session_token] {
        assert_eq!(replica.get_as("/api/admin/users", t).await.0, 200, "an admin");
    }

    for id in [demoted.id, signed_in_id] {
        let (status, body) = app
            .call(
                Method::PUT,
                &format!("/api/admin/users/{id}"),
                Some(&boss),
                Some(json!({ "role": "user" })),
            )
            .await;
        assert_eq!((status, body["user"]["role"].as_str()), (200, Some("user")));
    }

    // The token still says admin; the replica knows better within moments.
    let took = until_status(&replica, "/api/admin/users", &token, 403)
        .await
        .expect("the demoted admin's token still opens admin routes");
    assert!(took < PROMISE);
    let (status, body) = replica
        .call(
            Method::PUT,
            &format!("/api/admin/users/{}", demoted.id),
            Some(&token),
            Some(json!({ "role": "admin" })),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("Admin access required"))
    );
    let role: String = sqlx::query_scalar("SELECT role FROM users WHERE id = $1")
        .bind(demoted.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(role, "user", "the admin role was not written back");
    // Still a user: their own routes work.
    let own = format!("/api/users/{}", demoted.wallet_address);
    assert_eq!(replica.get_as(&own, &token).await.0, 200);

    // Demotion ended the signed-in user's sessions: the session's token and refresh token.
    assert!(
        until_status(&replica, "/api/admin/users", session_token, 401)
            .await
            .is_some()
    );
    let (status, _) = post(
        &replica,
        "/api/auth/refresh",
        json!({ "refreshToken": admin_pair["refreshToken"] }),
    )
    .await;
    assert_eq!(status, 401);
    replica.stop_server().await;
    app.stop().await;
}

#[tokio::test]
async fn a_missed_notification_is_caught_by_the_poll() {
    let app = spawn_app_with(&[("AUTH_REVOCATION_POLL_MS", "500")]).await;
    let wallet = new_wallet();
    let session = sign_in(&app, &wallet).await;
    let access = session["accessToken"].as_str().unwrap();
    let profile = format!("/api/users/{}", wallet.address);
    assert_eq!(app.get_as(&profile, access).await.0, 200);
    // A row written without NOTIFY, as if the notification had been lost.
    sqlx::query(
        "INSERT INTO auth_revocations (user_id, family_id)
         SELECT user_id, family_id FROM refresh_tokens LIMIT 1",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    let took = until_status(&app, &profile, access, 401)
        .await
        .expect("the poll found the revocation");
    assert!(took < Duration::from_millis(1_500), "{took:?}");
    app.stop().await;
}

#[tokio::test]
async fn tokens_are_checked_in_memory_while_postgres_is_black_holed() {
    let db = TestDatabase::migrated().await;
    let (proxy, via_proxy) = crate::postgres_via_proxy(&db).await;
    let settings = test_settings(via_proxy.as_str(), &[("AUTH_REVOCATION_POLL_MS", "200")]);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    let app = spawn_on(db, settings, pool).await;
    let (alice, bob) = (new_wallet(), new_wallet());
    let kept = sign_in(&app, &alice).await;
    let ended = sign_in(&app, &bob).await;
    let (status, _) = post(
        &app,
        "/api/auth/logout",
        json!({ "refreshToken": ended["refreshToken"] }),
    )
    .await;
    assert_eq!(status, 200);
    // The balance route checks the token, then needs only Solana (not configured here: 503).
    let balance = |w: &str| format!("/api/wallet/balance/{w}");
    let ended_token = ended["accessToken"].as_str().unwrap();
    assert!(
        until_status(&app, &balance(&bob.address), ended_token, 401)
            .await
            .is_some()
    );

    proxy.set_mode(Mode::BlackHole);
    // Let the sync notice: its reads now time out, and what it knew stays.
    tokio::time::sleep(Duration::from_millis(1_000)).await;
    let kept_token = kept["accessToken"].as_str().unwrap();
    for _ in 0..5 {
        let started = Instant::now();
        let (status, body) = app.get_as(&balance(&alice.address), kept_token).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (503, Some("Solana RPC not configured")),
            "the valid token accepted"
        );
        assert!(started.elapsed() < Duration::from_millis(500), "no database wait");
        let (status, _) = app.get_as(&balance(&bob.address), ended_token).await;
        assert_eq!(status, 401, "the revoked session stays refused");
    }
    proxy.set_mode(Mode::Up);
    app.stop().await;
}
