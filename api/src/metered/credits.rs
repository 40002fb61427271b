//! Credits spent from leases held in memory (see the module doc of `metered`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use neptu_shared::db::api_subscriptions::{self, CreditKind};
use neptu_shared::domain::developer::UNLIMITED;
use sqlx::PgPool;
use tokio::sync::Mutex;
use uuid::Uuid;

/// A lease takes at most this share of the balance (1/4), so a small balance is spread over
/// the replicas spending it.
const LEASE_SHARE: i64 = 4;
/// After a subscription was found empty, calls are refused from memory this long before the
/// database is asked again (a flood of calls on an empty balance stays cheap).
const EMPTY_FOR: Duration = Duration::from_millis(250);
/// Unspent credits go back after this long without a call.
pub const IDLE_RETURN: Duration = Duration::from_secs(3);
/// Accounts with nothing leased are forgotten after this long without a call.
const FORGET_AFTER: Duration = Duration::from_secs(60);
/// A lease spent faster than this doubles the next one; slower than [`LEASE_SLOW`] halves it.
const LEASE_FAST: Duration = Duration::from_millis(250);
const LEASE_SLOW: Duration = Duration::from_secs(2);
/// The largest lease, as a multiple of `API_CREDIT_LEASE`.
const LEASE_GROWTH_MAX: i64 = 64;
/// When a lease is down to this share of its size (1/4), the next one is taken in the
/// background, so a busy subscription's callers never wait for Postgres.
const LOW_WATER_SHARE: i64 = 4;

/// Out of credits: the balances to report (`-1` unlimited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remaining {
    pub basic: i64,
    pub ai: i64,
}

#[derive(Debug)]
pub enum SpendError {
    Exhausted(Remaining),
    Database(sqlx::Error),
}

#[derive(Default)]
struct Refill {
    /// Found empty at this instant, with these balances.
    empty: Option<(Instant, Remaining)>,
}

/// One subscription's balance of one kind on this replica.
struct Account {
    /// Leased and not yet spent.
    available: AtomicI64,
    /// Held while leasing or returning, so one refill runs at a time.
    refill: Mutex<Refill>,
    /// Milliseconds since the ledger's epoch of the last spend.
    last_used: AtomicI64,
    /// The size of the next lease: grows while leases are spent quickly, shrinks when slowly.
    lease: AtomicI64,
    /// Milliseconds since the ledger's epoch of the last lease.
    leased_at: AtomicI64,
    /// A lease is being taken in the background.
    refilling: AtomicBool,
}

pub struct Ledger {
    db: PgPool,
    lease: i64,
    epoch: Instant,
    accounts: RwLock<HashMap<(Uuid, CreditKind), Arc<Account>>>,
    /// Set at shutdown: no lease is taken any more, so none is stranded in memory.
    closed: AtomicBool,
}

impl Ledger {
    pub fn new(db: PgPool, lease: u32) -> Self {
        Self {
            db,
            lease: i64::from(lease.max(1)),
            epoch: Instant::now(),
            accounts: RwLock::new(HashMap::new()),
            closed: AtomicBool::new(false),
        }
    }

    /// Leases grow to this; a lease of 1 (spend straight from Postgres) stays 1.
    fn largest_lease(&self) -> i64 {
        if self.lease == 1 {
            1
        } else {
            self.lease * LEASE_GROWTH_MAX
        }
    }

    /// No lease is taken from now on (the ones held are returned by [`Ledger::give_back_idle`]).
    pub fn close(&self) {
        self.closed.store(true, Ordering::Release);
    }

    fn now_ms(&self) -> i64 {
        self.epoch.elapsed().as_millis() as i64
    }

    fn account(&self, key: (Uuid, CreditKind)) -> Arc<Account> {
        if let Some(account) = self.accounts.read().ok().and_then(|a| a.get(&key).cloned()) {
            return account;
        }
        let mut accounts = self.accounts.write().unwrap_or_else(|e| e.into_inner());
        Arc::clone(accounts.entry(key).or_insert_with(|| {
            Arc::new(Account {
                available: AtomicI64::new(0),
                refill: Mutex::new(Refill::default()),
                last_used: AtomicI64::new(0),
                lease: AtomicI64::new(self.lease),
                leased_at: AtomicI64::new(0),
                refilling: AtomicBool::new(false),
            })
        }))
    }

    fn leased(&self, subscription: Uuid, kind: CreditKind) -> i64 {
        self.accounts
            .read()
            .ok()
            .and_then(|a| {
                a.get(&(subscription, kind))
                    .map(|a| a.available.load(Ordering::Acquire))
            })
            .unwrap_or(0)
    }

    /// Spends one credit of `kind`: from the lease in memory, refilled from Postgres when it
    /// is empty (one refill at a time per subscription and kind) and topped up in the
    /// background when it runs low.
    pub async fn spend(self: &Arc<Self>, subscription: Uuid, kind: CreditKind) -> Result<(), SpendError> {
        let account = self.account((subscription, kind));
        account.last_used.store(self.now_ms(), Ordering::Relaxed);
        if let Some(left) = take_one(&account.available) {
            self.top_up_if_low(&account, subscription, kind, left);
            return Ok(());
        }
        let mut refill = account.refill.lock().await;
        // Another caller may have refilled while this one waited.
        if take_one(&account.available).is_some() {
            return Ok(());
        }
        if let Some((at, remaining)) = refill.empty
            && at.elapsed() < EMPTY_FOR
        {
            return Err(SpendError::Exhausted(remaining));
        }
        let taken = self
            .lease(&account, subscription, kind)
            .await
            .map_err(SpendError::Database)?;
        if taken > 0 {
            refill.empty = None;
            // One for this call, the rest for the next ones.
            account.available.fetch_add(taken - 1, Ordering::AcqRel);
            return Ok(());
        }
        let remaining = self.remaining(subscription).await.map_err(SpendError::Database)?;
        refill.empty = Some((Instant::now(), remaining));
        Err(SpendError::Exhausted(remaining))
    }

