//! Generates D1-style exports of the original service's tables, full of the edge cases an
//! import must survive: NULLs, unicode, quotes and newlines inside strings, both date-time
//! formats, JSON stored as text and as a string inside a string, 0/1 booleans, `is_admin`
//! instead of `role`, columns missing from old exports, an unknown column and table, and
//! gaps in autoincrement ids. Deterministic: the same scale gives the same bytes.

#![allow(dead_code)]

use std::fmt::Write as _;

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct GenTable {
    pub name: &'static str,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Val>>,
}

impl GenTable {
    pub fn get(&self, row: &[Val], column: &str) -> Val {
        let i = self
            .columns
            .iter()
            .position(|c| *c == column)
            .expect("known column");
        row[i].clone()
    }
}

#[derive(Debug, Clone)]
pub struct Dataset {
    pub tables: Vec<GenTable>,
}

impl Dataset {
    pub fn table(&self, name: &str) -> &GenTable {
        self.tables.iter().find(|t| t.name == name).expect("known table")
    }

    pub fn rows(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }
}

/// A small deterministic generator (64-bit LCG), enough for test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn uuid(kind: u8, n: usize) -> String {
    format!(
        "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        n as u32,
        kind as u16 * 16 + 1,
        kind,
        n % 4096,
        n as u64 * 7919
    )
}

fn text(s: impl Into<String>) -> Val {
    Val::Text(s.into())
}

