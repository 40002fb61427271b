//! Command-line interface.

use clap::{Parser, Subcommand};

/// The Neptu HTTP API. Configuration comes from the environment (see the README).
#[derive(Debug, Parser)]
#[command(name = "neptu-api", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Serve HTTP (the default); applies pending migrations first unless RUN_MIGRATIONS=false.
    Serve,
    /// Apply pending migrations and exit. Safe to run from several processes at once.
    Migrate {
        #[command(subcommand)]
        action: Option<MigrateAction>,
        /// Create the database named in DATABASE_URL first if it does not exist.
        #[arg(long)]
        create_database: bool,
    },
    /// Insert a small demo dataset (idempotent).
    SeedDemo,
    /// Import a Cloudflare D1 database (`wrangler d1 export` or `sqlite3 .dump` SQL, or an
    /// SQLite file).
    ImportD1 {
        /// The export to read.
        #[arg(long)]
        from: std::path::PathBuf,
        /// Empty the target tables first, in the import's transaction (otherwise a non-empty
        /// target is refused).
        #[arg(long)]
        truncate: bool,
        /// Read, convert and check only; write nothing. Needs no database or DATABASE_URL.
        #[arg(long)]
        dry_run: bool,
        /// Import a dump that does not end the way an export does (it may be cut short).
        #[arg(long)]
        allow_partial: bool,
        /// A JSON file of table name to row count in the source database
        /// (`{"users": 1234, …}`); any difference refuses the import.
        #[arg(long, value_name = "COUNTS.json")]
        expect: Option<std::path::PathBuf>,
    },
    /// Import the original backend's Postgres database (read only, one snapshot).
    ImportPg {
        /// The source database's URL, e.g. postgres://user:password@host:5432/neptu.
        #[arg(long)]
        from: String,
        /// Give up connecting to the source after this many seconds.
        #[arg(long, default_value_t = 10)]
        connect_timeout_secs: u64,
        /// Empty the target tables first (otherwise a non-empty target is refused).
        #[arg(long)]
        truncate: bool,
        /// Read and convert only; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Dump the database (pg_dump custom format), check the dump, store it and delete dumps
    /// older than BACKUP_KEEP_DAYS.
    Backup {
        /// A directory or s3://bucket/prefix (default: BACKUP_TO).
        #[arg(long)]
        to: Option<String>,
    },
    /// Check that a dump file is a readable backup (pg_restore --list); needs no database.
    BackupVerify {
        /// The dump file.
        file: std::path::PathBuf,
    },
    /// Exit 0 when the local server answers `GET /health` with 200 (container HEALTHCHECK).
    Healthcheck,
    /// Development only: print an access token for WALLET (creating its user), to call the
    /// API without signing a message. Refused when ENVIRONMENT=production.
    DevToken {
        /// The wallet address (base58).
        wallet: String,
    },
}

#[derive(Debug, Clone, Subcommand)]
pub enum MigrateAction {
    /// List applied and pending migrations; exit 1 with one line per problem (pending,
    /// checksum differing from the file, failed, or applied but unknown to this binary).
    Status,
}
