//! The D1 import never reports success for a partial or wrong import: dumps cut short, inputs
//! holding nothing of ours, counts that differ from the source's, a failing table under
//! `--truncate`, rows that break a CHECK of the schema.

use std::collections::BTreeMap;
use std::path::PathBuf;

use generator::{Dataset, Val};
use neptu_api::import::{self, Options, Report};
use neptu_shared::testing::TestDatabase;

use super::import::generator;

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("neptu-import-{}-{name}", uuid::Uuid::new_v4().simple()))
}

fn write(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = temp(name);
    std::fs::write(&path, contents).unwrap();
    path
}

async fn try_import(db: &TestDatabase, options: Options<'_>) -> anyhow::Result<Report> {
    import::run(Some(&db.pool), &options).await
}

async fn count(db: &TestDatabase, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT count(*) FROM {table}")))
        .fetch_one(&db.pool)
        .await
        .unwrap()
}

fn set(dataset: &mut Dataset, table: &str, row: usize, column: &str, value: Val) {
    let t = dataset.tables.iter_mut().find(|t| t.name == table).unwrap();
    let i = t.columns.iter().position(|c| *c == column).unwrap();
    t.rows[row][i] = value;
}

fn counts(dataset: &Dataset) -> BTreeMap<String, usize> {
    dataset
        .tables
        .iter()
        .map(|t| (t.name.to_owned(), t.rows.len()))
        .collect()
}

#[tokio::test]
async fn a_dump_cut_short_is_refused_unless_allowed() {
    let dataset = generator::generate(60);
    let dump = generator::to_sql(&dataset);
    let db = TestDatabase::migrated().await;

    // Cut at a line boundary: every statement whole, the end of the export missing.
    let lines: Vec<&str> = dump.lines().collect();
    let at_line = write("line.sql", lines[..lines.len() / 2].join("\n") + "\n");
    // Cut after a row's `)`, before its `;`.
    let at_paren = write("paren.sql", &dump[..dump.rfind(");").unwrap() + 1]);
    for path in [&at_line, &at_paren] {
        for dry_run in [true, false] {
            let error = try_import(
                &db,
                Options {
                    dry_run,
                    ..Options::new(path)
                },
            )
            .await
            .unwrap_err()
            .to_string();
            assert!(
                error.contains("cut short") && error.contains("--allow-partial"),
                "{error}"
            );
        }
    }
    assert_eq!(count(&db, "users").await, 0, "nothing written");

    let report = try_import(
        &db,
        Options {
            allow_partial: true,
            ..Options::new(&at_line)
        },
    )
    .await
    .unwrap();
    let source_rows: usize = report.tables.iter().map(|t| t.source_rows).sum();
    assert!(
        source_rows < dataset.rows() - 1,
        "{source_rows} of {}",
        dataset.rows()
    );
    let rendered = report.render();
    assert!(rendered.contains("PARTIAL SOURCE"), "{rendered}");
    assert!(!rendered.contains("every row accounted for"), "{rendered}");
    for path in [at_line, at_paren] {
        std::fs::remove_file(path).unwrap();
    }
    db.drop_database().await;
}

#[tokio::test]
async fn expected_counts_are_compared_table_by_table() {
    let dataset = generator::generate(40);
    let dump = write("dump.sql", generator::to_sql(&dataset));
    let mut expected = counts(&dataset);
    let good = write("good.json", serde_json::to_string(&expected).unwrap());
    *expected.get_mut("readings").unwrap() += 1;
    expected.insert("sqlite_sequence".into(), 1);
    let bad = write("bad.json", serde_json::to_string(&expected).unwrap());
    let db = TestDatabase::migrated().await;

    let error = try_import(
        &db,
        Options {
            expect: Some(&bad),
            ..Options::new(&dump)
        },
    )
    .await
    .unwrap_err()
    .to_string();
    let readings = dataset.table("readings").rows.len();
    assert!(
        error.contains(&format!(
            "readings has {readings} rows, {} expected",
            readings + 1
        )),
        "{error}"
    );
    assert!(!error.contains("users has"), "only the mismatches: {error}");
    assert_eq!(count(&db, "users").await, 0, "nothing written");

    let report = try_import(
        &db,
        Options {
            expect: Some(&good),
            ..Options::new(&dump)
        },
    )
    .await
    .unwrap();
    assert!(report.complete(), "{}", report.render());
    assert_eq!(report.expect_matched, Some(dataset.tables.len()));
    for path in [dump, good, bad] {
        std::fs::remove_file(path).unwrap();
    }
    db.drop_database().await;
}

