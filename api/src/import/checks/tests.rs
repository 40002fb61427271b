use std::collections::BTreeSet;

use super::*;
use crate::import::mapping::TABLES;

/// `(table, constraint)` of every CHECK in the migrations.
fn migration_checks() -> BTreeSet<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    let mut found = BTreeSet::new();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(file).unwrap();
        let mut table = String::new();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            for pair in words.windows(3) {
                if matches!(pair[0], "CREATE" | "ALTER") && pair[1] == "TABLE" {
                    table = pair[2].trim_end_matches(['(', ';']).to_owned();
                }
                if pair[0] == "CONSTRAINT" && pair[2] == "CHECK" {
                    found.insert((table.clone(), pair[1].to_owned()));
                }
            }
        }
    }
    found
}

#[test]
fn every_check_of_the_imported_tables_is_enforced_by_the_importer() {
    let covered: BTreeSet<&str> = BY_COLUMN_KIND
        .iter()
        .copied()
        .chain(RULES.iter().map(|r| r.constraint))
        .collect();
    let imported: BTreeSet<&str> = TABLES.iter().map(|t| t.name).collect();
    let checks = migration_checks();
    assert!(checks.len() > 30, "the migrations were read: {checks:?}");
    let in_schema: BTreeSet<&str> = checks
        .iter()
        .filter(|(table, _)| imported.contains(table.as_str()))
        .map(|(_, name)| name.as_str())
        .collect();
    let missing: Vec<&&str> = in_schema.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "CHECKs the importer does not know: {missing:?}"
    );
    let stale: Vec<&&str> = covered.difference(&in_schema).collect();
    assert!(stale.is_empty(), "listed but not in the migrations: {stale:?}");
}

fn table(name: &str) -> &'static Table {
    TABLES.iter().find(|t| t.name == name).unwrap()
}

fn row(table: &Table, values: &[(&str, TargetValue)]) -> Vec<TargetValue> {
    table
        .columns
        .iter()
        .map(|c| {
            values
                .iter()
                .find(|(name, _)| *name == c.target)
                .map(|(_, v)| v.clone())
                .unwrap_or(TargetValue::Null)
        })
        .collect()
}

#[test]
fn rules_refuse_what_the_database_would() {
    let streaks = table("user_streaks");
    let checker = Checker::new(streaks);
    let streak = |current, longest, total| {
        row(
            streaks,
            &[
                ("current_streak", TargetValue::Int(current)),
                ("longest_streak", TargetValue::Int(longest)),
                ("total_check_ins", TargetValue::Int(total)),
            ],
        )
    };
    assert!(checker.check(&streak(3, 5, 9)).is_ok());
    assert!(checker.check(&streak(5, 5, 9)).is_ok());
    let (columns, reason) = checker.check(&streak(6, 5, 9)).unwrap_err();
    assert_eq!(columns, "current_streak+longest_streak+total_check_ins");
    assert!(reason.contains("user_streaks_counts_non_negative"), "{reason}");
    assert!(checker.check(&streak(-1, 5, 9)).is_err());
    assert!(checker.check(&streak(1, 5, -9)).is_err());

    let rewards = table("user_rewards");
    let checker = Checker::new(rewards);
    let status = |s: &str| ("status", TargetValue::Text(s.into()));
    assert!(checker.check(&row(rewards, &[status("pending")])).is_ok());
    assert!(checker.check(&row(rewards, &[status("claimed")])).is_err());
    let at = ("claimed_at", TargetValue::Timestamp(chrono::Utc::now()));
    assert!(checker.check(&row(rewards, &[status("claimed"), at])).is_ok());

    let plans = table("pricing_plans");
    let checker = Checker::new(plans);
    let slug = |s: &str| row(plans, &[("slug", TargetValue::Text(s.into()))]);
    assert!(checker.check(&slug("pro-2")).is_ok());
    for bad in ["Pro", "pro plan", "über", "", &"x".repeat(51)] {
        assert!(checker.check(&slug(bad)).is_err(), "{bad:?}");
    }

    let referrals = table("referrals");
    let checker = Checker::new(referrals);
    let id = TargetValue::Uuid(uuid::Uuid::new_v4());
    let other = TargetValue::Uuid(uuid::Uuid::new_v4());
    let pair = |a: &TargetValue, b: &TargetValue| {
        row(
            referrals,
            &[("referrer_id", a.clone()), ("referee_id", b.clone())],
        )
    };
    assert!(checker.check(&pair(&id, &other)).is_ok());
    assert!(checker.check(&pair(&id, &id)).is_err());
}
