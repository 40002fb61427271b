//! Writes a D1-style export for tests and the import benchmark.
//!
//!   cargo run --release --example d1_dump -- USERS OUT.sql [OUT.sqlite]
//!
//! About six rows per user (users, readings, transactions, rewards, streaks, …).

mod generator;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let users: usize = args
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| anyhow::anyhow!("usage: d1_dump USERS OUT.sql [OUT.sqlite]"))?;
    let sql_path = args
        .next()
        .ok_or_else(|| anyhow::anyhow!("usage: d1_dump USERS OUT.sql [OUT.sqlite]"))?;
    let dataset = generator::generate(users);
    std::fs::write(&sql_path, generator::to_sql(&dataset))?;
    if let Some(sqlite_path) = args.next() {
        generator::to_sqlite(&dataset, std::path::Path::new(&sqlite_path))?;
    }
    println!("{} rows", dataset.rows());
    Ok(())
}
