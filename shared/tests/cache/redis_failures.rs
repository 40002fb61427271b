//! Redis failing must never fail or slow a caller beyond the bound: reads miss, writes are
//! dropped with `Ok`.

use std::time::{Duration, Instant};

use neptu_shared::cache::CacheStore;
use neptu_shared::testing::{ChaosProxy, Mode, closed_port, redis_url, unique_prefix};

use crate::redis_at;

fn redis_addr() -> std::net::SocketAddr {
    let url = url::Url::parse(&redis_url()).unwrap();
    let host = url.host_str().unwrap_or("127.0.0.1");
    let port = url.port().unwrap_or(6379);
    format!("{host}:{port}").parse().unwrap()
}

#[tokio::test]
async fn a_black_holed_redis_is_a_fast_miss() {
    // Accepts connections and never answers.
    let hole = ChaosProxy::start(redis_addr()).await;
    hole.set_mode(Mode::BlackHole);
    let cache = redis_at(&format!("redis://{}", hole.addr()), &unique_prefix());

    let started = Instant::now();
    assert_eq!(cache.get("k").await, None);
    let took = started.elapsed();
    assert!(took < Duration::from_millis(250), "get took {took:?}");

    let started = Instant::now();
    assert_eq!(cache.put("k", "v", None).await, Ok(()));
    assert!(
        started.elapsed() < Duration::from_millis(250),
        "put took {:?}",
        started.elapsed()
    );

    // After a few failures the breaker skips Redis: no more waiting at all.
    cache.get("k").await;
    let started = Instant::now();
    for _ in 0..100 {
        assert_eq!(cache.get("k").await, None);
    }
    assert!(
        started.elapsed() < Duration::from_millis(50),
        "skipped calls took {:?}",
        started.elapsed()
    );
    assert!(cache.stats().errors >= 3);
    assert!(cache.ping().await.is_err());
    assert!(
        cache.put_if_absent("lock", "1", None).await.is_err(),
        "the caller must learn the lock is unknown"
    );
    assert_eq!(
        cache.increment("counter", Duration::from_secs(60)).await,
        Err(neptu_shared::cache::CacheError::Unavailable),
        "a rate limiter must learn the count is unknown"
    );
}

#[tokio::test]
async fn a_stopped_redis_is_a_fast_miss() {
    let cache = redis_at(&format!("redis://{}", closed_port()), &unique_prefix());
    let started = Instant::now();
    assert_eq!(cache.get("k").await, None);
    assert_eq!(cache.put("k", "v", Some(Duration::from_secs(1))).await, Ok(()));
    assert_eq!(cache.delete("k").await, Ok(()));
    assert_eq!(cache.take("k").await, None);
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[tokio::test]
async fn the_cache_recovers_when_redis_returns() {
    let proxy = ChaosProxy::start(redis_addr()).await;
    let cache = redis_at(&format!("redis://{}", proxy.addr()), &unique_prefix());
    cache
        .put("k", "before", Some(Duration::from_secs(30)))
        .await
        .unwrap();
    assert_eq!(cache.get("k").await.as_deref(), Some("before"));

    proxy.set_mode(Mode::Down);
    for _ in 0..5 {
        assert_eq!(cache.get("k").await, None);
    }
    proxy.set_mode(Mode::Up);
    // The breaker lets a probe through after its cool-down (2 s); then hits resume.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if cache.get("k").await.as_deref() == Some("before") {
            break;
        }
        assert!(Instant::now() < deadline, "the cache did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
