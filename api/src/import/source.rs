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
    /// The last id handed out per AUTOINCREMENT table (SQLite's `sqlite_sequence`), which
    /// can be past the largest id still present when rows were deleted.
    pub sequences: BTreeMap<String, i64>,
    /// Why the source may not hold the whole database (a dump cut short), if it may not.
    pub incomplete: Option<String>,
}

impl Source {
    /// Reads a `wrangler d1 export` or `sqlite3 .dump` SQL dump, or an SQLite database file.
    pub fn read(path: &Path) -> anyhow::Result<Self> {
        let mut header = [0u8; 16];
        let is_sqlite = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut header))
            .map(|()| &header == b"SQLite format 3\0")
            .unwrap_or(false);
        if is_sqlite {
            super::sqlite::read(path)
        } else {
            let bytes = std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read it: {e}"))?;
            match String::from_utf8(bytes) {
                Ok(text) => super::sql_dump::read(&text),
                // Valid up to a character cut in the middle at the very end: a file cut short.
                Err(e) if e.utf8_error().error_len().is_none() => {
                    let valid = e.utf8_error().valid_up_to();
                    let bytes = e.into_bytes();
                    let text = std::str::from_utf8(&bytes[..valid]).expect("valid up to here");
                    let mut source = super::sql_dump::read(text)?;
                    source.incomplete =
                        Some("the file ends inside a UTF-8 character: it is cut short".into());
                    Ok(source)
                }
                Err(_) => anyhow::bail!("neither an SQLite database nor an SQL dump (not UTF-8 text)"),
            }
        }
    }
}