#[tokio::test]
async fn inputs_holding_nothing_to_import_are_refused() {
    let unrelated = temp("other.sqlite");
    let other = rusqlite::Connection::open(&unrelated).unwrap();
    other
        .execute_batch("CREATE TABLE notes (id integer, body text); INSERT INTO notes VALUES (1, 'x');")
        .unwrap();
    drop(other);
    let mut garbage = b"this is not sql\n".to_vec();
    garbage.extend_from_slice(&[0xff, 0xfe, 0x00, 0x01, 0x80]);
    let cases = [
        (write("empty.sql", ""), "no table of the Neptu schema"),
        (write("text.sql", "this is not sql"), "syntax error"),
        (write("garbage.sql", garbage), "not UTF-8"),
        (unrelated, "no table of the Neptu schema (tables found: notes)"),
        (
            write(
                "no-rows.sql",
                "PRAGMA defer_foreign_keys=TRUE;\nCREATE TABLE users (id text);\nCREATE INDEX u ON users (id);\n",
            ),
            "no rows",
        ),
    ];
    let db = TestDatabase::migrated().await;
    for (path, expected) in cases {
        for dry_run in [true, false] {
            let error = try_import(
                &db,
                Options {
                    dry_run,
                    ..Options::new(&path)
                },
            )
            .await
            .expect_err(expected);
            let error = format!("{error:#}");
            assert!(error.contains(expected), "{}: {error}", path.display());
        }
        std::fs::remove_file(path).unwrap();
    }
    db.drop_database().await;
}