fn sqlite_datetime(day: i64, second: i64) -> String {
    let at = chrono::DateTime::from_timestamp(1_767_225_600 + day * 86_400 + second, 0).expect("valid time");
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn iso(day: i64, millis: i64) -> String {
    let at = chrono::DateTime::from_timestamp_millis(1_767_225_600_000 + day * 86_400_000 + millis)
        .expect("valid time");
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

const NAMES: &[&str] = &[
    "Made",
    "O'Brien",
    "Ñyoman ☀️",
    "line one\nline two",
    "quote \"double\"",
    "多多",
    "  ",
    "back\\slash",
];
const INTERESTS: &[&str] = &["love", "career", "crypto", "luck", "spirituality"];

/// Builds a dataset with about `users` × 6 rows.
pub fn generate(users: usize) -> Dataset {
    let mut rng = Rng(0x5eed);
    let mut tables = Vec::new();

    let user_ids: Vec<String> = (0..users).map(|i| uuid(1, i)).collect();
    let mut t = GenTable {
        name: "users",
        columns: vec![
            "id",
            "wallet_address",
            "email",
            "display_name",
            "birth_date",
            "interests",
            "onboarded",
            "is_admin",
            "created_at",
            "updated_at",
            "legacy_flag",
        ],
        rows: vec![],
    };
    for (i, id) in user_ids.iter().enumerate() {
        let interests = match i % 4 {
            0 => Val::Null,
            1 => text(format!(
                "[\"{}\",\"{}\"]",
                INTERESTS[i % 5],
                INTERESTS[(i + 1) % 5]
            )),
            // Stored the way the original's services wrote it: JSON text inside a JSON string.
            2 => text(serde_json::to_string(&format!("[\"{}\"]", INTERESTS[i % 5])).expect("string")),
            _ => text("[]"),
        };
        t.rows.push(vec![
            text(id.clone()),
            text(format!("Wa11et{i:0>38}")),
            if i % 3 == 0 {
                Val::Null
            } else {
                text(format!("user{i}@example.com"))
            },
            match NAMES[i % NAMES.len()] {
                _ if i % 5 == 0 => Val::Null,
                // A blank name: imported as no name at all.
                blank if blank.trim().is_empty() => text(blank),
                name => text(format!("{name} {i}")),
            },
            if i % 7 == 0 {
                Val::Null
            } else {
                text(format!(
                    "19{:02}-{:02}-{:02}",
                    50 + i % 50,
                    1 + i % 12,
                    1 + i % 28
                ))
            },
            interests,
            Val::Int((i % 2) as i64),
            Val::Int((i % 97 == 0) as i64),
            text(sqlite_datetime(i as i64 % 60, i as i64)),
            text(iso(i as i64 % 60, i as i64 * 13)),
            Val::Int(i as i64),
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "readings",
        columns: vec![
            "id",
            "user_id",
            "type",
            "target_date",
            "birth_date",
            "birth_date_2",
            "reading_data",
            "tx_signature",
            "created_at",
        ],
        rows: vec![],
    };
    for r in 0..users * 5 / 2 {
        let kind = ["potensi", "peluang", "compatibility"][r % 3];
        let data =
            serde_json::json!({ "n": r, "wuku": "SINTA", "note": "ü'\n\"", "nested": { "urip": r % 18 } })
                .to_string();
        t.rows.push(vec![
            text(uuid(2, r)),
            text(user_ids[rng.below(users as u64) as usize].clone()),
            text(kind),
            text(format!("2026-{:02}-{:02}", 1 + r % 12, 1 + r % 28)),
            text("1990-05-15"),
            if kind == "compatibility" {
                text("1992-11-03")
            } else {
                Val::Null
            },
            if r % 2 == 0 {
                text(data.clone())
            } else {
                text(serde_json::to_string(&data).expect("string"))
            },
            if r % 10 == 0 {
                text(format!("sig{r:0>80}"))
            } else {
                Val::Null
            },
            text(sqlite_datetime(r as i64 % 90, r as i64)),
        ]);
    }
    tables.push(t);

    // An old export: no sudigital_amount column yet.
    let mut t = GenTable {
        name: "token_transactions",
        columns: vec![
            "id",
            "user_id",
            "tx_signature",
            "transaction_type",
            "reading_type",
            "sol_amount",
            "neptu_amount",
            "neptu_burned",
            "neptu_rewarded",
            "status",
            "created_at",
            "confirmed_at",
        ],
        rows: vec![],
    };
    for n in 0..users / 2 {
        let sol = n % 2 == 0;
        t.rows.push(vec![
            text(uuid(3, n)),
            text(user_ids[n % users].clone()),
            text(format!("TxSig{n:0>80}")),
            text(if sol { "sol_payment" } else { "neptu_payment" }),
            text(["POTENSI", "PELUANG", "AI_CHAT", "COMPATIBILITY"][n % 4]),
            if sol {
                Val::Real([0.01, 0.001, 0.002, 0.005][n % 4])
            } else {
                Val::Null
            },
            if sol { Val::Null } else { Val::Real(10.0) },
            if sol { Val::Null } else { Val::Real(5.0) },
            if sol { Val::Real(10.0) } else { Val::Null },
            text("confirmed"),
            text(sqlite_datetime(n as i64 % 30, n as i64)),
            text(iso(n as i64 % 30, n as i64 + 500)),
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "user_rewards",
        columns: vec![
            "id",
            "user_id",
            "reward_type",
            "neptu_amount",
            "status",
            "description",
            "claim_tx_signature",
            "expires_at",
            "created_at",
            "claimed_at",
        ],
        rows: vec![],
    };
    for n in 0..users * 3 / 4 {
        let claimed = n % 3 == 0;
        t.rows.push(vec![
            text(uuid(4, n)),
            text(user_ids[n % users].clone()),
            text(if n % 7 == 0 {
                "streak_bonus"
            } else {
                "daily_check_in"
            }),
            Val::Real(if n % 7 == 0 { 1.0 } else { 0.1 }),
            text(if claimed { "claimed" } else { "pending" }),
            if n % 2 == 0 {
                text("Daily check-in reward")
            } else {
                Val::Null
            },
            if claimed {
                text(format!("Claim{n:0>70}"))
            } else {
                Val::Null
            },
            Val::Null,
            text(sqlite_datetime(n as i64 % 30, n as i64)),
            if claimed {
                text(iso(n as i64 % 30, 1_000))
            } else {
                Val::Null
            },
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "user_streaks",
        columns: vec![
            "id",
            "user_id",
            "current_streak",
            "longest_streak",
            "last_check_in",
            "total_check_ins",
            "created_at",
            "updated_at",
        ],
        rows: vec![],
    };
    for (n, user) in user_ids.iter().enumerate().step_by(2) {
        let current = (n % 9) as i64;
        t.rows.push(vec![
            text(uuid(5, n)),
            text(user.clone()),
            Val::Int(current),
            Val::Int(current + (n % 4) as i64),
            if current == 0 {
                Val::Null
            } else {
                text(iso(n as i64 % 20, 42))
            },
            Val::Int(current * 3),
            text(sqlite_datetime(0, n as i64)),
            text(sqlite_datetime(1, n as i64)),
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "referrals",
        columns: vec![
            "id",
            "referrer_id",
            "referee_id",
            "referrer_reward_amount",
            "referee_reward_amount",
            "referrer_reward_paid",
            "referee_reward_paid",
            "referrer_reward_tx_signature",
            "referee_reward_tx_signature",
            "created_at",
            "completed_at",
        ],
        rows: vec![],
    };
    for n in 1..users / 7 {
        let paid = n % 2 == 0;
        t.rows.push(vec![
            text(uuid(6, n)),
            text(user_ids[0].clone()),
            text(user_ids[n].clone()),
            Val::Real(10.0),
            Val::Real(2.0),
            text(if paid { "paid" } else { "pending" }),
            text(if paid { "paid" } else { "pending" }),
            if paid { text(format!("RefA{n}")) } else { Val::Null },
            if paid { text(format!("RefB{n}")) } else { Val::Null },
            text(sqlite_datetime(2, n as i64)),
            if paid { text(iso(3, n as i64)) } else { Val::Null },
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "payments",
        columns: vec![
            "id",
            "user_id",
            "reading_id",
            "payment_type",
            "amount",
            "neptu_reward",
            "neptu_burned",
            "tx_signature",
            "status",
            "created_at",
            "confirmed_at",
        ],
        rows: vec![],
    };
    for n in 0..users / 7 {
        t.rows.push(vec![
            text(uuid(7, n)),
            text(user_ids[n % users].clone()),
            if n % 2 == 0 { text(uuid(2, n)) } else { Val::Null },
            text(if n % 2 == 0 { "sol" } else { "neptu" }),
            Val::Real(if n % 2 == 0 { 0.01 } else { 10.0 }),
            Val::Real(10.0),
            Val::Null,
            text(format!("PaySig{n:0>80}")),
            text("confirmed"),
            text(sqlite_datetime(4, n as i64)),
            text(iso(4, n as i64)),
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "daily_readings",
        columns: vec!["date", "type", "reading_data", "created_at"],
        rows: vec![],
    };
    for d in 0..30 {
        t.rows.push(vec![
            text(format!("2026-03-{:02}", d + 1)),
            text("peluang"),
            text(serde_json::to_string(&serde_json::json!({ "day": d }).to_string()).expect("string")),
            text(sqlite_datetime(d, 0)),
        ]);
    }
    tables.push(t);

    // An old export: no price_sudigital column yet.
    let mut t = GenTable {
        name: "pricing_plans",
        columns: vec![
            "id",
            "name",
            "slug",
            "description",
            "price_usd",
            "price_sol",
            "price_neptu",
            "features",
            "limits",
            "is_active",
            "is_popular",
            "sort_order",
            "created_at",
            "updated_at",
        ],
        rows: vec![],
    };
    for (n, (name, price)) in [("Free", 0.0), ("Basic", 9.99), ("Premium", 24.99)]
        .iter()
        .enumerate()
    {
        t.rows.push(vec![
            text(uuid(8, n)),
            text(*name),
            text(name.to_lowercase()),
            if n == 0 { Val::Null } else { text(format!("The {name} plan — it's good")) },
            Val::Real(*price),
            Val::Null,
            Val::Null,
            text(r#"["Daily reading","Oracle"]"#),
            text(r#"{"dailyReadings":-1,"oracleChats":5,"customReadings":0,"advancedInsights":false,"prioritySupport":false}"#),
            Val::Int(1),
            Val::Int((n == 1) as i64),
            Val::Int(n as i64),
            text(sqlite_datetime(0, 0)),
            text(sqlite_datetime(0, 0)),
        ]);
    }
    tables.push(t);

    let coins = [
        "bitcoin",
        "ethereum",
        "solana",
        "bnb",
        "xrp",
        "cardano",
        "dogecoin",
        "tron",
        "polkadot",
        "chainlink",
        "avalanche-2",
        "litecoin",
        "uniswap",
    ];
    let mut t = GenTable {
        name: "crypto_market",
        columns: vec![
            "id",
            "symbol",
            "name",
            "image",
            "current_price",
            "market_cap",
            "market_cap_rank",
            "ath",
            "ath_date",
            "last_updated",
            "fetched_at",
        ],
        rows: vec![],
    };
    for (n, coin) in coins.iter().enumerate() {
        t.rows.push(vec![
            text(*coin),
            text(coin[..3].to_uppercase()),
            text(coin.to_string()),
            Val::Null,
            Val::Real(1000.5 / (n + 1) as f64),
            Val::Real(1.5e12 / (n + 1) as f64),
            Val::Int(n as i64 + 1),
            Val::Real(69_000.0),
            text("2021-11-10T14:24:11.849Z"),
            text(iso(5, n as i64)),
            text(sqlite_datetime(5, n as i64)),
        ]);
    }
    tables.push(t);

    let mut t = GenTable {
        name: "crypto_market_history",
        columns: vec![
            "id",
            "coin_id",
            "symbol",
            "current_price",
            "market_cap",
            "market_cap_rank",
            "total_volume",
            "price_change_24h",
            "price_change_percentage_24h",
            "recorded_at",
        ],
        rows: vec![],
    };
    for n in 0..users / 2 {
        // Ids with gaps, as left by the 7-day retention.
        let id = 1_000 + n as i64 * 3;
        t.rows.push(vec![
            Val::Int(id),
            text(coins[n % coins.len()]),
            text(coins[n % coins.len()][..3].to_uppercase()),
            Val::Real(100.0 + n as f64 * 0.25),
            Val::Null,
            Val::Int((n % 13) as i64 + 1),
            Val::Real(5.0e9),
            Val::Real(-1.5),
            Val::Real(-0.0125),
            text(sqlite_datetime(6, n as i64)),
        ]);
    }
    tables.push(t);

    tables.push(GenTable {
        name: "d1_migrations",
        columns: vec!["id", "name", "applied_at"],
        rows: vec![vec![
            Val::Int(1),
            text("0000_absent_tigra.sql"),
            text(sqlite_datetime(0, 0)),
        ]],
    });
    Dataset { tables }
}

fn sql_literal(v: &Val, out: &mut String, newline_style: bool) {
    match v {
        Val::Null => out.push_str("NULL"),
        Val::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Val::Real(r) => {
            let _ = write!(out, "{r:?}");
        }
        Val::Text(t) => {
            let escaped = t.replace('\'', "''");
            if newline_style && t.contains('\n') {
                // How sqlite3 .dump writes strings with newlines.
                let _ = write!(out, "replace('{}','\\n',char(10))", escaped.replace('\n', "\\n"));
            } else {
                let _ = write!(out, "'{escaped}'");
            }
        }
    }
}

/// The last history id the source handed out: past the largest kept, as rows were deleted.
pub const HISTORY_SEQUENCE: i64 = 99_999;

/// The dump as `wrangler d1 export` writes it (alternating INSERT styles to cover both).
pub fn to_sql(dataset: &Dataset) -> String {
    let mut out = String::from("PRAGMA defer_foreign_keys=TRUE;\n");
    for table in &dataset.tables {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| match (table.name, *c) {
                // As in the D1 schema: the one AUTOINCREMENT table.
                ("crypto_market_history", "id") => format!("`{c}` integer PRIMARY KEY AUTOINCREMENT"),
                _ => format!("`{c}` text"),
            })
            .collect();
        let _ = writeln!(
            out,
            "CREATE TABLE IF NOT EXISTS `{}` (\n  {}\n);",
            table.name,
            columns.join(",\n  ")
        );
        for (i, row) in table.rows.iter().enumerate() {
            if i % 2 == 0 {
                let _ = write!(out, "INSERT INTO \"{}\" VALUES(", table.name);
            } else {
                let list: Vec<String> = table.columns.iter().map(|c| format!("\"{c}\"")).collect();
                let _ = write!(out, "INSERT INTO \"{}\" ({}) VALUES(", table.name, list.join(","));
            }
            for (j, value) in row.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                sql_literal(value, &mut out, i % 3 == 0);
            }
            out.push_str(");\n");
        }
    }
    let _ = writeln!(
        out,
        "DELETE FROM sqlite_sequence;\nINSERT INTO \"sqlite_sequence\" VALUES('crypto_market_history',{HISTORY_SEQUENCE});"
    );
    out
}

/// The same data as an SQLite database file.
pub fn to_sqlite(dataset: &Dataset, path: &std::path::Path) -> rusqlite::Result<()> {
    let _ = std::fs::remove_file(path);
    let mut db = rusqlite::Connection::open(path)?;
    let tx = db.transaction()?;
    for table in &dataset.tables {
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| match (table.name, *c) {
                ("crypto_market_history", "id") => format!("\"{c}\" INTEGER PRIMARY KEY AUTOINCREMENT"),
                _ => format!("\"{c}\""),
            })
            .collect();
        tx.execute_batch(&format!(
            "CREATE TABLE \"{}\" ({})",
            table.name,
            columns.join(", ")
        ))?;
        let marks = vec!["?"; table.columns.len()].join(", ");
        let mut insert = tx.prepare(&format!("INSERT INTO \"{}\" VALUES ({marks})", table.name))?;
        for row in &table.rows {
            let values: Vec<rusqlite::types::Value> = row
                .iter()
                .map(|v| match v {
                    Val::Null => rusqlite::types::Value::Null,
                    Val::Int(i) => rusqlite::types::Value::Integer(*i),
                    Val::Real(r) => rusqlite::types::Value::Real(*r),
                    Val::Text(t) => rusqlite::types::Value::Text(t.clone()),
                })
                .collect();
            insert.execute(rusqlite::params_from_iter(values))?;
        }
    }
    tx.execute(
        "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'crypto_market_history'",
        [HISTORY_SEQUENCE],
    )?;
    tx.commit()
}
