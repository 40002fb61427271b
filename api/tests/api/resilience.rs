//! The resilience suite (README, "Resilience"): Redis stopped and black-holed under reads,
//! Postgres down and back under data requests, SIGTERM under 1,000 requests a second. The
//! outages go through a TCP fault proxy, so the machine's shared Postgres and Redis are never
//! disturbed. (Worker kills and replicas: `worker/tests/worker/process.rs` and
//! `exactly_once.rs`.) `scripts/test.sh` runs these one at a time after the other tests, so
//! the latency comparisons are not measured against a busy machine.

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use neptu_shared::testing::{ChaosProxy, Mode, TestDatabase, redis_url};
use reqwest::StatusCode;
use serde_json::Value;

use crate::binary::Server;
use crate::{TestApp, spawn_app_with, spawn_on, test_settings};

const NO_LIMITS: [(&str, &str); 2] = [
    ("RATE_LIMIT_PUBLIC_PER_MINUTE", "0"),
    ("RATE_LIMIT_SIGNED_IN_PER_MINUTE", "0"),
];

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let rank = ((samples.len() as f64) * p).ceil() as usize;
    samples[rank.clamp(1, samples.len()) - 1]
}

/// One pass over the read endpoints of the web app; every answer must be a 200.
async fn read_round(app: &TestApp, wallet: &str, token: &str, latencies: &mut Vec<Duration>) {
    let public = [
        "/api/pricing".to_owned(),
        "/api/reading/potensi?date=1995-06-15".to_owned(),
        "/api/reading/peluang?date=2026-11-25".to_owned(),
        "/api/reading/today".to_owned(),
    ];
    let signed_in = [
        format!("/api/users/{wallet}"),
        format!("/api/wallet/streak/{wallet}"),
        format!("/api/token/stats/{wallet}"),
        format!("/api/users/{wallet}/readings?limit=10"),
    ];
    for path in public.iter().chain(&signed_in) {
        let started = Instant::now();
        let response = app
            .client
            .get(app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        latencies.push(started.elapsed());
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

async fn read_latencies(app: &TestApp, wallet: &str, token: &str, rounds: usize) -> Vec<Duration> {
    let mut latencies = Vec::new();
    for _ in 0..rounds {
        read_round(app, wallet, token, &mut latencies).await;
    }
    latencies
}

#[tokio::test]
async fn reads_keep_answering_at_normal_speed_while_redis_is_stopped_or_black_holed() {
    let redis: url::Url = redis_url().parse().unwrap();
    let proxy = ChaosProxy::start(
        format!("127.0.0.1:{}", redis.port().unwrap_or(6379))
            .parse()
            .unwrap(),
    )
    .await;
    let via_proxy = format!("redis://{}", proxy.addr());
    let mut overrides = vec![("REDIS_URL", via_proxy.as_str())];
    overrides.extend(NO_LIMITS);
    let app = spawn_app_with(&overrides).await;
    neptu_api::commands::seed(&app.db.pool, None).await.unwrap();
    let (user, token) = app.user(1).await;
    let wallet = user.wallet_address.clone();

    // Warm up (connections, caches), then the normal speed.
    read_latencies(&app, &wallet, &token, 5).await;
    let normal = percentile(&mut read_latencies(&app, &wallet, &token, 30).await, 0.99);

    for mode in [Mode::Down, Mode::BlackHole] {
        proxy.set_mode(mode);
        // The first calls find Redis gone (each bounded by the cache timeout) and open the
        // breaker; from then on the cache is skipped.
        read_latencies(&app, &wallet, &token, 2).await;
        let ready = app.get("/ready").await;
        assert_eq!(ready.status(), StatusCode::OK, "{mode:?}");
        let body: Value = ready.json().await.unwrap();
        assert_eq!(body["status"], "degraded", "{mode:?}");

        let p99 = percentile(&mut read_latencies(&app, &wallet, &token, 30).await, 0.99);
        assert!(
            p99 < normal * 2,
            "{mode:?}: p99 {p99:?} against {normal:?} with Redis up"
        );
        proxy.set_mode(Mode::Up);
    }
    app.stop().await;
}

#[tokio::test]
async fn data_requests_fail_fast_while_postgres_is_down_and_recover_without_a_restart() {
    let db = TestDatabase::migrated().await;
    let (proxy, via_proxy) = crate::postgres_via_proxy(&db).await;
    let settings = test_settings(via_proxy.as_str(), &NO_LIMITS);
    let pool = neptu_shared::db::pool(&settings.database, "neptu-api-test");
    let app = spawn_on(db, settings, pool).await;
    let (user, token) = app.user(1).await;
    let path = format!("/api/users/{}/readings?limit=10", user.wallet_address);
    assert_eq!(app.get_as(&path, &token).await.0, 200);

    for mode in [Mode::Down, Mode::BlackHole] {
        proxy.set_mode(mode);
        for _ in 0..3 {
            let started = Instant::now();
            let (status, body) = app.get_as(&path, &token).await;
            let took = started.elapsed();
            assert_eq!(status, 503, "{mode:?}: {body}");
            assert_eq!(body["success"], false, "{mode:?}: {body}");
            assert!(body["error"].is_string(), "{mode:?}: {body}");
            assert!(took < Duration::from_secs(5), "{mode:?}: waited {took:?}");
        }

        proxy.set_mode(Mode::Up);
        let back = Instant::now();
        while app.get_as(&path, &token).await.0 != 200 {
            assert!(
                back.elapsed() < Duration::from_secs(5),
                "{mode:?}: still failing 5 s after Postgres returned"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    app.stop().await;
}

/// What the load generator saw.
#[derive(Default)]
struct Tally {
    answered: HashSet<String>,
    failed: Vec<String>,
    /// Not sent here: the replica had said it was draining (a load balancer sends them to
    /// another replica).
    rerouted: u32,
}

/// Acts like the platform's load balancer: watches `/ready` and takes the replica out of
/// rotation once it answers anything but 200.
fn watch_readiness(url: String) -> (Arc<AtomicBool>, tokio::task::JoinHandle<()>) {
    let out_of_rotation = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&out_of_rotation);
    let task = tokio::spawn(async move {
        let client = reqwest::Client::new();
        loop {
            let ready = client
                .get(&url)
                .send()
                .await
                .is_ok_and(|r| r.status() == StatusCode::OK);
            if !ready {
                flag.store(true, Ordering::SeqCst);
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    (out_of_rotation, task)
}

#[tokio::test]
async fn sigterm_under_load_answers_every_accepted_request_then_exits_0() {
    let db = TestDatabase::migrated().await;
    neptu_api::commands::seed(&db.pool, None).await.unwrap();
    // A three-second drain: long enough for the balancer to see `/ready` fail before the
    // listener closes, even when a loaded machine delays its polls by a second or more.
    let mut env = NO_LIMITS.to_vec();
    env.push(("SHUTDOWN_DRAIN_MS", "3000"));
    let server = Server::start(&db.url, &env);
    server.wait_ready().await;

    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let (out_of_rotation, watcher) = watch_readiness(server.url("/ready"));
    let tally = Arc::new(Mutex::new(Tally::default()));
    let paths = ["/api/pricing", "/api/reading/potensi?date=1995-06-15", "/"];
    let mut requests = tokio::task::JoinSet::new();
    // 1,000 requests a second for 3 s; SIGTERM half way.
    let mut ticker = tokio::time::interval(Duration::from_millis(1));
    let mut signalled = None;
    for n in 0..3000usize {
        ticker.tick().await;
        if n == 1500 {
            server.terminate();
            signalled = Some(Instant::now());
        }
        if out_of_rotation.load(Ordering::SeqCst) {
            tally.lock().unwrap().rerouted += 1;
            continue;
        }
        let id = format!("load-{n}");
        let request = client
            .get(server.url(paths[n % paths.len()]))
            .header("x-request-id", &id);
        let tally = Arc::clone(&tally);
        requests.spawn(async move {
            let outcome = request.send().await;
            let mut tally = tally.lock().unwrap();
            match outcome {
                Ok(response) if response.status() == StatusCode::OK => {
                    tally.answered.insert(id);
                }
                Ok(response) => tally.failed.push(format!("{id}: {}", response.status())),
                Err(error) => tally.failed.push(format!("{id}: {error:?}")),
            }
        });
    }
    while requests.join_next().await.is_some() {}
    watcher.await.unwrap();
    let signalled = signalled.unwrap();
    let (code, lines) = server.finish(Duration::from_secs(30));
    assert_eq!(code, Some(0));
    assert!(signalled.elapsed() < Duration::from_secs(30));

    // The server's own record of the requests it took in: each got a complete 200.
    let handled: Vec<String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["message"] == "request finished")
        .filter_map(|l| l["span"]["request_id"].as_str().map(str::to_owned))
        .filter(|id| id.starts_with("load-"))
        .collect();
    let tally = std::mem::take(&mut *tally.lock().unwrap());
    let lost: Vec<&String> = handled
        .iter()
        .filter(|id| !tally.answered.contains(*id))
        .collect();
    assert!(lost.is_empty(), "handled but not answered: {lost:?}");
    assert!(
        tally.failed.is_empty(),
        "{} failed: {:?}",
        tally.failed.len(),
        &tally.failed[..tally.failed.len().min(5)]
    );
    assert!(
        tally.answered.len() >= 1500 && tally.rerouted > 0,
        "{} answered, {} rerouted",
        tally.answered.len(),
        tally.rerouted
    );
    db.drop_database().await;
}