#[tokio::test]
async fn an_sqlite_file_cut_short_is_refused() {
    let path = temp("cut.sqlite");
    generator::to_sqlite(&generator::generate(300), &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let db = TestDatabase::migrated().await;
    let error = try_import(&db, Options::new(&path)).await.unwrap_err();
    let error = format!("{error:#}");
    assert!(
        error.contains("damaged") || error.contains("malformed"),
        "{error}"
    );
    assert_eq!(count(&db, "users").await, 0);
    std::fs::remove_file(path).unwrap();
    db.drop_database().await;
}

#[tokio::test]
async fn a_failed_import_with_truncate_keeps_the_existing_rows() {
    let dataset = generator::generate(30);
    let first = write("first.sql", generator::to_sql(&dataset));
    let db = TestDatabase::migrated().await;
    let report = try_import(&db, Options::new(&first)).await.unwrap();
    assert!(report.complete(), "{}", report.render());
    let users = count(&db, "users").await;

    // A rule of the target the importer does not know makes one table fail in the database
    // (NOT VALID: the rows already there are not checked).
    sqlx::query(
        "ALTER TABLE crypto_market ADD CONSTRAINT only_in_this_test CHECK (symbol <> 'BIT') NOT VALID",
    )
    .execute(&db.pool)
    .await
    .unwrap();
    let second = write("second.sql", generator::to_sql(&generator::generate(20)));
    let report = try_import(
        &db,
        Options {
            truncate: true,
            ..Options::new(&second)
        },
    )
    .await
    .unwrap();
    assert!(!report.complete());
    let rendered = report.render();
    assert!(rendered.contains("FAILED crypto_market:"), "{rendered}");
    let failed: Vec<&str> = report
        .tables
        .iter()
        .filter(|t| t.error.is_some())
        .map(|t| t.table)
        .collect();
    assert_eq!(
        failed,
        ["crypto_market"],
        "the tables after it still load: {rendered}"
    );
    assert!(rendered.contains("nothing was written"), "{rendered}");
    assert!(report.tables.iter().all(|t| t.imported == 0), "{rendered}");
    assert_eq!(count(&db, "users").await, users, "the old rows are still there");
    assert!(count(&db, "crypto_market").await > 0);
    for path in [first, second] {
        std::fs::remove_file(path).unwrap();
    }
    db.drop_database().await;
}

#[tokio::test]
async fn a_row_breaking_a_check_costs_only_that_row() {
    let mut dataset = generator::generate(50);
    // A claimed reward without claimed_at (row 0 is claimed), a bad slug, a streak longer now
    // than ever, a user referring themselves.
    set(&mut dataset, "user_rewards", 0, "claimed_at", Val::Null);
    set(
        &mut dataset,
        "pricing_plans",
        1,
        "slug",
        Val::Text("Pro Plan".into()),
    );
    set(&mut dataset, "user_streaks", 1, "longest_streak", Val::Int(0));
    set(&mut dataset, "user_streaks", 1, "current_streak", Val::Int(4));
    let referrer = dataset
        .table("referrals")
        .get(&dataset.table("referrals").rows[2], "referrer_id");
    set(&mut dataset, "referrals", 2, "referee_id", referrer);
    let broken = [
        ("user_rewards", 0, "user_rewards_claim_consistent"),
        ("pricing_plans", 1, "pricing_plans_slug_format"),
        ("user_streaks", 1, "user_streaks_counts_non_negative"),
        ("referrals", 2, "referrals_not_self"),
    ];
    let path = write("checks.sql", generator::to_sql(&dataset));
    let db = TestDatabase::migrated().await;
    for dry_run in [true, false] {
        let report = try_import(
            &db,
            Options {
                dry_run,
                ..Options::new(&path)
            },
        )
        .await
        .unwrap();
        assert!(!report.complete());
        let rendered = report.render();
        for (table, row, constraint) in broken {
            let source = dataset.table(table);
            let Val::Text(key) = source.get(&source.rows[row], "id") else {
                panic!("text id")
            };
            let t = report.tables.iter().find(|t| t.table == table).unwrap();
            assert_eq!(t.error, None, "{rendered}");
            assert_eq!(
                (t.source_rows, t.imported as usize, t.skipped.len()),
                (source.rows.len(), source.rows.len() - 1, 1),
                "{table}: {rendered}"
            );
            assert_eq!(t.skipped[0].key, key);
            assert!(t.skipped[0].reason.contains(constraint), "{rendered}");
            assert!(rendered.contains(&format!("skipped {table} {key}")), "{rendered}");
            if !dry_run {
                assert_eq!(count(&db, table).await as usize, source.rows.len() - 1);
            }
        }
    }
    std::fs::remove_file(path).unwrap();
    db.drop_database().await;
}

/// The dataset as a modern `sqlite3 .dump` writes it: one transaction, strings holding control
/// characters as `unistr('…')`.
fn sqlite3_dump(dataset: &Dataset) -> String {
    let mut out = String::from("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n");
    for table in &dataset.tables {
        out += &format!("CREATE TABLE {}({});\n", table.name, table.columns.join(","));
        for row in &table.rows {
            let values: Vec<String> = row
                .iter()
                .map(|v| match v {
                    Val::Null => "NULL".into(),
                    Val::Int(i) => i.to_string(),
                    Val::Real(r) => format!("{r:?}"),
                    Val::Text(t) if t.chars().any(char::is_control) => {
                        let mut escaped = String::new();
                        for c in t.chars() {
                            match c {
                                '\'' => escaped.push_str("''"),
                                '\\' => escaped.push_str("\\\\"),
                                c if c.is_control() => escaped.push_str(&format!("\\u{:04x}", c as u32)),
                                c => escaped.push(c),
                            }
                        }
                        format!("unistr('{escaped}')")
                    }
                    Val::Text(t) => format!("'{}'", t.replace('\'', "''")),
                })
                .collect();
            out += &format!("INSERT INTO {} VALUES({});\n", table.name, values.join(","));
        }
    }
    out + "COMMIT;\n"
}

#[tokio::test]
async fn a_modern_sqlite3_dump_with_unistr_imports() {
    let dataset = generator::generate(40);
    let dump = sqlite3_dump(&dataset);
    assert!(dump.contains("unistr('line one\\u000aline two 3')"), "{dump}");
    let path = write("sqlite3.sql", &dump);
    let db = TestDatabase::migrated().await;
    let report = try_import(&db, Options::new(&path)).await.unwrap();
    assert!(report.complete(), "{}", report.render());
    assert_eq!(
        count(&db, "users").await as usize,
        dataset.table("users").rows.len()
    );
    let multiline: i64 =
        sqlx::query_scalar("SELECT count(*) FROM users WHERE display_name = E'line one\\nline two 3'")
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert!(multiline > 0);

    let cut = write(
        "sqlite3-cut.sql",
        dump.trim_end().strip_suffix("COMMIT;").unwrap(),
    );
    let error = try_import(
        &db,
        Options {
            truncate: true,
            ..Options::new(&cut)
        },
    )
    .await
    .unwrap_err();
    assert!(error.to_string().contains("COMMIT"), "{error}");
    for path in [path, cut] {
        std::fs::remove_file(path).unwrap();
    }
    db.drop_database().await;
}