    /// Takes one lease from Postgres (the caller holds the account's refill lock) and sizes
    /// the next one by how fast this one was spent.
    async fn lease(&self, account: &Account, subscription: Uuid, kind: CreditKind) -> sqlx::Result<i64> {
        if self.closed.load(Ordering::Acquire) {
            return Ok(0);
        }
        let now = self.now_ms();
        let since =
            Duration::from_millis((now - account.leased_at.swap(now, Ordering::AcqRel)).max(0) as u64);
        let size = account.lease.load(Ordering::Relaxed);
        let next = if since < LEASE_FAST {
            (size * 2).min(self.largest_lease())
        } else if since > LEASE_SLOW {
            (size / 2).max(self.lease)
        } else {
            size
        };
        account.lease.store(next, Ordering::Relaxed);
        let (taken, _) =
            api_subscriptions::lease_share(&self.db, subscription, kind, size, LEASE_SHARE).await?;
        Ok(taken)
    }

    /// Starts a background lease when what is left of this one is below its low-water mark.
    fn top_up_if_low(
        self: &Arc<Self>,
        account: &Arc<Account>,
        subscription: Uuid,
        kind: CreditKind,
        left: i64,
    ) {
        let low_water = account.lease.load(Ordering::Relaxed) / LOW_WATER_SHARE;
        if self.lease == 1 || left > low_water || account.refilling.swap(true, Ordering::AcqRel) {
            return;
        }
        let (ledger, account) = (Arc::clone(self), Arc::clone(account));
        tokio::spawn(async move {
            let mut refill = account.refill.lock().await;
            let still_low = account.available.load(Ordering::Acquire) <= low_water;
            let recently_empty = refill.empty.is_some_and(|(at, _)| at.elapsed() < EMPTY_FOR);
            if still_low && !recently_empty {
                match ledger.lease(&account, subscription, kind).await {
                    Ok(0) => {}
                    Ok(taken) => {
                        refill.empty = None;
                        account.available.fetch_add(taken, Ordering::AcqRel);
                    }
                    Err(error) => tracing::warn!(%error, %subscription, "credits not leased ahead"),
                }
            }
            account.refilling.store(false, Ordering::Release);
        });
    }

    /// A credit spent on a call that failed (5xx) goes back to the lease.
    pub fn refund(&self, subscription: Uuid, kind: CreditKind) {
        self.account((subscription, kind))
            .available
            .fetch_add(1, Ordering::AcqRel);
    }

    /// What the subscription has left, counting this replica's leases.
    async fn remaining(&self, subscription: Uuid) -> sqlx::Result<Remaining> {
        let row = api_subscriptions::find_by_id(&self.db, subscription).await?;
        let (basic, ai) = row.map_or((0, 0), |s| (s.credits_remaining, s.ai_credits_remaining));
        let with_lease = |balance: i64, kind| {
            if balance == UNLIMITED {
                UNLIMITED
            } else {
                balance.max(0) + self.leased(subscription, kind)
            }
        };
        Ok(Remaining {
            basic: with_lease(basic, CreditKind::Basic),
            ai: with_lease(ai, CreditKind::Ai),
        })
    }

    /// Returns the leases idle for `idle` (all of them with `Duration::ZERO`); a lease whose
    /// return fails stays in memory for the next try. Returns how many credits are still
    /// leased afterwards.
    pub async fn give_back_idle(&self, idle: Duration) -> i64 {
        let now = self.now_ms();
        let idle_ms = idle.as_millis() as i64;
        let accounts: Vec<_> = self
            .accounts
            .read()
            .map(|a| a.iter().map(|(k, v)| (*k, Arc::clone(v))).collect())
            .unwrap_or_default();
        let mut still_leased = 0;
        for ((subscription, kind), account) in accounts {
            if now - account.last_used.load(Ordering::Relaxed) < idle_ms {
                still_leased += account.available.load(Ordering::Acquire);
                continue;
            }
            let _refill = account.refill.lock().await;
            let credits = account.available.swap(0, Ordering::AcqRel);
            if credits <= 0 {
                continue;
            }
            match api_subscriptions::give_back(&self.db, subscription, kind, credits).await {
                Ok(()) => tracing::debug!(%subscription, ?kind, credits, "unspent credits returned"),
                Err(error) => {
                    account.available.fetch_add(credits, Ordering::AcqRel);
                    still_leased += credits;
                    tracing::warn!(%error, %subscription, credits, "unspent credits not returned yet");
                }
            }
        }
        self.forget_idle(now);
        still_leased
    }

    /// Drops accounts long unused with nothing leased (memory stays bounded by live ones).
    fn forget_idle(&self, now: i64) {
        let forget_ms = FORGET_AFTER.as_millis() as i64;
        let mut accounts = self.accounts.write().unwrap_or_else(|e| e.into_inner());
        accounts.retain(|_, a| {
            now - a.last_used.load(Ordering::Relaxed) < forget_ms
                || a.available.load(Ordering::Acquire) > 0
                || Arc::strong_count(a) > 1
        });
    }
}

/// Takes one credit if there is one; returns how many are left.
fn take_one(available: &AtomicI64) -> Option<i64> {
    available
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n > 0).then(|| n - 1))
        .ok()
        .map(|before| before - 1)
}
