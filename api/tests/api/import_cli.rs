//! `neptu-api import-d1` as run from a shell: exit codes, one-line refusals, a dry run that
//! needs no configuration.

use std::path::PathBuf;
use std::process::{Command, Output};

use neptu_shared::testing::TestDatabase;

use super::import::generator;

const BIN: &str = env!("CARGO_BIN_EXE_neptu-api");

fn write(name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = std::env::temp_dir().join(format!("neptu-cli-{}-{name}", uuid::Uuid::new_v4().simple()));
    std::fs::write(&path, contents).unwrap();
    path
}

fn import_d1(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .arg("import-d1")
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        // Without it the binary runs as production and asks for the production secrets.
        .env("ENVIRONMENT", "development");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("run neptu-api")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_dry_run_needs_no_database_url() {
    let dump = write("dump.sql", generator::to_sql(&generator::generate(30)));
    let from = dump.to_str().unwrap();
    let out = import_d1(&["--from", from, "--dry-run"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("would import"), "{stdout}");
    assert!(stdout.contains("every row accounted for"), "{stdout}");
    std::fs::remove_file(dump).unwrap();
}

#[test]
fn refusals_exit_non_zero_with_one_line() {
    let dump = generator::to_sql(&generator::generate(30));
    let cut = write("cut.sql", &dump.as_bytes()[..dump.len() / 2]);
    let empty = write("empty.sql", "");
    let mut binary = b"this is not sql\n".to_vec();
    binary.extend_from_slice(&[0x00, 0xff, 0x13, 0x37]);
    let garbage = write("garbage.bin", binary);
    let whole = write("whole.sql", &dump);
    let wrong_counts = write("counts.json", r#"{"users": 31}"#);
    let cases: [(Vec<&str>, &str); 4] = [
        (vec!["--from", cut.to_str().unwrap()], "cut short"),
        (vec!["--from", empty.to_str().unwrap()], "no table"),
        (vec!["--from", garbage.to_str().unwrap()], "not UTF-8"),
        (
            vec![
                "--from",
                whole.to_str().unwrap(),
                "--expect",
                wrong_counts.to_str().unwrap(),
            ],
            "users has 30 rows, 31 expected",
        ),
    ];
    for (args, expected) in cases {
        let mut args = args.clone();
        args.push("--dry-run");
        let out = import_d1(&args, &[]);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = text(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
        assert!(!text(&out.stdout).contains("every row accounted for"));
    }
    for path in [cut, empty, garbage, whole, wrong_counts] {
        std::fs::remove_file(path).unwrap();
    }
}

#[tokio::test]
async fn a_partial_import_exits_non_zero_and_allow_partial_says_so() {
    let db = TestDatabase::migrated().await;
    let env = [("DATABASE_URL", db.url.as_str()), ("LOG_LEVEL", "error")];
    let dump = generator::to_sql(&generator::generate(30));
    let lines: Vec<&str> = dump.lines().collect();
    let cut = write("cut.sql", lines[..lines.len() / 2].join("\n") + "\n");
    let from = cut.to_str().unwrap();

    let refused = import_d1(&["--from", from], &env);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("--allow-partial"));
    let users: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&db.pool)
        .await
        .unwrap();
    assert_eq!(users, 0);

    let allowed = import_d1(&["--from", from, "--allow-partial"], &env);
    let stdout = text(&allowed.stdout);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{stdout}{}",
        text(&allowed.stderr)
    );
    assert!(stdout.contains("PARTIAL SOURCE"), "{stdout}");
    assert!(
        stdout.contains("every row of the partial source accounted for"),
        "{stdout}"
    );
    std::fs::remove_file(cut).unwrap();
    db.drop_database().await;
}
