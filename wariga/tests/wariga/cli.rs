//! The `neptu-calendar` command end to end: output and exit codes.

use std::process::Command;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_neptu-calendar"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("spawn: {e}"));
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn prints_the_full_reading_as_json() {
    let (code, stdout, _) = run(&["1990-05-15", "2026-06-17"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert_eq!(v["potensi"]["wuku"]["name"], "MERAKIH");
    assert_eq!(v["peluang"]["date"], "2026-06-17");
    assert_eq!(v["peluang"]["diberi_hak_untuk"]["name"], "LARA");
}

#[test]
fn target_defaults_to_today() {
    let (code, stdout, _) = run(&["1990-05-15"]);
    assert_eq!(code, Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    assert!(v["peluang"]["date"].as_str().is_some_and(|d| d.len() == 10));
}

#[test]
fn bad_input_exits_2_with_one_line() {
    for args in [
        &[][..],
        &["2024-02-31"],
        &["1799-12-31"],
        &["1990-05-15", "tomorrow"],
        &["a", "b", "c"],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stdout.is_empty(), "{args:?}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr:?}");
    }
}
