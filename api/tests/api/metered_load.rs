//! `/api/v1` under load and outages: credits never overspent by concurrent calls, exact after
//! a SIGTERM mid-load, a revoked key refused by another replica, Redis black-holed, Postgres
//! away while usage rows wait.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use neptu_api::app::Application;
use neptu_shared::cache;
use neptu_shared::db::api_keys;
use neptu_shared::testing::{ChaosProxy, Mode, TestDatabase, redis_url};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

use crate::metered::{POTENSI, Setup, app, call, credits, developer, overrides, stop_server, usage_rows};
use crate::{spawn_on, test_settings};

#[tokio::test]
async fn a_thousand_concurrent_calls_on_a_hundred_credits_answer_exactly_a_hundred() {
    let mut app = app(&[]).await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            credits: 100,
            ai_credits: 7,
            ..Setup::default()
        },
    )
    .await;
    let calls = (0..1000).map(|_| async {
        let r = call(&app, POTENSI, Some(&dev.key)).await;
        let status = r.status().as_u16();
        (status, r.json::<Value>().await.unwrap())
    });
    let answers = futures::future::join_all(calls).await;
    let ok = answers.iter().filter(|(s, _)| *s == 200).count();
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s == 402).collect();
    assert_eq!((ok, refused.len()), (100, 900));
    for (_, body) in refused {
        assert_eq!(
            body,
            &json!({ "success": false, "error": "Insufficient credits", "remaining": { "basic": 0, "ai": 7 } })
        );
    }
    stop_server(&mut app).await;
    assert_eq!(credits(&app.db.pool, dev.subscription.unwrap()).await, (0, 7));
    assert_eq!(usage_rows(&app.db.pool, dev.key_id).await, 100);
    app.db.drop_database().await;
}

