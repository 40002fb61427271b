use std::sync::Arc;
use std::time::Duration;

use neptu_shared::cache::{CacheError, CacheStore, MAX_KEY_LEN, MemoryCache};
use neptu_shared::testing::{redis_url, unique_prefix};

use crate::{redis_at, stores};

#[tokio::test]
async fn put_get_overwrite_delete() {
    for (name, cache) in stores() {
        assert_eq!(cache.get("k").await, None, "{name}");
        cache.put("k", "v1", None).await.unwrap();
        assert_eq!(cache.get("k").await.as_deref(), Some("v1"), "{name}");
        cache.put("k", "v2 ünïcødé \"quoted\"\n", None).await.unwrap();
        assert_eq!(
            cache.get("k").await.as_deref(),
            Some("v2 ünïcødé \"quoted\"\n"),
            "{name}"
        );
        cache.delete("k").await.unwrap();
        assert_eq!(cache.get("k").await, None, "{name}");
        cache.delete("never-set").await.unwrap();
    }
}

#[tokio::test]
async fn ttl_expires_and_no_ttl_persists() {
    for (name, cache) in stores() {
        cache
            .put("short", "x", Some(Duration::from_millis(150)))
            .await
            .unwrap();
        cache.put("forever", "y", None).await.unwrap();
        cache.put("zero", "z", Some(Duration::ZERO)).await.unwrap();
        assert_eq!(cache.get("short").await.as_deref(), Some("x"), "{name}");
        assert_eq!(cache.get("zero").await, None, "{name}: a zero TTL stores nothing");
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(cache.get("short").await, None, "{name}: expired");
        assert_eq!(cache.get("forever").await.as_deref(), Some("y"), "{name}");
        // Re-putting with a TTL replaces "forever" with an expiring value and vice versa.
        cache.put("short", "again", None).await.unwrap();
        assert_eq!(cache.get("short").await.as_deref(), Some("again"), "{name}");
        cache.delete("short").await.unwrap();
        cache.delete("forever").await.unwrap();
    }
}

#[tokio::test]
async fn values_without_ttl_have_no_expiry_in_redis() {
    let prefix = unique_prefix();
    let cache = redis_at(&redis_url(), &prefix);
    cache.put("persist", "1", None).await.unwrap();
    cache
        .put("expiring", "1", Some(Duration::from_secs(60)))
        .await
        .unwrap();
    let client = deadpool_redis::redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let ttl = |key: String| {
        let mut conn = conn.clone();
        async move {
            deadpool_redis::redis::cmd("PTTL")
                .arg(key)
                .query_async::<i64>(&mut conn)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        ttl(format!("{prefix}persist")).await,
        -1,
        "no TTL means no expiry"
    );
    let remaining = ttl(format!("{prefix}expiring")).await;
    assert!((59_000..=60_000).contains(&remaining), "{remaining}");
    let _: () = deadpool_redis::redis::cmd("DEL")
        .arg(format!("{prefix}persist"))
        .arg(format!("{prefix}expiring"))
        .query_async(&mut conn)
        .await
        .unwrap();
}

#[tokio::test]
async fn prefixes_isolate_namespaces() {
    let shared = unique_prefix();
    let a = redis_at(&redis_url(), &shared);
    let b = redis_at(&redis_url(), &unique_prefix());
    a.put("same", "a", Some(Duration::from_secs(30))).await.unwrap();
    assert_eq!(b.get("same").await, None);
    let a_again = redis_at(&redis_url(), &shared);
    assert_eq!(a_again.get("same").await.as_deref(), Some("a"));
    let m1 = MemoryCache::new("one:", 10);
    let m2 = MemoryCache::new("two:", 10);
    m1.put("k", "1", None).await.unwrap();
    assert_eq!(m2.get("k").await, None);
}

#[tokio::test]
async fn take_consumes_once_even_under_concurrency() {
    for (name, cache) in stores() {
        cache
            .put("nonce", "n-1", Some(Duration::from_secs(30)))
            .await
            .unwrap();
        let takers = (0..20).map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.take("nonce").await })
        });
        let got: Vec<_> = futures::future::join_all(takers)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(got.iter().flatten().count(), 1, "{name}");
        assert_eq!(
            got.iter().flatten().next().map(String::as_str),
            Some("n-1"),
            "{name}"
        );
        assert_eq!(cache.get("nonce").await, None, "{name}");
    }
}

