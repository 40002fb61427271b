//! Reads the SQL text of an export — `wrangler d1 export` (old and new formats) or SQLite's
//! `.dump` — by executing it, statement by statement, into a private temporary SQLite database
//! and reading that back like a downloaded `.sqlite` file. SQLite itself therefore decides
//! what every literal means (`replace(…)`, `char(…)`, `unistr(…)`, `X'…'`, column affinity).
//!
//! A dump carries no row count, so a file cut short would otherwise import as a smaller
//! database. What an export's last statement looks like is known, and anything else marks the
//! source as incomplete (see `ending`):
//! * `sqlite3 .dump` wraps everything in `BEGIN TRANSACTION; … COMMIT;`;
//! * a D1 export ends with the rest of the schema (`CREATE INDEX|TRIGGER|VIEW`) or, without
//!   any, with the `sqlite_sequence` section (`DELETE FROM sqlite_sequence;` and its rows);
//! * a last statement without its `;` (or an unterminated string) is never complete.

use std::collections::BTreeSet;

use rusqlite::Connection;

use super::source::Source;

/// One statement of the dump, without its `;`.
#[derive(Debug, PartialEq)]
struct Statement<'a> {
    text: &'a str,
    line: usize,
}

/// The statements, and the text after the last `;` when it is more than blanks and comments
/// (a statement cut short), with its line.
fn split(text: &str) -> (Vec<Statement<'_>>, Option<usize>) {
    let bytes = text.as_bytes();
    let mut statements = Vec::new();
    let mut start = 0;
    let mut line = 1;
    let mut start_line = 1;
    // Words of the current statement: the first few (to spot CREATE TRIGGER) and the last
    // (as a range, as most statements are long INSERTs).
    let mut first_words: Vec<String> = Vec::new();
    let mut last_word = 0..0;
    let mut has_code = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if b == b'[' { b']' } else { b };
                if !has_code {
                    start_line = line;
                    start = i;
                }
                has_code = true;
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return (statements, Some(start_line)),
                        Some(&c) if c == close => {
                            // A doubled quote is an escaped one; `]` has no escape.
                            if close != b']' && bytes.get(i + 1) == Some(&close) {
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                        Some(&c) => {
                            if c == b'\n' {
                                line += 1;
                            }
                            i += 1;
                        }
                    }
                }
                last_word = 0..0;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => match text[i + 2..].find("*/") {
                Some(end) => {
                    line += text[i..i + 2 + end].matches('\n').count();
                    i += end + 4;
                }
                None if has_code => return (statements, Some(start_line)),
                // A comment left open at the very end holds no statement.
                None => break,
            },
            b';' => {
                // Inside CREATE TRIGGER … BEGIN … END, only the `;` after END closes it.
                let trigger = first_words.first().is_some_and(|w| w == "CREATE")
                    && first_words.iter().any(|w| w == "TRIGGER");
                if !trigger || text[last_word.clone()].eq_ignore_ascii_case("END") {
                    if has_code {
                        statements.push(Statement {
                            text: text[start..i].trim(),
                            line: start_line,
                        });
                    }
                    has_code = false;
                    first_words.clear();
                    start = i + 1;
                }
                last_word = 0..0;
                i += 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'_' => {
                let begin = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                if !has_code {
                    start_line = line;
                    // The statement starts here: drop the blanks and comments before it.
                    start = begin;
                }
                has_code = true;
                last_word = begin..i;
                if first_words.len() < 3 {
                    first_words.push(text[begin..i].to_ascii_uppercase());
                }
            }
            c => {
                if !c.is_ascii_whitespace() {
                    if !has_code {
                        start_line = line;
                        start = i;
                    }
                    has_code = true;
                    last_word = 0..0;
                }
                i += 1;
            }
        }
    }
    (statements, has_code.then_some(start_line))
}

/// What a statement is, as far as telling the dump's shape goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Begin,
    Commit,
    Rollback,
    /// `DELETE FROM sqlite_sequence`, `INSERT INTO sqlite_sequence …`, `CREATE INDEX|TRIGGER|VIEW`.
    Tail,
    /// `CREATE TABLE sqlite_sequence`, which SQLite makes itself.
    SequenceTable,
    Other,
}

