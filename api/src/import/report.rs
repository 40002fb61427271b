//! The import's outcome per table, and the summary the command prints.

use std::fmt::Write as _;
use std::time::Duration;

use super::rows::Skip;

/// What happened to one table.
#[derive(Debug, Clone)]
pub struct TableReport {
    pub table: &'static str,
    pub source_rows: usize,
    pub imported: u64,
    pub skipped: Vec<Skip>,
    pub unknown_columns: Vec<String>,
    /// The database refused the table (and so the whole import was rolled back).
    pub error: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub tables: Vec<TableReport>,
    /// Source tables outside the schema, with their row counts (not imported).
    pub other_tables: Vec<(String, usize)>,
    pub dry_run: bool,
    /// Why the source may be partial, when `--allow-partial` imported it anyway.
    pub partial: Option<String>,
    /// How many tables' source counts matched `--expect`.
    pub expect_matched: Option<usize>,
    /// A table failed, so nothing was written.
    pub rolled_back: bool,
    pub elapsed: Duration,
}

impl Report {
    /// Every row of every table went in (or, in a dry run, would).
    /// A source imported with `--allow-partial` is complete when every row it holds went in.
    pub fn complete(&self) -> bool {
        !self.rolled_back
            && self
                .tables
                .iter()
                .all(|t| t.error.is_none() && t.skipped.is_empty() && t.imported == t.source_rows as u64)
    }

    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.imported).sum()
    }

    /// The printed summary.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let verb = if self.dry_run { "would import" } else { "imported" };
        let _ = writeln!(
            out,
            "{:<24} {:>10} {:>10} {:>8}",
            "table", "source", verb, "skipped"
        );
        for t in &self.tables {
            let _ = writeln!(
                out,
                "{:<24} {:>10} {:>10} {:>8}",
                t.table,
                t.source_rows,
                t.imported,
                t.skipped.len()
            );
        }
        for t in &self.tables {
            for skip in t.skipped.iter().take(50) {
                let _ = writeln!(
                    out,
                    "skipped {} {} (column {}): {}",
                    t.table, skip.key, skip.column, skip.reason
                );
            }
            if t.skipped.len() > 50 {
                let _ = writeln!(
                    out,
                    "… and {} more skipped rows in {}",
                    t.skipped.len() - 50,
                    t.table
                );
            }
            if !t.unknown_columns.is_empty() {
                let _ = writeln!(
                    out,
                    "unknown columns in {} (not imported): {}",
                    t.table,
                    t.unknown_columns.join(", ")
                );
            }
            if let Some(error) = &t.error {
                let _ = writeln!(out, "FAILED {}: {error}", t.table);
            }
        }
        for (name, rows) in &self.other_tables {
            let _ = writeln!(out, "not in the schema, not imported: {name} ({rows} rows)");
        }
        if self.rolled_back {
            let _ = writeln!(
                out,
                "nothing was written: the import runs in one transaction, rolled back on the failure above"
            );
        }
        if let Some(tables) = self.expect_matched {
            let _ = writeln!(out, "source row counts match --expect for {tables} tables");
        }
        if let Some(reason) = &self.partial {
            let _ = writeln!(
                out,
                "PARTIAL SOURCE (imported because of --allow-partial): {reason}"
            );
        }
        let secs = self.elapsed.as_secs_f64().max(1e-9);
        let _ = writeln!(
            out,
            "{} rows in {:.2} s ({:.0} rows/s); {}",
            self.rows(),
            secs,
            self.rows() as f64 / secs,
            match (self.complete(), &self.partial) {
                (true, None) => "every row accounted for",
                (true, Some(_)) => "every row of the partial source accounted for",
                (false, _) => "INCOMPLETE: see above",
            }
        );
        out
    }
}
