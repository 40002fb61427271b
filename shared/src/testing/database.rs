//! A fresh Postgres database per test, created in the server named by `DATABASE_URL`.

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::OnceCell;

use super::database_url;

const PREFIX: &str = "neptu_test_";
/// Databases older than this are leftovers of crashed runs and are dropped.
const STALE_AFTER_SECS: u64 = 2 * 3600;

pub struct TestDatabase {
    pub name: String,
    /// URL of the test database itself (for spawned processes).
    pub url: String,
    pub pool: PgPool,
}

impl TestDatabase {
    /// A new database with every migration applied.
    pub async fn migrated() -> Self {
        let db = Self::empty().await;
        crate::db::migrate(&db.pool)
            .await
            .expect("migrate the test database");
        db
    }

    /// A new database with nothing in it.
    pub async fn empty() -> Self {
        static SWEPT: OnceCell<()> = OnceCell::const_new();
        SWEPT.get_or_init(sweep_stale).await;

        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let id = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{PREFIX}{now}_{}", &id[..12]);
        let mut admin = admin().await;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await
            .expect("create the test database");
        let url = url_for(&name);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect(&url)
            .await
            .expect("connect to the test database");
        Self { name, url, pool }
    }

    /// Closes the pool and drops the database (forcing out any other session).
    pub async fn drop_database(self) {
        self.pool.close().await;
        let mut admin = admin().await;
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        )))
        .execute(&mut admin)
        .await;
    }
}

async fn admin() -> PgConnection {
    PgConnection::connect(&database_url())
        .await
        .expect("connect to DATABASE_URL")
}

/// `DATABASE_URL` with its database name replaced.
fn url_for(name: &str) -> String {
    let mut url = url::Url::parse(&database_url()).expect("DATABASE_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// Drops test databases left behind by runs that crashed before cleaning up.
async fn sweep_stale() {
    let mut admin = admin().await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE $1")
            .bind(format!("{PREFIX}%"))
            .fetch_all(&mut admin)
            .await
            .unwrap_or_default();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    for name in names {
        let created = name[PREFIX.len()..]
            .split('_')
            .next()
            .and_then(|s| s.parse::<u64>().ok());
        if created.is_some_and(|t| now.saturating_sub(t) > STALE_AFTER_SECS) {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&mut admin)
            .await;
        }
    }
}
