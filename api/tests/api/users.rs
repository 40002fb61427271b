use neptu_shared::db::{user_rewards, users};
use neptu_shared::domain::enums::{RewardStatus, Role};
use reqwest::Method;
use serde_json::json;

use crate::{spawn_app, spawn_app_with, wallet_address};

#[tokio::test]
async fn profiles_are_private_to_their_wallet() {
    let app = spawn_app().await;
    let (alice, alice_token) = app.user(1).await;
    let (bob, bob_token) = app.user(2).await;
    let (_, admin_token) = app.user_with_role(3, Role::Admin).await;
    let path = format!("/api/users/{}", alice.wallet_address);

    let (status, body) = app.get_as(&path, &alice_token).await;
    assert_eq!(status, 200);
    let user = &body["user"];
    for key in [
        "id",
        "walletAddress",
        "email",
        "displayName",
        "birthDate",
        "interests",
        "onboarded",
        "isAdmin",
        "role",
        "createdAt",
        "updatedAt",
    ] {
        assert!(user.get(key).is_some(), "UserDTO.{key} missing: {user}");
    }
    assert_eq!(user["interests"], json!([]));
    assert_eq!(user["isAdmin"], false);

    let (status, body) = app.get_as(&path, &bob_token).await;
    assert_eq!(status, 403, "{body}");
    for (method, sub) in [
        (Method::PUT, ""),
        (Method::GET, "/readings"),
        (Method::GET, "/reading"),
        (Method::GET, "/referral"),
    ] {
        let (status, _) = app
            .call(
                method.clone(),
                &format!("{path}{sub}"),
                Some(&bob_token),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 403, "{method} {sub}");
    }
    assert_eq!(
        app.get_as(&path, &admin_token).await.0,
        200,
        "admins may read any profile"
    );
    assert_eq!(
        app.get_as(&format!("/api/users/{}", wallet_address(99)), &admin_token)
            .await
            .0,
        404
    );
    let _ = bob;
    app.stop().await;
}

#[tokio::test]
async fn reading_a_profile_never_writes() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    // Even when the admin wallet setting no longer names a DB admin, GET does not demote.
    users::set_role(&app.db.pool, alice.id, Role::Admin)
        .await
        .unwrap();
    let before = users::find_by_id(&app.db.pool, alice.id).await.unwrap().unwrap();
    for _ in 0..3 {
        assert_eq!(
            app.get_as(&format!("/api/users/{}", alice.wallet_address), &token)
                .await
                .0,
            200
        );
    }
    let after = users::find_by_id(&app.db.pool, alice.id).await.unwrap().unwrap();
    assert_eq!(before, after);
    app.stop().await;
}

