//! Writes prepared tables into Postgres: one transaction per table, multi-row inserts.

use sqlx::{PgPool, Postgres, QueryBuilder};

use super::rows::Prepared;
use super::transform::TargetValue;

/// Postgres accepts at most 65,535 bind parameters per statement.
const MAX_PARAMETERS: usize = 65_535;

/// Inserts every prepared row of the table in one transaction; returns how many went in.
pub async fn load(pool: &PgPool, prepared: &Prepared) -> Result<u64, sqlx::Error> {
    let table = prepared.table;
    let columns: Vec<&str> = table.columns.iter().map(|c| c.target).collect();
    let per_statement = (MAX_PARAMETERS / columns.len()).min(5_000);
    let mut tx = pool.begin().await?;
    let mut inserted = 0;
    for batch in prepared.rows.chunks(per_statement) {
        let mut query: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("INSERT INTO {} ({}) ", table.name, columns.join(", ")));
        if table.identity.is_some() {
            // Keep the exported ids; the sequence is moved past them below.
            query.push("OVERRIDING SYSTEM VALUE ");
        }
        query.push_values(batch, |mut values, row| {
            for value in row {
                match value {
                    TargetValue::Null => values.push("NULL"),
                    TargetValue::Uuid(v) => values.push_bind(*v),
                    TargetValue::Text(v) => values.push_bind(v.clone()),
                    TargetValue::Bool(v) => values.push_bind(*v),
                    TargetValue::Int(v) => values.push_bind(*v),
                    TargetValue::BigInt(v) => values.push_bind(*v),
                    TargetValue::Numeric(v) => values.push_bind(*v),
                    TargetValue::Double(v) => values.push_bind(*v),
                    TargetValue::Timestamp(v) => values.push_bind(*v),
                    TargetValue::Date(v) => values.push_bind(*v),
                    TargetValue::Json(v) => values.push_bind(sqlx::types::Json(v.clone())),
                };
            }
        });
        inserted += query.build().execute(&mut *tx).await?.rows_affected();
    }
    if let Some(identity) = table.identity {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), COALESCE((SELECT max({1}) FROM {0}), 0) + 1, false)",
            table.name, identity
        );
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(inserted)
}

/// Rows now in the table.
pub async fn count(pool: &PgPool, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(pool)
        .await
}
