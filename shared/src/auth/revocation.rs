//! What makes a still-signed access token stop working before it expires: its session
//! (refresh-token family) was revoked, or its holder's role changed since it was issued.
//!
//! Every process keeps the last few minutes of revocations ([`KEEP_SECS`]: as long as an access
//! token can live) in memory, so checking a request is a map lookup and never a database
//! query. [`sync`] keeps the map fresh from `auth_revocations`: it `LISTEN`s on the channel the
//! triggers notify on (within milliseconds of the commit), and reads the rows written since its
//! last read every poll interval anyway, so a lost notification, a dropped listener or a
//! replica that could not listen at all is at most one interval late. When Postgres is
//! unreachable the map stays as it was and requests are served from it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

use super::Auth;
use super::token::{ACCESS_TTL_SECS, LEEWAY_SECS};
use crate::db::auth_revocations::{self, CHANNEL, Revocation};
use crate::domain::enums::Role;

/// How long an entry is kept: an access token's life, its leeway, and a minute for clocks.
pub const KEEP_SECS: i64 = ACCESS_TTL_SECS + LEEWAY_SECS + 60;
/// Each read also covers rows created this long before the previous read: a row is stamped
/// when its transaction writes it but only visible once that commits.
const OVERLAP_SECS: i64 = 30;
/// A read that takes longer is abandoned (and retried at the next interval).
const READ_TIMEOUT: Duration = Duration::from_secs(3);
/// How often old rows are deleted from the table, counted in reads.
const CLEANUP_EVERY: u64 = 1_800;

/// The revocations of the last [`KEEP_SECS`], by session and by user.
#[derive(Debug, Default)]
pub struct Revocations {
    inner: RwLock<Entries>,
}

#[derive(Debug, Default)]
struct Entries {
    /// Revoked session -> when.
    sessions: HashMap<Uuid, DateTime<Utc>>,
    /// User whose role changed -> the role now, and when it was set.
    roles: HashMap<Uuid, (Role, DateTime<Utc>)>,
}

impl Revocations {
    /// True when the session was revoked (its access tokens are refused).
    pub fn is_revoked(&self, session: Uuid) -> bool {
        self.read().sessions.contains_key(&session)
    }

    /// The user's role, when it changed recently enough that a live token may say otherwise.
    pub fn current_role(&self, user: Uuid) -> Option<Role> {
        self.read().roles.get(&user).map(|(role, _)| *role)
    }

    /// Records rows read from the database and forgets entries older than [`KEEP_SECS`]
    /// before `now`. Applying a row twice changes nothing.
    pub fn apply(&self, rows: &[Revocation], now: DateTime<Utc>) {
        let mut entries = self
            .inner
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for row in rows {
            if let Some(family) = row.family_id {
                entries.sessions.insert(family, row.created_at);
            }
            if let Some(role) = row.role {
                let newer = entries
                    .roles
                    .get(&row.user_id)
                    .is_none_or(|(_, at)| *at <= row.created_at);
                if newer {
                    entries.roles.insert(row.user_id, (role, row.created_at));
                }
            }
        }
        let cutoff = now - chrono::Duration::seconds(KEEP_SECS);
        entries.sessions.retain(|_, at| *at >= cutoff);
        entries.roles.retain(|_, (_, at)| *at >= cutoff);
    }