#[tokio::test]
async fn concurrent_creates_give_one_user() {
    let app = spawn_app().await;
    let address = wallet_address(5);
    let token = app.auth.keys.issue_access(
        uuid::Uuid::new_v4(),
        &address,
        Role::User,
        chrono::Utc::now().timestamp(),
    );
    let calls = (0..20).map(|_| {
        app.post_as(
            "/api/users",
            &token,
            json!({ "walletAddress": address, "email": "a@b.co" }),
        )
    });
    let results = futures::future::join_all(calls).await;
    let ids: std::collections::HashSet<_> = results
        .iter()
        .map(|(s, b)| {
            assert_eq!(*s, 200, "{b}");
            b["user"]["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    let (status, _) = app
        .post_as(
            "/api/users",
            &token,
            json!({ "walletAddress": wallet_address(6) }),
        )
        .await;
    assert_eq!(status, 403, "a token creates only its own wallet");
    let (status, _) = app
        .post_as("/api/users", &token, json!({ "walletAddress": "short" }))
        .await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn the_admin_wallet_is_promoted_on_create() {
    let address = wallet_address(8);
    let app = spawn_app_with(&[("ADMIN_WALLET_ADDRESS", &address)]).await;
    let token = app.auth.keys.issue_access(
        uuid::Uuid::new_v4(),
        &address,
        Role::User,
        chrono::Utc::now().timestamp(),
    );
    let (_, body) = app
        .post_as("/api/users", &token, json!({ "walletAddress": address }))
        .await;
    assert_eq!(
        (body["user"]["role"].as_str(), body["user"]["isAdmin"].as_bool()),
        (Some("admin"), Some(true))
    );
    app.stop().await;
}

#[tokio::test]
async fn onboarding_and_updates() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let base = format!("/api/users/{}", alice.wallet_address);

    let bad = json!({ "birthDate": "1990-02-30", "interests": ["love", "gold"] });
    let (status, body) = app.post_as(&format!("{base}/onboard"), &token, bad).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = app
        .post_as(
            &format!("{base}/onboard"),
            &token,
            json!({ "birthDate": "1990-05-15", "interests": ["love", "gold"] }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["issues"][0]["path"].clone()),
        (400, json!(["interests", 1]))
    );

    let good = json!({ "birthDate": "1990-05-15", "displayName": "Made", "interests": ["love", "crypto"] });
    let (status, body) = app
        .post_as(&format!("{base}/onboard"), &token, good.clone())
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["birthDate"], "1990-05-15");
    assert_eq!(body["user"]["onboarded"], true);
    assert_eq!(body["user"]["interests"], json!(["love", "crypto"]));
    assert!(body.get("alreadyOnboarded").is_none());
    let (_, body) = app
        .post_as(
            &format!("{base}/onboard"),
            &token,
            json!({ "birthDate": "2000-01-01" }),
        )
        .await;
    assert_eq!(
        (
            body["alreadyOnboarded"].as_bool(),
            body["user"]["birthDate"].as_str()
        ),
        (Some(true), Some("1990-05-15"))
    );

    let (status, body) = app
        .call(
            Method::PUT,
            &base,
            Some(&token),
            Some(json!({ "email": "not-an-email" })),
        )
        .await;
    assert_eq!(
        (status, body["error"]["issues"][0]["path"][0].as_str()),
        (400, Some("email"))
    );
    let (status, body) = app
        .call(
            Method::PUT,
            &base,
            Some(&token),
            Some(json!({ "displayName": "" })),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = app
        .call(
            Method::PUT,
            &base,
            Some(&token),
            Some(json!({ "email": "made@example.com" })),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            body["user"]["email"].as_str(),
            body["user"]["displayName"].as_str()
        ),
        (Some("made@example.com"), Some("Made"))
    );

    let (bob, bob_token) = app.user(2).await;
    let (_, body) = app
        .call(
            Method::PUT,
            &format!("/api/users/{}", bob.wallet_address),
            Some(&bob_token),
            Some(json!({ "birthDate": "1991-01-01" })),
        )
        .await;
    assert_eq!(
        body["user"]["onboarded"], true,
        "a birth date completes the profile"
    );
    app.stop().await;
}

#[tokio::test]
async fn the_personal_reading_is_stored_once_a_day() {
    let app = spawn_app().await;
    let (alice, token) = app.user(1).await;
    let base = format!("/api/users/{}", alice.wallet_address);
    let (status, body) = app.get_as(&format!("{base}/reading"), &token).await;
    assert_eq!(
        (
            status,
            body["requiresBirthDate"].as_bool(),
            body["error"].as_str()
        ),
        (400, Some(true), Some("Birth date not set"))
    );

    app.call(
        Method::PUT,
        &base,
        Some(&token),
        Some(json!({ "birthDate": "1990-05-15" })),
    )
    .await;
    // Dates near today are stored (far ones are not: `abuse.rs`).
    let day = |n| (chrono::Utc::now().date_naive() + chrono::Duration::days(n)).to_string();
    let (first, second) = (day(1), day(2));
    for _ in 0..3 {
        let (status, body) = app
            .get_as(&format!("{base}/reading?targetDate={first}"), &token)
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["user"],
            json!({ "walletAddress": alice.wallet_address, "birthDate": "1990-05-15" })
        );
        assert_eq!(body["reading"]["date"], first.as_str());
        for key in ["potensi", "peluang", "full"] {
            assert!(body["reading"][key].is_object(), "{key}");
        }
    }
    app.get_as(&format!("{base}/reading?targetDate={second}"), &token)
        .await;
    let (status, body) = app
        .get_as(&format!("{base}/reading?targetDate=2026-13-01"), &token)
        .await;
    assert_eq!(status, 400, "{body}");

    let (_, body) = app.get_as(&format!("{base}/readings"), &token).await;
    let readings = body["readings"].as_array().unwrap();
    assert_eq!(readings.len(), 2, "one per target day");
    assert_eq!(readings[0]["type"], "potensi");
    assert!(readings[0]["readingData"]["potensi"].is_object());
    for limit in ["0", "101", "500", "-1", "ten"] {
        let (status, _) = app
            .get_as(&format!("{base}/readings?limit={limit}"), &token)
            .await;
        assert_eq!(status, 400, "limit={limit}");
    }
    let (_, body) = app.get_as(&format!("{base}/readings?limit=1"), &token).await;
    assert_eq!(body["readings"].as_array().unwrap().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn referrals_reward_both_sides_once() {
    let app = spawn_app().await;
    let (referrer, referrer_token) = app.user(1).await;
    let (referee, referee_token) = app.user(2).await;
    let (_, body) = app
        .get_as(
            &format!("/api/users/{}/referral", referrer.wallet_address),
            &referrer_token,
        )
        .await;
    let code = body["referral"]["code"].as_str().unwrap().to_owned();
    assert!(code.starts_with("NEPTU-") && code.len() == 18, "{code}");

    let apply = |token: String, wallet: String, code: String| {
        let app = &app;
        async move {
            app.post_as(
                &format!("/api/users/{wallet}/referral"),
                &token,
                json!({ "code": code }),
            )
            .await
        }
    };
    let (status, body) = apply(
        referrer_token.clone(),
        referrer.wallet_address.clone(),
        code.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Cannot refer yourself"))
    );
    let (status, body) = apply(
        referee_token.clone(),
        referee.wallet_address.clone(),
        "NEPTU-000000000000".into(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("Unknown referral code"))
    );
    let (status, body) = apply(
        referee_token.clone(),
        referee.wallet_address.clone(),
        code.to_lowercase(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = apply(
        referee_token.clone(),
        referee.wallet_address.clone(),
        code.clone(),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("User has already been referred"))
    );

    let pending = |id| user_rewards::list_for_user(&app.db.pool, id, Some(RewardStatus::Pending), 50);
    // Nothing until the referee has checked in on three distinct days (see `abuse.rs`).
    assert!(pending(referrer.id).await.unwrap().is_empty());
    sqlx::query(
        "INSERT INTO user_streaks (user_id, current_streak, longest_streak, last_check_in, total_check_ins)
         VALUES ($1, 2, 2, now() - interval '1 day', 2)",
    )
    .bind(referee.id)
    .execute(&app.db.pool)
    .await
    .unwrap();
    let check_in = format!("/api/wallet/check-in/{}", referee.wallet_address);
    assert_eq!(app.post_as(&check_in, &referee_token, json!({})).await.0, 200);
    let referrer_rewards = pending(referrer.id).await.unwrap();
    let referee_rewards: Vec<_> = pending(referee.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.neptu_amount.to_string() != "0.1")
        .collect();
    assert_eq!(
        referrer_rewards
            .iter()
            .map(|r| r.neptu_amount.to_string())
            .collect::<Vec<_>>(),
        ["10"]
    );
    assert_eq!(
        referee_rewards
            .iter()
            .map(|r| r.neptu_amount.to_string())
            .collect::<Vec<_>>(),
        ["2"]
    );

    let (_, body) = app
        .get_as(
            &format!("/api/users/{}/referral", referrer.wallet_address),
            &referrer_token,
        )
        .await;
    assert_eq!(
        (
            body["referral"]["totalReferrals"].as_i64(),
            body["referral"]["totalEarned"].as_f64()
        ),
        (Some(1), Some(10.0))
    );

    // After onboarding a code can no longer be applied; at onboarding it can.
    let (late, late_token) = app.user(3).await;
    app.post_as(
        &format!("/api/users/{}/onboard", late.wallet_address),
        &late_token,
        json!({ "birthDate": "1990-01-01" }),
    )
    .await;
    let (status, _) = apply(late_token, late.wallet_address.clone(), code.clone()).await;
    assert_eq!(status, 400);
    let (fresh, fresh_token) = app.user(4).await;
    let (status, body) = app
        .post_as(
            &format!("/api/users/{}/onboard", fresh.wallet_address),
            &fresh_token,
            json!({ "birthDate": "1990-01-01", "referralCode": code }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = app
        .get_as(
            &format!("/api/users/{}/referral", referrer.wallet_address),
            &referrer_token,
        )
        .await;
    assert_eq!(body["referral"]["totalReferrals"].as_i64(), Some(2));
    assert_eq!(
        pending(referrer.id).await.unwrap().len(),
        1,
        "the new referee has not qualified"
    );
    app.stop().await;
}

#[tokio::test]
async fn connecting_a_wallet_without_a_token_creates_the_user_and_shows_only_the_public_profile() {
    let app = spawn_app().await;
    let address = wallet_address(11);
    let anonymous = |body: serde_json::Value| app.call(Method::POST, "/api/users", None, Some(body));

    let (status, body) = anonymous(json!({ "walletAddress": address, "email": "x@y.co" })).await;
    assert_eq!(status, 200, "{body}");
    let mut keys: Vec<&str> = body["user"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["createdAt", "displayName", "id", "onboarded", "walletAddress"],
        "nothing private: {body}"
    );
    assert_eq!(body["user"]["walletAddress"], address.as_str());
    let stored = users::find_by_wallet(&app.db.pool, &address)
        .await
        .unwrap()
        .expect("created");
    assert_eq!(body["user"]["id"], stored.id.to_string());
    assert_eq!(stored.email, None, "an anonymous call changes nothing");

    // Again: the same user, still public; the profile's private fields stay hidden.
    users::update_profile(
        &app.db.pool,
        &address,
        &users::ProfileUpdate {
            email: Some("mine@wallet.co".into()),
            birth_date: "1990-05-15".parse().ok(),
            onboarded: Some(true),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (_, again) = anonymous(json!({ "walletAddress": address })).await;
    assert_eq!(again["user"]["id"], body["user"]["id"]);
    assert_eq!(again["user"]["onboarded"], true);
    assert!(again["user"].get("email").is_none() && again["user"].get("birthDate").is_none());

    // With the wallet's token: the whole profile, as before.
    let token = app
        .auth
        .keys
        .issue_access(stored.id, &address, Role::User, chrono::Utc::now().timestamp());
    let (status, own) = app
        .post_as("/api/users", &token, json!({ "walletAddress": address }))
        .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(
        (own["user"]["email"].as_str(), own["user"]["birthDate"].as_str()),
        (Some("mine@wallet.co"), Some("1990-05-15"))
    );
    // A token that is sent must be valid; bad input is still a 400.
    let (status, _) = app
        .post_as("/api/users", "garbage", json!({ "walletAddress": address }))
        .await;
    assert_eq!(status, 401);
    let (status, _) = anonymous(json!({ "walletAddress": "short" })).await;
    assert_eq!(status, 400);
    app.stop().await;
}
