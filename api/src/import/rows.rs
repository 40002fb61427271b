//! Prepares one table: converts every source row, and sets aside (with the reason) each row
//! that cannot go in — a value that does not convert, a duplicate of a unique value, or a
//! reference to a user that is not imported, a row breaking a CHECK of the schema (`checks`).
//! Nothing is dropped without being reported.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::checks::Checker;
use super::mapping::{Column, Table};
use super::source::{SourceTable, SourceValue};
use super::transform::{TargetValue, convert};

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The row's key (its primary key values).
    pub key: String,
    pub column: String,
    pub reason: String,
}

pub struct Prepared {
    pub table: &'static Table,
    pub rows: Vec<Vec<TargetValue>>,
    pub skipped: Vec<Skip>,
    pub source_rows: usize,
    /// Source columns no target column reads.
    pub unknown_columns: Vec<String>,
}

impl Prepared {
    /// The ids of the prepared rows' `id` column (to check references to them).
    pub fn ids(&self) -> HashSet<Uuid> {
        let Some(index) = self.table.columns.iter().position(|c| c.target == "id") else {
            return HashSet::new();
        };
        self.rows
            .iter()
            .filter_map(|row| match &row[index] {
                TargetValue::Uuid(id) => Some(*id),
                _ => None,
            })
            .collect()
    }
}

pub fn prepare(
    table: &'static Table,
    source: Option<&SourceTable>,
    users: &HashSet<Uuid>,
    now: DateTime<Utc>,
) -> Prepared {
    let empty = SourceTable::default();
    let source = source.unwrap_or(&empty);
    let positions: Vec<Option<usize>> = table
        .columns
        .iter()
        .map(|c| c.source_names().iter().find_map(|name| source.column(name)))
        .collect();
    let known: HashSet<&str> = table
        .columns
        .iter()
        .flat_map(|c| c.source_names().iter().copied())
        .collect();
    let unknown_columns = source
        .columns
        .iter()
        .filter(|c| !known.contains(c.as_str()))
        .cloned()
        .collect();

    let mut seen: Vec<HashSet<String>> = vec![HashSet::new(); table.columns.len()];
    let mut seen_keys = HashSet::new();
    let checker = Checker::new(table);
    let mut rows = Vec::with_capacity(source.rows.len());
    let mut skipped = Vec::new();
    for raw in &source.rows {
        let checked = convert_row(table, &positions, raw, users, now).and_then(|row| {
            let key = key_of(table, &row);
            if seen_keys.contains(&key) {
                return Err((table.key.join("+"), "duplicate key".into()));
            }
            check_unique(table, &row, &seen)?;
            checker.check(&row)?;
            Ok((key, row))
        });
        match checked {
            Ok((key, row)) => {
                // Unique values are recorded only once the whole row is good, so a bad row
                // does not block a later good one with the same value.
                for ((column, value), seen) in table.columns.iter().zip(&row).zip(seen.iter_mut()) {
                    if column.unique && *value != TargetValue::Null {
                        seen.insert(value.key());
                    }
                }
                seen_keys.insert(key);
                rows.push(row);
            }
            Err((column, reason)) => skipped.push(Skip {
                key: raw_key(table, &positions, raw),
                column,
                reason,
            }),
        }
    }
    Prepared {
        table,
        rows,
        skipped,
        source_rows: source.rows.len(),
        unknown_columns,
    }
}

fn convert_row(
    table: &Table,
    positions: &[Option<usize>],
    raw: &[SourceValue],
    users: &HashSet<Uuid>,
    now: DateTime<Utc>,
) -> Result<Vec<TargetValue>, (String, String)> {
    let mut row = Vec::with_capacity(table.columns.len());
    for (column, position) in table.columns.iter().zip(positions) {
        let value = match position {
            Some(i) => &raw[*i],
            None => &SourceValue::Null,
        };
        let converted =
            convert(value, column.kind, column.fallback, now).map_err(|e| (column.target.into(), e))?;
        check_reference(column, &converted, users).map_err(|e| (column.target.into(), e))?;
        row.push(converted);
    }
    Ok(row)
}

/// A value already taken by an accepted row of a unique column.
fn check_unique(
    table: &Table,
    row: &[TargetValue],
    seen: &[HashSet<String>],
) -> Result<(), (String, String)> {
    for ((column, value), seen) in table.columns.iter().zip(row).zip(seen) {
        if column.unique && *value != TargetValue::Null && seen.contains(&value.key()) {
            return Err((column.target.into(), format!("duplicate value {:?}", value.key())));
        }
    }
    Ok(())
}

fn check_reference(column: &Column, value: &TargetValue, users: &HashSet<Uuid>) -> Result<(), String> {
    match value {
        TargetValue::Uuid(id) if column.user_ref && !users.contains(id) => {
            Err(format!("user {id} is not imported"))
        }
        _ => Ok(()),
    }
}

fn key_of(table: &Table, row: &[TargetValue]) -> String {
    table
        .key
        .iter()
        .filter_map(|k| table.columns.iter().position(|c| c.target == *k))
        .map(|i| row[i].key())
        .collect::<Vec<_>>()
        .join("/")
}

/// The key of a row that failed to convert, from the source values.
fn raw_key(table: &Table, positions: &[Option<usize>], raw: &[SourceValue]) -> String {
    table
        .key
        .iter()
        .filter_map(|k| table.columns.iter().position(|c| c.target == *k))
        .map(|i| match positions[i].map(|p| &raw[p]) {
            Some(SourceValue::Text(t)) => t.clone(),
            Some(SourceValue::Integer(n)) => n.to_string(),
            Some(other) => format!("{other:?}"),
            None => "?".into(),
        })
        .collect::<Vec<_>>()
        .join("/")
}