#[tokio::test]
async fn put_if_absent_is_atomic_and_respects_ttl() {
    for (name, cache) in stores() {
        let racers = (0..20).map(|i| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move {
                cache
                    .put_if_absent("lock", &i.to_string(), Some(Duration::from_millis(200)))
                    .await
            })
        });
        let won = futures::future::join_all(racers)
            .await
            .into_iter()
            .filter(|r| *r.as_ref().unwrap() == Ok(true))
            .count();
        assert_eq!(won, 1, "{name}");
        assert_eq!(
            cache.put_if_absent("lock", "late", None).await,
            Ok(false),
            "{name}"
        );
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(
            cache.put_if_absent("lock", "after", None).await,
            Ok(true),
            "{name}: expired keys are absent"
        );
        assert_eq!(cache.get("lock").await.as_deref(), Some("after"), "{name}");
        cache.delete("lock").await.unwrap();
    }
}

#[tokio::test]
async fn invalid_keys_are_rejected() {
    for (name, cache) in stores() {
        assert_eq!(
            cache.put("", "v", None).await,
            Err(CacheError::InvalidKey),
            "{name}"
        );
        let long = "k".repeat(MAX_KEY_LEN + 1);
        assert_eq!(
            cache.put(&long, "v", None).await,
            Err(CacheError::InvalidKey),
            "{name}"
        );
        assert_eq!(cache.get(&long).await, None, "{name}");
    }
}

#[tokio::test]
async fn stats_count_hits_and_misses() {
    for (name, cache) in stores() {
        cache.put("s", "1", Some(Duration::from_secs(30))).await.unwrap();
        cache.get("s").await;
        cache.get("s").await;
        cache.get("missing").await;
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.errors), (2, 1, 0), "{name}");
        assert!(cache.ping().await.is_ok(), "{name}");
    }
}

#[tokio::test]
async fn increment_counts_atomically_in_a_fixed_window() {
    for (name, cache) in stores() {
        let window = Duration::from_millis(600);
        let adders = (0..50).map(|_| {
            let cache = Arc::clone(&cache);
            tokio::spawn(async move { cache.increment("hits", window).await })
        });
        let mut counts: Vec<u64> = futures::future::join_all(adders)
            .await
            .into_iter()
            .map(|r| r.unwrap().unwrap())
            .collect();
        counts.sort_unstable();
        assert_eq!(
            counts,
            (1..=50).collect::<Vec<_>>(),
            "{name}: each caller sees its own count"
        );
        assert_eq!(cache.get("hits").await.as_deref(), Some("50"), "{name}");

        // Later increments do not extend the window: the counter ends when the first said.
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(cache.increment("hits", window).await, Ok(51), "{name}");
        tokio::time::sleep(Duration::from_millis(450)).await;
        assert_eq!(cache.get("hits").await, None, "{name}: the window ended");
        assert_eq!(
            cache.increment("hits", window).await,
            Ok(1),
            "{name}: a new window"
        );
        cache.delete("hits").await.unwrap();
        assert_eq!(
            cache.increment("", window).await,
            Err(CacheError::InvalidKey),
            "{name}"
        );
    }
}

#[tokio::test]
async fn increment_by_reserves_several_at_once_in_the_same_window() {
    for (name, cache) in stores() {
        let window = Duration::from_millis(500);
        assert_eq!(cache.increment_by("slices", 20, window).await, Ok(20), "{name}");
        assert_eq!(cache.increment("slices", window).await, Ok(21), "{name}");
        assert_eq!(cache.increment_by("slices", 20, window).await, Ok(41), "{name}");
        // The window is the first reservation's, whatever came after.
        tokio::time::sleep(Duration::from_millis(650)).await;
        assert_eq!(cache.get("slices").await, None, "{name}: the window ended");
        assert_eq!(cache.increment_by("slices", 7, window).await, Ok(7), "{name}");
        cache.delete("slices").await.unwrap();
    }
}
