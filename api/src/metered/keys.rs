//! Who is calling: the presented key checked against its row, found by prefix through an
//! in-process cache.
//!
//! Every prefix — known or not — is looked up at most once per [`REFRESH_AFTER`] per replica,
//! so a flood of calls, valid or with made-up keys, costs no database read per request, and a
//! key revoked, deactivated or left without a subscription is refused by every replica within
//! [`KEY_TTL`] plus one load. An entry older than `REFRESH_AFTER` is still served while one
//! background load replaces it, so a busy key's callers never wait for Postgres; only an
//! entry past `KEY_TTL` (or a new prefix) makes its callers wait, for one load in flight.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, header};
use chrono::Utc;
use neptu_shared::db::api_keys::{self, KeyGrant};
use neptu_shared::domain::api_keys::{KeyHasher, PresentedKey, matches_legacy};
use sqlx::PgPool;
use tokio::sync::OnceCell;

use super::MeterError;

/// How long a looked-up key (or its absence) is trusted.
pub const KEY_TTL: Duration = Duration::from_secs(2);
/// From this age on, a call served from the entry also starts its reload in the background.
pub const REFRESH_AFTER: Duration = Duration::from_secs(1);
/// Entries kept before stale ones are dropped on insert (then all, if still too many).
const MAX_ENTRIES: usize = 100_000;

type Lookup = Arc<OnceCell<Option<Arc<KeyGrant>>>>;

struct Slot {
    born: Instant,
    lookup: Lookup,
    /// A background reload of this entry is running.
    reloading: Arc<AtomicBool>,
}

impl Slot {
    fn new(lookup: Lookup) -> Self {
        Self {
            born: Instant::now(),
            lookup,
            reloading: Arc::default(),
        }
    }
}

type Slots = Arc<RwLock<HashMap<String, Slot>>>;

#[derive(Default)]
pub struct KeyCache {
    slots: Slots,
}

impl KeyCache {
    fn fresh(slot: &Slot) -> bool {
        slot.born.elapsed() < KEY_TTL
    }

    /// The current lookup of `prefix`, creating a new one when there is none or it is stale;
    /// with whether it is old enough to be reloaded in the background.
    fn slot(&self, prefix: &str) -> (Lookup, Option<Arc<AtomicBool>>) {
        let aging = |slot: &Slot| {
            (slot.born.elapsed() >= REFRESH_AFTER && slot.lookup.initialized())
                .then(|| Arc::clone(&slot.reloading))
        };
        if let Ok(slots) = self.slots.read()
            && let Some(slot) = slots.get(prefix).filter(|s| Self::fresh(s))
        {
            return (Arc::clone(&slot.lookup), aging(slot));
        }
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        if let Some(slot) = slots.get(prefix).filter(|s| Self::fresh(s)) {
            return (Arc::clone(&slot.lookup), aging(slot));
        }
        if slots.len() >= MAX_ENTRIES {
            slots.retain(|_, s| Self::fresh(s));
            if slots.len() >= MAX_ENTRIES {
                slots.clear();
            }
        }
        let lookup = Lookup::default();
        slots.insert(prefix.to_owned(), Slot::new(Arc::clone(&lookup)));
        (lookup, None)
    }

    /// The key's grant (`None`: no such key), from the cache or the database. A failed read is
    /// not cached: the next caller tries again.
    pub async fn grant(&self, db: &PgPool, prefix: &str) -> sqlx::Result<Option<Arc<KeyGrant>>> {
        let (lookup, aging) = self.slot(prefix);
        if let Some(reloading) = aging
            && !reloading.swap(true, Ordering::AcqRel)
        {
            self.reload(db.clone(), prefix.to_owned(), reloading);
        }
        let grant = lookup
            .get_or_try_init(|| async {
                let grant = api_keys::grant_by_prefix(db, prefix).await?;
                Ok::<_, sqlx::Error>(grant.map(Arc::new))
            })
            .await?;
        Ok(grant.clone())
    }