fn kind(statement: &str) -> Kind {
    let words: Vec<String> = statement
        .split(|c: char| c.is_whitespace() || c == '(')
        .filter(|w| !w.is_empty())
        .take(4)
        .map(|w| w.trim_matches(['"', '`', '[', ']']).to_ascii_uppercase())
        .collect();
    let word = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    match word(0) {
        "BEGIN" => Kind::Begin,
        "COMMIT" | "END" => Kind::Commit,
        "ROLLBACK" => Kind::Rollback,
        "DELETE" | "INSERT" if word(2) == "SQLITE_SEQUENCE" => Kind::Tail,
        "CREATE" if word(1) == "TABLE" && word(2) == "SQLITE_SEQUENCE" => Kind::SequenceTable,
        "CREATE" if ["INDEX", "TRIGGER", "VIEW"].contains(&word(1)) => Kind::Tail,
        "CREATE"
            if ["UNIQUE", "TEMP", "TEMPORARY"].contains(&word(1))
                && ["INDEX", "TRIGGER", "VIEW"].contains(&word(2)) =>
        {
            Kind::Tail
        }
        _ => Kind::Other,
    }
}

/// Why the dump is not known to be whole, if it is not.
fn ending(statements: &[Statement<'_>], cut_at: Option<usize>) -> Option<String> {
    if let Some(line) = cut_at {
        return Some(format!(
            "the dump ends inside a statement (line {line}): it is cut short"
        ));
    }
    let kinds: Vec<Kind> = statements.iter().map(|s| kind(s.text)).collect();
    let last = kinds.last().copied();
    if kinds.contains(&Kind::Begin) {
        return match last {
            Some(Kind::Commit) => None,
            Some(Kind::Rollback) => {
                Some("the dump ends with ROLLBACK: sqlite3 met errors while writing it".into())
            }
            _ => Some(
                "the dump opens a transaction (sqlite3 .dump) but does not end with COMMIT: it is cut short"
                    .into(),
            ),
        };
    }
    match last {
        Some(Kind::Tail) => None,
        _ => Some(
            "the dump does not end the way an export does (COMMIT; after sqlite3 .dump, the \
             indexes or sqlite_sequence after a D1 export's data): it may be cut short"
                .into(),
        ),
    }
}

/// Executes the dump and reads the database it builds.
pub fn read(text: &str) -> anyhow::Result<Source> {
    let (mut statements, cut_at) = split(text);
    let mut incomplete = ending(&statements, cut_at);
    if statements.is_empty() && cut_at.is_some() {
        // Not one whole statement: let SQLite say what the text is (usually not SQL at all).
        statements.push(Statement {
            text: text.trim(),
            line: 1,
        });
    }
    // A private temporary database: on disk only when it outgrows its cache.
    let db = Connection::open("")?;
    db.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;
         PRAGMA foreign_keys = OFF;
         -- sqlite_sequence exists once any AUTOINCREMENT table has: a dump only fills it.
         CREATE TABLE neptu_import_probe (id INTEGER PRIMARY KEY AUTOINCREMENT);
         DROP TABLE neptu_import_probe;
         BEGIN;",
    )?;
    for statement in &statements {
        // The dump's own transaction control would end ours; its shape was read above.
        // So is creating sqlite_sequence, which exists already.
        if matches!(
            kind(statement.text),
            Kind::Begin | Kind::Commit | Kind::Rollback | Kind::SequenceTable
        ) {
            continue;
        }
        db.execute_batch(statement.text).map_err(|e| {
            anyhow::anyhow!(
                "SQL dump, line {}: {} (in: {})",
                statement.line,
                one_line(&e.to_string()),
                excerpt(statement.text)
            )
        })?;
    }
    db.execute_batch("COMMIT")?;
    let mut source = super::sqlite::read_connection(&db)?;
    if incomplete.is_none() {
        incomplete = missing_sequences(&db, &source)?;
    }
    source.incomplete = incomplete;
    Ok(source)
}

/// A D1 export writes sqlite_sequence last: an AUTOINCREMENT table holding rows but without
/// its sequence row means the file stops inside that section.
fn missing_sequences(db: &Connection, source: &Source) -> anyhow::Result<Option<String>> {
    let autoincrement: BTreeSet<String> = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%AUTOINCREMENT%' AND name <> 'sqlite_sequence'")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let missing: Vec<&str> = autoincrement
        .iter()
        .filter(|name| source.tables.get(*name).is_some_and(|t| !t.rows.is_empty()))
        .filter(|name| !source.sequences.contains_key(*name))
        .map(String::as_str)
        .collect();
    Ok((!missing.is_empty()).then(|| {
        format!(
            "sqlite_sequence has no row for {}: the dump is cut short",
            missing.join(", ")
        )
    }))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn excerpt(statement: &str) -> String {
    let flat = one_line(statement);
    match flat.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

#[cfg(test)]
mod tests;
