//! `rediss://` against a private TLS-only `redis-server` whose certificate comes from a CA the
//! test makes up. The cache is built from configuration, as the services build it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use neptu_shared::cache::{self, CacheStore};
use neptu_shared::config::{Service, Settings};
use neptu_shared::testing::{PrivateRedis, TempDir, TestCa, system_bundle_with, unique_prefix};

/// The cache for `REDIS_URL=url` and, when given, `REDIS_CA_FILE=ca`. A generous timeout: a
/// refusal must be the certificate check failing, never a slow machine.
fn cache_for(url: &str, ca: Option<&Path>) -> Arc<dyn CacheStore> {
    let mut env = HashMap::from([
        (
            "DATABASE_URL".to_owned(),
            "postgres://unused@127.0.0.1/unused".to_owned(),
        ),
        ("REDIS_URL".to_owned(), url.to_owned()),
        ("CACHE_PREFIX".to_owned(), unique_prefix()),
        ("CACHE_TIMEOUT_MS".to_owned(), "3000".to_owned()),
        ("ENVIRONMENT".to_owned(), "development".to_owned()),
    ]);
    if let Some(ca) = ca {
        env.insert("REDIS_CA_FILE".to_owned(), ca.display().to_string());
    }
    let settings = Settings::from_env(Service::Api, &env).expect("configuration");
    cache::from_settings(&settings.cache).expect("cache")
}

#[tokio::test]
async fn rediss_trusts_the_ca_file_and_refuses_other_roots() {
    let ca = TestCa::new("neptu test CA");
    let server = PrivateRedis::start_tls(&ca, &["127.0.0.1"]).await;
    let files = TempDir::new("redis-ca");
    let right = files.write("ca.pem", ca.pem());
    let other = files.write("other.pem", TestCa::new("some other CA").pem());
    let url = server.url("127.0.0.1");

    let cache = cache_for(&url, Some(&right));
    cache.ping().await.expect("TLS with the server's CA");
    cache
        .put("greeting", "hello", Some(Duration::from_secs(60)))
        .await
        .unwrap();
    assert_eq!(cache.get("greeting").await.as_deref(), Some("hello"));
    // Rate limits count through the same connections.
    assert_eq!(cache.increment("hits", Duration::from_secs(60)).await, Ok(1));
    assert_eq!(cache.increment("hits", Duration::from_secs(60)).await, Ok(2));
    // A large bundle holding the CA among many others (the system's) works as well.
    let bundle = files.write("bundle.pem", &system_bundle_with(&ca));
    cache_for(&url, Some(&bundle))
        .ping()
        .await
        .expect("TLS with a bundle");

    let error = cache_for(&url, Some(&other)).ping().await.unwrap_err();
    assert!(
        error.contains("UnknownIssuer"),
        "another CA must be refused: {error}"
    );
    let error = cache_for(&url, None).ping().await.unwrap_err();
    assert!(
        error.contains("UnknownIssuer"),
        "the built-in roots do not know a private CA: {error}"
    );

    // The server speaks TLS only: the plain protocol gets nowhere.
    let plain = cache_for(&format!("redis://127.0.0.1:{}", server.port()), None);
    assert!(plain.ping().await.is_err());
}

#[tokio::test]
async fn rediss_refuses_a_certificate_for_another_host() {
    let ca = TestCa::new("neptu test CA");
    let server = PrivateRedis::start_tls(&ca, &["cache.other.example"]).await;
    let files = TempDir::new("redis-ca");
    let right = files.write("ca.pem", ca.pem());

    let error = cache_for(&server.url("127.0.0.1"), Some(&right))
        .ping()
        .await
        .unwrap_err();
    assert!(
        error.to_ascii_lowercase().contains("not valid for name") || error.contains("NotValidForName"),
        "a certificate for another host must be refused: {error}"
    );
}