    /// How many sessions and role changes are held.
    pub fn len(&self) -> (usize, usize) {
        let entries = self.read();
        (entries.sessions.len(), entries.roles.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == (0, 0)
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Entries> {
        // A panic while holding the lock cannot leave the maps half-written in a way that
        // matters (each insert is whole), so a poisoned lock is still read.
        self.inner.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The running [`sync`] of a server. It holds a pool connection (the listener), so a server
/// stops it when it stops serving; dropping it stops it too.
pub struct SyncTask {
    stop: CancellationToken,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SyncTask {
    /// Starts keeping `auth.revocations` fresh from `db`.
    pub fn start(db: &PgPool, auth: &Arc<Auth>, interval: Duration) -> Self {
        let stop = CancellationToken::new();
        let task = tokio::spawn(sync(db.clone(), Arc::clone(auth), interval, stop.clone()));
        Self {
            stop,
            task: Some(task),
        }
    }

    /// Stops it and waits until it has let go of its connection.
    pub async fn stop(mut self) {
        self.stop.cancel();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SyncTask {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Keeps `auth.revocations` fresh until `stop` is cancelled: a first read of the last
/// [`KEEP_SECS`], then a read on every notification and every `interval`.
pub async fn sync(db: PgPool, auth: Arc<Auth>, interval: Duration, stop: CancellationToken) {
    // Stopping may interrupt any step: each is a read, or a wait for the next one.
    stop.run_until_cancelled(keep_fresh(db, auth, interval)).await;
}

async fn keep_fresh(db: PgPool, auth: Arc<Auth>, interval: Duration) {
    let mut reader = Reader::default();
    let mut listener: Option<PgListener> = None;
    let mut ticker = tokio::time::interval(interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        // Listen before reading, so nothing committed between the two is missed.
        if listener.is_none() {
            listener = listen(&db).await;
        }
        reader.read(&db, &auth.revocations).await;
        let notified = async {
            match listener.as_mut() {
                Some(l) => l.recv().await.map(|_| ()),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = ticker.tick() => {}
            got = notified => if let Err(error) = got {
                tracing::warn!(%error, "revocation listener lost; polling until it is back");
                listener = None;
            }
        }
    }
}

async fn listen(db: &PgPool) -> Option<PgListener> {
    let attempt = async {
        let mut listener = PgListener::connect_with(db).await?;
        listener.listen(CHANNEL).await?;
        Ok::<_, sqlx::Error>(listener)
    };
    match tokio::time::timeout(READ_TIMEOUT, attempt).await {
        Ok(Ok(listener)) => Some(listener),
        Ok(Err(error)) => {
            tracing::warn!(%error, "cannot listen for revocations; polling");
            None
        }
        Err(_) => {
            tracing::warn!("listening for revocations timed out; polling");
            None
        }
    }
}

/// Where the last read got to.
#[derive(Default)]
struct Reader {
    after: Option<DateTime<Utc>>,
    reads: u64,
}

impl Reader {
    async fn read(&mut self, db: &PgPool, revocations: &Revocations) {
        let after = self.after.map(|at| at - chrono::Duration::seconds(OVERLAP_SECS));
        match tokio::time::timeout(READ_TIMEOUT, auth_revocations::after(db, after, KEEP_SECS)).await {
            Ok(Ok((rows, now))) => {
                revocations.apply(&rows, now);
                self.after = Some(now);
            }
            Ok(Err(error)) => tracing::warn!(%error, "reading revocations failed; keeping what is known"),
            Err(_) => tracing::warn!("reading revocations timed out; keeping what is known"),
        }
        self.reads += 1;
        if self.reads.is_multiple_of(CLEANUP_EVERY)
            && let Ok(Err(error)) = tokio::time::timeout(READ_TIMEOUT, auth_revocations::delete_old(db)).await
        {
            tracing::warn!(%error, "deleting old revocations failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000 + secs, 0).unwrap()
    }

    fn session(family: Uuid, secs: i64) -> Revocation {
        Revocation {
            user_id: Uuid::new_v4(),
            family_id: Some(family),
            role: None,
            created_at: at(secs),
        }
    }

    fn role(user: Uuid, role: Role, secs: i64) -> Revocation {
        Revocation {
            user_id: user,
            family_id: None,
            role: Some(role),
            created_at: at(secs),
        }
    }

    #[test]
    fn revoked_sessions_are_remembered_for_a_token_lifetime() {
        let store = Revocations::default();
        let (revoked, other) = (Uuid::new_v4(), Uuid::new_v4());
        store.apply(&[session(revoked, 0)], at(0));
        assert!(store.is_revoked(revoked) && !store.is_revoked(other));
        // Applying the same row again (the overlap of two reads) changes nothing.
        store.apply(&[session(revoked, 0)], at(1));
        assert_eq!(store.len(), (1, 0));
        store.apply(&[], at(KEEP_SECS));
        assert!(
            store.is_revoked(revoked),
            "a token issued just before may still live"
        );
        store.apply(&[], at(KEEP_SECS + 1));
        assert!(!store.is_revoked(revoked) && store.is_empty());
    }

    #[test]
    fn the_latest_role_change_wins_whatever_the_order_read() {
        let store = Revocations::default();
        let user = Uuid::new_v4();
        assert_eq!(
            store.current_role(user),
            None,
            "no change: the token's role stands"
        );
        store.apply(&[role(user, Role::User, 10)], at(10));
        assert_eq!(store.current_role(user), Some(Role::User));
        store.apply(&[role(user, Role::Admin, 20), role(user, Role::User, 10)], at(20));
        assert_eq!(store.current_role(user), Some(Role::Admin));
        store.apply(&[], at(20 + KEEP_SECS + 1));
        assert_eq!(store.current_role(user), None);
    }
}
