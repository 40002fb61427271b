//! Forum phases never run at the same time, in this replica or any other: each runs inside a
//! transaction holding one Postgres advisory lock. A transaction-level lock is released by
//! the commit, by the rollback of a dropped transaction (a timed-out phase), and by the server
//! when the connection dies (a killed replica) — it cannot leak.

use std::future::Future;
use std::time::Duration;

use neptu_shared::db::locks;
use sqlx::PgPool;
use tokio::time::Instant;

/// The lock's key: "neptufor" as an integer.
const FORUM_LOCK: i64 = 0x6e65_7074_7566_6f72;
const RETRY_EVERY: Duration = Duration::from_millis(200);

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another forum phase held the lock for {0:?}")]
    Busy(Duration),
    #[error("taking the forum lock: {0}")]
    Database(#[from] sqlx::Error),
}

/// Runs `work` while holding the forum lock, waiting up to `wait` for it.
pub async fn exclusive<F: Future>(pool: &PgPool, wait: Duration, work: F) -> Result<F::Output, LockError> {
    let mut tx = pool.begin().await?;
    let deadline = Instant::now() + wait;
    loop {
        if locks::try_xact_lock(&mut tx, FORUM_LOCK).await? {
            break;
        }
        if Instant::now() >= deadline {
            return Err(LockError::Busy(wait));
        }
        tokio::time::sleep(RETRY_EVERY).await;
    }
    let output = work.await;
    if let Err(error) = tx.commit().await {
        // The lock goes with the connection anyway; the work itself is done.
        tracing::warn!(%error, "releasing the forum lock");
    }
    Ok(output)
}
