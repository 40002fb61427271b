//! What `neptu-api migrate status` reports: the embedded migrations against the migrator's
//! bookkeeping table, without changing anything.
//!
//! The comparison is the one `sqlx::migrate!` makes before it applies anything (a checksum
//! that differs, or a version it does not know, makes `migrate` refuse), so `status` tells an
//! operator beforehand what `migrate` would do or why it would stop.

use sqlx::PgExecutor;
use sqlx::migrate::Migration;

use super::MIGRATOR;

/// One row of the migrator's table (`_sqlx_migrations`, sqlx's default name, which
/// `MIGRATOR` keeps).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AppliedMigration {
    pub version: i64,
    pub description: String,
    pub success: bool,
    pub checksum: Vec<u8>,
}

/// Where one migration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MigrationState {
    /// Applied, with the checksum of the embedded file.
    Applied,
    /// Embedded and not applied yet: `migrate` would apply it.
    Pending,
    /// Applied, but from a file whose contents differ from the embedded one.
    ChecksumMismatch,
    /// Started and not finished (`success = false`): `migrate` refuses until a person fixes it.
    Failed,
    /// Applied in the database, unknown to this binary (a newer release applied it).
    Unknown,
}

impl MigrationState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Pending => "pending",
            Self::ChecksumMismatch => "checksum-mismatch",
            Self::Failed => "failed",
            Self::Unknown => "unknown",
        }
    }

    /// Everything but a cleanly applied migration needs attention.
    pub fn is_problem(self) -> bool {
        self != Self::Applied
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub version: i64,
    pub description: String,
    pub state: MigrationState,
}

impl MigrationStatus {
    /// One line saying what is wrong, for a problem state.
    pub fn problem(&self) -> Option<String> {
        let what = format!("migration {} ({})", self.version, self.description);
        let line = match self.state {
            MigrationState::Applied => return None,
            MigrationState::Pending => format!("{what} is pending (run `neptu-api migrate`)"),
            MigrationState::ChecksumMismatch => format!(
                "{what} was applied from a different file: its checksum in the database differs from this binary's (the migration was edited after it was applied)"
            ),
            MigrationState::Failed => format!(
                "{what} failed part-way (success = false in _sqlx_migrations); `migrate` refuses until it is repaired by hand"
            ),
            MigrationState::Unknown => format!(
                "{what} is applied in the database but unknown to this binary (applied by a newer release?)"
            ),
        };
        Some(line)
    }
}

/// The migrator's rows, oldest first; none when the table does not exist yet.
pub async fn applied_migrations(db: impl PgExecutor<'_>) -> Result<Vec<AppliedMigration>, sqlx::Error> {
    sqlx::query_as("SELECT version, description, success, checksum FROM _sqlx_migrations ORDER BY version")
        .fetch_all(db)
        .await
        .or_else(|e| match &e {
            // undefined_table: nothing was ever applied.
            sqlx::Error::Database(db) if db.code().as_deref() == Some("42P01") => Ok(Vec::new()),
            _ => Err(e),
        })
}

/// Every embedded migration and every applied one, by version.
pub async fn status(db: impl PgExecutor<'_>) -> Result<Vec<MigrationStatus>, sqlx::Error> {
    let applied = applied_migrations(db).await?;
    Ok(compare(MIGRATOR.iter(), &applied))
}

/// The comparison itself, apart from the database so it can be tested on its own.
pub fn compare<'a>(
    embedded: impl IntoIterator<Item = &'a Migration>,
    applied: &[AppliedMigration],
) -> Vec<MigrationStatus> {
    let embedded: Vec<&Migration> = embedded
        .into_iter()
        .filter(|m| !m.migration_type.is_down_migration())
        .collect();
    let mut out: Vec<MigrationStatus> = embedded
        .iter()
        .map(|m| {
            let state = match applied.iter().find(|a| a.version == m.version) {
                None => MigrationState::Pending,
                Some(a) if !a.success => MigrationState::Failed,
                Some(a) if a.checksum != *m.checksum => MigrationState::ChecksumMismatch,
                Some(_) => MigrationState::Applied,
            };
            MigrationStatus {
                version: m.version,
                description: m.description.to_string(),
                state,
            }
        })
        .collect();
    out.extend(
        applied
            .iter()
            .filter(|a| !embedded.iter().any(|m| m.version == a.version))
            .map(|a| MigrationStatus {
                version: a.version,
                description: a.description.clone(),
                state: if a.success {
                    MigrationState::Unknown
                } else {
                    MigrationState::Failed
                },
            }),
    );
    out.sort_by_key(|s| s.version);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(m: &Migration) -> AppliedMigration {
        AppliedMigration {
            version: m.version,
            description: m.description.to_string(),
            success: true,
            checksum: m.checksum.to_vec(),
        }
    }

    fn states(list: &[MigrationStatus]) -> Vec<(i64, MigrationState)> {
        list.iter().map(|s| (s.version, s.state)).collect()
    }

    #[test]
    fn compares_every_case() {
        let embedded: Vec<&Migration> = MIGRATOR.iter().collect();
        assert!(embedded.len() >= 3, "the tree has migrations");
        let (first, second, last) = (embedded[0], embedded[1], embedded[embedded.len() - 1]);

        let all: Vec<_> = embedded.iter().map(|m| applied(m)).collect();
        let clean = compare(embedded.iter().copied(), &all);
        assert!(clean.iter().all(|s| s.state == MigrationState::Applied));
        assert!(clean.iter().all(|s| s.problem().is_none()));

        let mut rows: Vec<_> = all[..all.len() - 1].to_vec();
        rows[0].checksum = vec![0; 48];
        rows[1].success = false;
        rows.push(AppliedMigration {
            version: 99_990_101_000_000,
            description: "from the future".into(),
            success: true,
            checksum: vec![1],
        });
        let got = compare(embedded.iter().copied(), &rows);
        let got_states = states(&got);
        assert_eq!(got_states[0], (first.version, MigrationState::ChecksumMismatch));
        assert_eq!(got_states[1], (second.version, MigrationState::Failed));
        assert!(got_states.contains(&(last.version, MigrationState::Pending)));
        assert_eq!(
            got_states.last(),
            Some(&(99_990_101_000_000, MigrationState::Unknown))
        );
        assert_eq!(got.len(), embedded.len() + 1);
        let unknown = got.last().unwrap().problem().unwrap();
        assert!(unknown.contains("99990101000000 (from the future)"), "{unknown}");
        assert!(!unknown.contains('\n'));
    }
}