    /// Loads `prefix` again in the background and replaces its entry; on failure the entry
    /// ages out and the next caller after `KEY_TTL` loads it in the foreground.
    fn reload(&self, db: PgPool, prefix: String, reloading: Arc<AtomicBool>) {
        let slots = Arc::clone(&self.slots);
        tokio::spawn(async move {
            match api_keys::grant_by_prefix(&db, &prefix).await {
                Ok(grant) => {
                    let lookup = Arc::new(OnceCell::new_with(Some(grant.map(Arc::new))));
                    let mut slots = slots.write().unwrap_or_else(|e| e.into_inner());
                    slots.insert(prefix, Slot::new(lookup));
                }
                Err(error) => {
                    tracing::warn!(%error, "API key not reloaded");
                    reloading.store(false, Ordering::Release);
                }
            }
        });
    }

    /// Replaces the cached grant of `prefix` (after its hash was upgraded).
    fn replace(&self, prefix: &str, grant: Arc<KeyGrant>) {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.insert(
            prefix.to_owned(),
            Slot::new(Arc::new(OnceCell::new_with(Some(Some(grant))))),
        );
    }

    /// Drops stale entries (run now and then, so unknown prefixes do not pile up).
    pub fn sweep(&self) {
        let mut slots = self.slots.write().unwrap_or_else(|e| e.into_inner());
        slots.retain(|_, s| Self::fresh(s));
    }
}

/// The key in `Authorization: Bearer nptu_…`, checked for shape.
fn presented(headers: &HeaderMap) -> Result<PresentedKey, MeterError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(MeterError::Unauthorized("Authorization header required"))?;
    let text = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(MeterError::Unauthorized(
            "Invalid authorization format. Use: Bearer <api_key>",
        ))?;
    PresentedKey::parse(text.trim()).ok_or(MeterError::Unauthorized("Invalid API key format"))
}

const INVALID: MeterError = MeterError::Unauthorized("Invalid or expired API key");

/// Whether a browser's `Origin` may use the key. Only browsers send `Origin`, so a key
/// restricted to origins still works from servers; a listed origin must match exactly.
fn origin_allowed(grant: &KeyGrant, headers: &HeaderMap) -> bool {
    let Some(allowed) = grant.allowed_origins.as_ref().filter(|o| !o.is_empty()) else {
        return true;
    };
    match headers.get(header::ORIGIN).map(|o| o.to_str()) {
        None => true,
        Some(Ok(origin)) => allowed.iter().any(|a| a == origin),
        Some(Err(_)) => false,
    }
}

/// The grant of the presented key, or why it is refused. A key imported with the original's
/// legacy hash (and no strong one) is accepted and its hash upgraded on the spot.
pub async fn authenticate(
    cache: &KeyCache,
    db: &PgPool,
    hasher: &KeyHasher,
    headers: &HeaderMap,
) -> Result<Arc<KeyGrant>, MeterError> {
    let key = presented(headers)?;
    let grant = cache
        .grant(db, key.prefix())
        .await
        .map_err(MeterError::Database)?
        .ok_or(INVALID)?;
    let matched = match (&grant.key_hash, &grant.legacy_hash) {
        (Some(hash), _) => hasher.matches(&key, hash),
        (None, Some(legacy)) => matches_legacy(&key, legacy),
        (None, None) => false,
    };
    let expired = grant.expires_at.is_some_and(|at| at <= Utc::now());
    if !matched || !grant.is_active || expired || !origin_allowed(&grant, headers) {
        return Err(INVALID);
    }
    if grant.key_hash.is_none() {
        return Ok(upgrade(cache, db, hasher, &key, &grant).await);
    }
    Ok(grant)
}

/// Stores the strong hash of a key that matched its legacy hash; the legacy hash is gone
/// from then on. A failure is logged and retried on the next call.
async fn upgrade(
    cache: &KeyCache,
    db: &PgPool,
    hasher: &KeyHasher,
    key: &PresentedKey,
    grant: &Arc<KeyGrant>,
) -> Arc<KeyGrant> {
    let hash = hasher.hash(key.as_str());
    match api_keys::upgrade_hash(db, grant.id, &hash).await {
        Ok(()) => {
            let mut upgraded = KeyGrant::clone(grant);
            upgraded.key_hash = Some(hash.to_vec());
            upgraded.legacy_hash = None;
            let upgraded = Arc::new(upgraded);
            cache.replace(key.prefix(), Arc::clone(&upgraded));
            tracing::info!(key = %key.prefix(), "legacy API key hash upgraded");
            upgraded
        }
        Err(error) => {
            tracing::warn!(%error, key = %key.prefix(), "legacy API key hash not upgraded");
            Arc::clone(grant)
        }
    }
}