#[tokio::test]
async fn credits_and_usage_rows_are_exact_after_a_sigterm_under_load() {
    let mut app = app(&[]).await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            credits: 100_000,
            ..Setup::default()
        },
    )
    .await;
    let answered = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::new();
    let url = app.url(POTENSI);
    let load: Vec<_> = (0..16)
        .map(|_| {
            let (client, url, key, answered) = (
                client.clone(),
                url.clone(),
                dev.key.clone(),
                Arc::clone(&answered),
            );
            tokio::spawn(async move {
                // Until the server is gone; anything but a 200 ends this client.
                while let Ok(r) = client.get(&url).bearer_auth(&key).send().await {
                    if r.status() != 200 || r.bytes().await.is_err() {
                        break;
                    }
                    answered.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    let before = answered.load(Ordering::SeqCst);
    assert!(before > 50, "load running: {before}");
    stop_server(&mut app).await;
    for client in load {
        client.await.unwrap();
    }
    let answered = answered.load(Ordering::SeqCst) as i64;
    let pool = &app.db.pool;
    let (left, _) = credits(pool, dev.subscription.unwrap()).await;
    assert_eq!(
        100_000 - left,
        answered,
        "every leased credit not spent came back"
    );
    assert_eq!(
        usage_rows(pool, dev.key_id).await,
        answered,
        "one row per answer, flushed in the drain"
    );
    app.db.drop_database().await;
}

#[tokio::test]
async fn a_revoked_key_is_refused_by_another_replica_within_five_seconds() {
    let first = app(&[]).await;
    let dev = developer(&first.db.pool, 1, Setup::default()).await;
    // A second replica on the same database, with its own cache prefix.
    let settings = test_settings(&first.db.url, &overrides(&[]));
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-replica");
    let cache = cache::from_settings(&settings.cache).unwrap();
    let second = Application::build(settings, pool, cache).await.unwrap();
    let second_url = format!("http://{}{POTENSI}", second.local_addr());
    let stop_second = CancellationToken::new();
    let second = tokio::spawn(second.run_until_stopped(stop_second.clone()));
    let first_url = first.url(POTENSI);
    let ask = |url: String| first.client.get(url).bearer_auth(&dev.key).send();
    assert_eq!(
        ask(second_url.clone()).await.unwrap().status(),
        200,
        "the key is cached there now"
    );
    assert_eq!(ask(first_url.clone()).await.unwrap().status(), 200);

    api_keys::deactivate(&first.db.pool, dev.key_id, Some(dev.user_id))
        .await
        .unwrap();
    let revoked = Instant::now();
    for url in [second_url, first_url] {
        loop {
            let status = ask(url.clone()).await.unwrap().status();
            if status == 401 {
                break;
            }
            assert_eq!(status, 200);
            assert!(
                revoked.elapsed() < Duration::from_secs(5),
                "{url} still accepts it after 5 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    assert!(revoked.elapsed() < Duration::from_secs(5));
    stop_second.cancel();
    second.await.unwrap().unwrap();
    first.stop().await;
}

#[tokio::test]
async fn with_redis_black_holed_calls_are_served_and_credits_still_hold() {
    let redis: url::Url = redis_url().parse().unwrap();
    let proxy = ChaosProxy::start(
        format!("127.0.0.1:{}", redis.port().unwrap_or(6379))
            .parse()
            .unwrap(),
    )
    .await;
    let via_proxy = format!("redis://{}", proxy.addr());
    let mut app = app(&[("REDIS_URL", via_proxy.as_str())]).await;
    let dev = developer(
        &app.db.pool,
        1,
        Setup {
            credits: 20,
            rate_limit: 5,
            ..Setup::default()
        },
    )
    .await;
    proxy.set_mode(Mode::BlackHole);
    let mut statuses = Vec::new();
    for _ in 0..30 {
        let r = call(&app, POTENSI, Some(&dev.key)).await;
        assert!(
            r.headers().get("x-ratelimit-limit").is_none(),
            "not counted, so no headers"
        );
        statuses.push(r.status().as_u16());
    }
    // Over the plan's 5 a minute, yet served: the limit fails open; the credits do not.
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 20);
    assert_eq!(statuses.iter().filter(|s| **s == 402).count(), 10);
    stop_server(&mut app).await;
    assert_eq!(credits(&app.db.pool, dev.subscription.unwrap()).await.0, 0);
    assert_eq!(usage_rows(&app.db.pool, dev.key_id).await, 20);
    app.db.drop_database().await;
}

#[tokio::test]
async fn usage_rows_wait_out_a_postgres_blip_and_are_written_once() {
    let db = TestDatabase::migrated().await;
    let (proxy, via_proxy) = crate::postgres_via_proxy(&db).await;
    let token = "metered-metrics-token";
    let settings = test_settings(
        via_proxy.as_str(),
        &overrides(&[("METRICS_TOKEN", token), ("API_CREDIT_LEASE", "100")]),
    );
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    let mut app = spawn_on(db, settings, pool).await;
    let dev = developer(&app.db.pool, 1, Setup::default()).await;
    // One call looks the key up and leases credits; its row is written.
    assert_eq!(call(&app, POTENSI, Some(&dev.key)).await.status(), 200);
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(usage_rows(&app.db.pool, dev.key_id).await, 1);
    // Postgres goes away: calls are still answered (key cached, credits leased), their rows wait.
    proxy.set_mode(Mode::Down);
    for _ in 0..10 {
        assert_eq!(call(&app, POTENSI, Some(&dev.key)).await.status(), 200);
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        usage_rows(&app.db.pool, dev.key_id).await,
        1,
        "nothing written while it is down"
    );
    proxy.set_mode(Mode::Up);
    let back = Instant::now();
    while usage_rows(&app.db.pool, dev.key_id).await < 11 {
        assert!(
            back.elapsed() < Duration::from_secs(10),
            "rows not written after Postgres came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let failures = metrics
        .lines()
        .find(|l| l.starts_with("api_usage_write_failures_total"))
        .and_then(|l| l.split_whitespace().last()?.parse::<f64>().ok());
    assert!(
        failures.is_some_and(|n| n >= 1.0),
        "retries counted: {failures:?}"
    );
    stop_server(&mut app).await;
    assert_eq!(usage_rows(&app.db.pool, dev.key_id).await, 11, "none twice");
    assert_eq!(credits(&app.db.pool, dev.subscription.unwrap()).await.0, 989);
    app.db.drop_database().await;
}
