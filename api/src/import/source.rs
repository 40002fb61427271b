//! What an export holds, whatever its format: tables of SQLite values.

use std::collections::BTreeMap;
use std::path::Path;

/// A value as SQLite stores it (its five storage classes).
#[derive(Debug, Clone, PartialEq)]
pub enum SourceValue {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

#[derive(Debug, Clone, Default)]
pub struct SourceTable {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<SourceValue>>,
}

impl SourceTable {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// Every table of an export, by name.
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub tables: BTreeMap<String, SourceTable>,
}

impl Source {
    /// Reads a `wrangler d1 export` SQL dump (`.sql`) or an SQLite database file.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let mut header = [0u8; 16];
        let is_sqlite = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .map(|()| &header == b"SQLite format 3\0")
            .unwrap_or(false);
        if is_sqlite {
            super::sqlite::read(path)
        } else {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
            super::sql_dump::parse(&text)
        }
    }
}
