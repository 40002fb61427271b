//! Writes prepared tables into Postgres with multi-row inserts, inside the import's one
//! transaction (each table under a savepoint, so that one table's failure is reported and the
//! next tables are still tried before the whole import is rolled back).

use sqlx::{Acquire, PgConnection, Postgres, QueryBuilder};

use super::rows::Prepared;
use super::transform::TargetValue;

/// Postgres accepts at most 65,535 bind parameters per statement.
const MAX_PARAMETERS: usize = 65_535;

/// Inserts every prepared row of the table; returns how many went in, as counted in the table
/// afterwards. `sequence_floor` is the last id the source handed out (its `sqlite_sequence`),
/// which new ids must stay above even when that row is gone.
pub async fn load(
    conn: &mut PgConnection,
    prepared: &Prepared,
    sequence_floor: Option<i64>,
) -> anyhow::Result<u64> {
    let table = prepared.table;
    let columns: Vec<&str> = table.columns.iter().map(|c| c.target).collect();
    let per_statement = (MAX_PARAMETERS / columns.len()).min(5_000);
    let mut savepoint = conn.begin().await?;
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
        inserted += query.build().execute(&mut *savepoint).await?.rows_affected();
    }
    if let Some(identity) = table.identity {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{0}', '{1}'), GREATEST(COALESCE((SELECT max({1}) FROM {0}), 0), $1) + 1, false)",
            table.name, identity
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(sequence_floor.unwrap_or(0))
            .execute(&mut *savepoint)
            .await?;
    }
    let counted = count(&mut savepoint, table.name).await?;
    if counted != inserted as i64 {
        anyhow::bail!("{counted} rows in the table after inserting {inserted}");
    }
    savepoint.commit().await?;
    Ok(inserted)
}

/// Rows now in the table.
pub async fn count(conn: &mut PgConnection, table: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(conn)
        .await
}
