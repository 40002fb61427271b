//! Settings and metrics helpers both services' test harnesses use.

use std::collections::HashMap;

use crate::config::{Service, Settings};

/// Test settings for `service`: `database_url`, this process's Redis under a fresh cache
/// prefix, port 0, no shutdown drain, development mode. Then the harness's own `defaults`,
/// then the test's `overrides`; an empty value unsets a variable.
pub fn settings(
    service: Service,
    database_url: &str,
    defaults: impl IntoIterator<Item = (String, String)>,
    overrides: &[(&str, &str)],
) -> Settings {
    let mut env: HashMap<String, String> = HashMap::from([
        ("DATABASE_URL".into(), database_url.into()),
        ("REDIS_URL".into(), super::redis_url()),
        ("CACHE_PREFIX".into(), super::unique_prefix()),
        ("HOST".into(), "127.0.0.1".into()),
        ("PORT".into(), "0".into()),
        ("SHUTDOWN_DRAIN_MS".into(), "0".into()),
        ("ENVIRONMENT".into(), "development".into()),
    ]);
    env.extend(defaults);
    for (key, value) in overrides {
        env.insert((*key).into(), (*value).into());
    }
    env.retain(|_, v| !v.is_empty());
    Settings::from_env(service, &env).expect("valid test settings")
}

/// The value of the first sample on a Prometheus `page` whose line has every one of `parts`.
pub fn metric(page: &str, parts: &[&str]) -> Option<f64> {
    page.lines()
        .filter(|l| !l.starts_with('#'))
        .find(|l| parts.iter().all(|p| l.contains(p)))
        .and_then(|l| l.rsplit(' ').next()?.parse().ok())
}
