//! Compatibility readings: the `CompatibilityResult` shape, hand-computed scores, and batches.

use std::collections::BTreeSet;

use neptu_wariga::{self as wariga, CivilDate, WarigaError};
use serde_json::Value;

fn date(text: &str) -> CivilDate {
    CivilDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("serialize: {e}"))
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

#[test]
fn compatibility_shape_and_hand_computed_scores() {
    let r = wariga::compatibility(date("1990-05-15"), date("2025-11-07"));
    let v = json(&r);
    assert_eq!(
        keys(&v),
        set(&["person1", "person2", "mitraSatru", "dimensions", "scores"])
    );
    assert_eq!(
        keys(&v["mitraSatru"]),
        set(&[
            "person1Frekuensi",
            "person2Frekuensi",
            "combinedFrekuensi",
            "category",
            "description"
        ])
    );
    assert_eq!(
        keys(&v["scores"]),
        set(&["frekuensi", "cycles", "traits", "overall"])
    );
    assert_eq!(
        keys(&v["person1"]),
        keys(&json(&wariga::potensi(date("2000-01-01"))))
    );

    // C24 16 (RATU) and 19 (GURU): RATU–GURU is mitra; combined 35 mod 4 = 3 → GURU.
    assert_eq!(v["mitraSatru"]["person1Frekuensi"]["name"], "RATU");
    assert_eq!(v["mitraSatru"]["person2Frekuensi"]["name"], "GURU");
    assert_eq!(v["mitraSatru"]["combinedFrekuensi"]["name"], "GURU");
    assert_eq!(v["mitraSatru"]["category"], "mitra");
    let dims: Vec<(&str, &str, &str, bool)> = v["dimensions"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|d| {
                    assert_eq!(
                        keys(d),
                        set(&["dimension", "person1Value", "person2Value", "isMatch"])
                    );
                    (
                        d["dimension"].as_str().unwrap_or_default(),
                        d["person1Value"].as_str().unwrap_or_default(),
                        d["person2Value"].as_str().unwrap_or_default(),
                        d["isMatch"].as_bool().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        dims,
        vec![
            ("Cipta", "TRUST", "DILIGENT", false),      // 16 mod 8, 19 mod 8
            ("Rasa", "FIRM", "APATHY", false),          // 16 mod 9, 19 mod 9
            ("Karsa", "SHARING", "GENUINE", false),     // 16 mod 5, 19 mod 5
            ("Tindakan", "CLEAN UP", "WORSHIP", false), // 16 mod 6, 19 mod 6
            ("Siklus", "PROCESS", "PROCESS", true),     // Beteng, Beteng
        ]
    );
    // 40·100 + 30·100 + 30·0 = 7000 → 70.
    assert_eq!(
        (
            r.scores.frekuensi,
            r.scores.cycles,
            r.scores.traits,
            r.scores.overall
        ),
        (100, 100, 0, 70)
    );
}

#[test]
fn compatibility_is_symmetric_in_category_and_scores() {
    let dates = [
        "1990-05-15",
        "2025-11-07",
        "1971-01-24",
        "2200-12-31",
        "1800-01-01",
    ]
    .map(date);
    for a in dates {
        for b in dates {
            let (ab, ba) = (wariga::compatibility(a, b), wariga::compatibility(b, a));
            assert_eq!(ab.scores, ba.scores);
            assert_eq!(ab.mitra_satru.category, ba.mitra_satru.category);
            assert_eq!(
                ab.mitra_satru.combined_frekuensi,
                ba.mitra_satru.combined_frekuensi
            );
            assert_eq!(ab.person1, ba.person2);
        }
    }
}

#[test]
fn batch_lists_all_pairs_in_order() {
    let dates = [
        "1990-05-15",
        "2025-11-07",
        "1971-01-24",
        "2026-06-17",
        "1800-01-01",
    ]
    .map(date);
    let pairs = wariga::compatibility_batch(&dates).unwrap_or_else(|e| panic!("{e}"));
    let order: Vec<(usize, usize)> = pairs.iter().map(|p| (p.person_a, p.person_b)).collect();
    assert_eq!(
        order,
        vec![
            (0, 1),
            (0, 2),
            (0, 3),
            (0, 4),
            (1, 2),
            (1, 3),
            (1, 4),
            (2, 3),
            (2, 4),
            (3, 4)
        ]
    );
    for p in &pairs {
        assert_eq!(
            p.result,
            wariga::compatibility(dates[p.person_a], dates[p.person_b])
        );
    }
    let v = json(&pairs[0]);
    assert_eq!(keys(&v), set(&["personA", "personB", "result"]));
    assert_eq!(v["result"]["person1"]["date"], "1990-05-15");

    assert_eq!(
        wariga::compatibility_batch(&dates[..1]),
        Err(WarigaError::BatchSize { len: 1 })
    );
    let six = [dates[0]; 6];
    assert_eq!(
        wariga::compatibility_batch(&six),
        Err(WarigaError::BatchSize { len: 6 })
    );
}
