//! Credits spent from leases held in memory (see the module doc of `metered`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
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
}

pub struct Ledger {
    db: PgPool,
    lease: i64,
    epoch: Instant,
    accounts: RwLock<HashMap<(Uuid, CreditKind), Arc<Account>>>,
}

impl Ledger {
    pub fn new(db: PgPool, lease: u32) -> Self {
        Self {
            db,
            lease: i64::from(lease.max(1)),
            epoch: Instant::now(),
            accounts: RwLock::new(HashMap::new()),
        }
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
    /// is empty (one refill at a time per subscription and kind).
    pub async fn spend(&self, subscription: Uuid, kind: CreditKind) -> Result<(), SpendError> {
        let account = self.account((subscription, kind));
        account.last_used.store(self.now_ms(), Ordering::Relaxed);
        if take_one(&account.available) {
            return Ok(());
        }
        let mut refill = account.refill.lock().await;
        // Another caller may have refilled while this one waited.
        if take_one(&account.available) {
            return Ok(());
        }
        if let Some((at, remaining)) = refill.empty
            && at.elapsed() < EMPTY_FOR
        {
            return Err(SpendError::Exhausted(remaining));
        }
        let (taken, _) =
            api_subscriptions::lease_share(&self.db, subscription, kind, self.lease, LEASE_SHARE)
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

/// Takes one credit if there is one.
fn take_one(available: &AtomicI64) -> bool {
    available
        .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n > 0).then(|| n - 1))
        .is_ok()
}
