//! Postgres advisory locks held for a transaction: released by its commit, by the rollback of
//! a dropped transaction, and by the server when the connection dies, so they cannot leak.

use sqlx::PgConnection;

/// Takes the transaction-level advisory lock `key` if no one holds it; `false` if someone does.
pub async fn try_xact_lock(tx: &mut PgConnection, key: i64) -> sqlx::Result<bool> {
    sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(key)
        .fetch_one(tx)
        .await
}
