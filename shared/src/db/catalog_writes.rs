//! The writes the catalogue tables (`pricing_plans`, `api_pricing_plans`, `api_credit_packs`)
//! share: an insert returning the row, a partial update where an absent value keeps the
//! stored one, and a delete by id. Each table's module still names its columns and binds its
//! values; this only spells the statements once.

use sqlx::{Encode, PgExecutor, Postgres, QueryBuilder, Type};
use uuid::Uuid;

/// `INSERT INTO table (columns…) VALUES (…) RETURNING …`, the values given in the order of
/// the columns.
pub(crate) struct Insert {
    sql: QueryBuilder<Postgres>,
    columns: usize,
    values: usize,
}

impl Insert {
    pub(crate) fn into(table: &str, columns: &[&str]) -> Self {
        Self {
            sql: QueryBuilder::new(format!("INSERT INTO {table} ({}) VALUES (", columns.join(", "))),
            columns: columns.len(),
            values: 0,
        }
    }

    fn next(&mut self) {
        if self.values > 0 {
            self.sql.push(", ");
        }
        self.values += 1;
    }

    pub(crate) fn value<'t, T: Encode<'t, Postgres> + Type<Postgres>>(mut self, value: T) -> Self {
        self.next();
        self.sql.push_bind(value);
        self
    }

    /// A value that falls back to the SQL `default` when absent.
    pub(crate) fn value_or<'t, T>(mut self, value: Option<T>, default: &str) -> Self
    where
        T: Encode<'t, Postgres> + Type<Postgres> + 't,
    {
        self.next();
        self.sql.push("COALESCE(");
        self.sql.push_bind(value);
        self.sql.push(format_args!(", {default})"));
        self
    }

    /// The statement, answering `columns` of the new row.
    pub(crate) fn returning(mut self, columns: &str) -> QueryBuilder<Postgres> {
        debug_assert_eq!(self.values, self.columns, "one value per column");
        self.sql.push(") RETURNING ");
        self.sql.push(columns);
        self.sql
    }
}

/// `UPDATE table SET column = COALESCE(value, column), …, updated_at = now() WHERE id = …
/// RETURNING …`: a partial update, where an absent value keeps what is stored.
pub(crate) struct Update {
    sql: QueryBuilder<Postgres>,
}

impl Update {
    pub(crate) fn table(table: &str) -> Self {
        Self {
            sql: QueryBuilder::new(format!("UPDATE {table} SET ")),
        }
    }

    pub(crate) fn set<'t, T>(mut self, column: &str, value: Option<T>) -> Self
    where
        T: Encode<'t, Postgres> + Type<Postgres> + 't,
    {
        self.sql.push(format_args!("{column} = COALESCE("));
        self.sql.push_bind(value);
        self.sql.push(format_args!(", {column}), "));
        self
    }

    /// The statement for the row `id`, answering its `columns` (no row when there is none).
    pub(crate) fn of(mut self, id: Uuid, columns: &str) -> QueryBuilder<Postgres> {
        self.sql.push("updated_at = now() WHERE id = ");
        self.sql.push_bind(id);
        self.sql.push(" RETURNING ");
        self.sql.push(columns);
        self.sql
    }
}

/// Deletes the row `id` of `table`; false when there was none.
pub(crate) async fn delete(db: impl PgExecutor<'_>, table: &str, id: Uuid) -> sqlx::Result<bool> {
    let mut sql = QueryBuilder::<Postgres>::new(format!("DELETE FROM {table} WHERE id = "));
    sql.push_bind(id);
    let done = sql.build().execute(db).await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_spelled_once() {
        let insert = Insert::into("t", &["a", "b"])
            .value(1_i32)
            .value_or(None::<bool>, "true")
            .returning("id");
        assert_eq!(
            insert.sql().as_str(),
            "INSERT INTO t (a, b) VALUES ($1, COALESCE($2, true)) RETURNING id"
        );
        let update = Update::table("t")
            .set("a", Some(1_i32))
            .set("b", None::<String>)
            .of(Uuid::nil(), "id, a");
        assert_eq!(
            update.sql().as_str(),
            "UPDATE t SET a = COALESCE($1, a), b = COALESCE($2, b), updated_at = now() WHERE id = $3 RETURNING id, a"
        );
    }
}
