//! The JSON shapes of the readings: exact key sets and value vocabularies of the original Neptu
//! payloads, as the web app reads them.

use std::collections::BTreeSet;

use neptu_wariga::{self as wariga, CivilDate};
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

#[rustfmt::skip]
const BASE_KEYS: &[&str] = &[
    "date", "sapta_wara", "panca_wara", "wuku", "sad_wara", "total_urip", "full_urip", "c24_urip",
    "dasa_aksara", "panca_brahma", "panca_tirta", "frekuensi", "gender_pattern", "biner",
    "dualitas", "siklus", "kanda_pat", "cipta", "rasa", "karsa", "tindakan", "afirmasi",
];

fn assert_base_shape(v: &Value, what: &str) {
    for k in ["sapta_wara", "panca_wara", "sad_wara"] {
        assert_eq!(
            keys(&v[k]),
            set(&["value", "name", "urip", "gender"]),
            "{what}.{k}"
        );
        assert!(matches!(v[k]["gender"].as_str(), Some("L" | "P")), "{what}.{k}");
    }
    assert_eq!(keys(&v["wuku"]), set(&["value", "name", "urip"]), "{what}.wuku");
    for k in [
        "dasa_aksara",
        "panca_brahma",
        "panca_tirta",
        "siklus",
        "kanda_pat",
        "cipta",
        "rasa",
        "karsa",
        "tindakan",
    ] {
        assert_eq!(keys(&v[k]), set(&["value", "name"]), "{what}.{k}");
        assert!(v[k]["value"].is_u64() && v[k]["name"].is_string(), "{what}.{k}");
    }
    assert_eq!(
        keys(&v["frekuensi"]),
        set(&["value", "name", "description"]),
        "{what}"
    );
    assert_eq!(keys(&v["afirmasi"]), set(&["pattern", "name"]), "{what}");
    for k in ["total_urip", "full_urip", "c24_urip", "biner"] {
        assert!(v[k].is_u64(), "{what}.{k}");
    }
    assert!(v["date"].is_string() && v["gender_pattern"].is_string(), "{what}");
}

#[test]
fn potensi_peluang_and_full_reading_keys() {
    let full = json(&wariga::full_reading(date("1990-05-15"), date("2026-06-17")));
    assert_eq!(keys(&full), set(&["potensi", "peluang"]));

    let mut potensi_keys = set(BASE_KEYS);
    potensi_keys.insert("lahir_untuk");
    assert_eq!(keys(&full["potensi"]), potensi_keys);
    assert_base_shape(&full["potensi"], "potensi");
    assert_eq!(
        keys(&full["potensi"]["lahir_untuk"]),
        set(&["name", "description"])
    );

    let mut peluang_keys = set(BASE_KEYS);
    peluang_keys.insert("diberi_hak_untuk");
    assert_eq!(keys(&full["peluang"]), peluang_keys);
    assert_base_shape(&full["peluang"], "peluang");

    assert_eq!(full["potensi"]["date"], "1990-05-15");
    assert_eq!(full["peluang"]["date"], "2026-06-17");
    assert_eq!(full["potensi"]["sapta_wara"]["name"], "TUESDAY");
    assert_eq!(full["potensi"]["sad_wara"]["name"], "ARIYANG");
    assert_eq!(full["potensi"]["gender_pattern"], "LLP");
    assert_eq!(full["potensi"]["afirmasi"]["pattern"], "LLP");
    assert_eq!(full["potensi"]["dualitas"], "YIN");
    assert_eq!(full["potensi"]["frekuensi"]["name"], "RATU");
    assert_eq!(full["potensi"]["frekuensi"]["value"], 0);
}

/// The name vocabularies the clients key off (i18n, AI glossary, README), listed independently
/// of the engine's tables.
#[test]
fn names_stay_within_the_legacy_vocabularies() {
    #[rustfmt::skip]
    let vocab: [(&str, &[&str]); 12] = [
        ("sapta_wara", &["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"]),
        ("panca_wara", &["UMANIS", "PAHING", "PON", "WAGE", "KLIWON"]),
        ("sad_wara", &["TUNGLEH", "ARIYANG", "URUKUNG", "PANIRON", "WAS", "MAULU"]),
        ("cipta", &["TRUST", "AUTONOMY", "INITIATIVE", "DILIGENT", "IDENTITY", "INTIMATE", "DYNAMIC", "INTEGRITY"]),
        ("rasa", &["PEACE", "APATHY", "ANGER", "GRIEF", "PRIDE", "PASSION", "FEAR", "FIRM", "SINCERE"]),
        ("karsa", &["LISTENING", "SHARING", "EMPATHY", "GESTURE(+)", "GENUINE"]),
        ("tindakan", &["MINDFULNESS", "WORSHIP", "PROBIOTIC", "SERVICE", "CLEAN UP", "DEEP SLEEP"]),
        ("siklus", &["INPUT", "PROCESS", "OUTPUT"]),
        ("kanda_pat", &["EMOTION", "INTELLIGENCE", "CONSCIENCE", "INSTINCT"]),
        ("panca_tirta", &["LIVER", "HEART", "SPLEEN", "LUNG", "KIDNEY"]),
        ("panca_brahma", &["LARGE INTESTINE", "BLADDER", "GALLBLADDER", "SMALL INTESTINE", "STOMACH"]),
        ("frekuensi", &["GURU", "RATU", "LARA", "PATI"]),
    ];
    #[rustfmt::skip]
    let afirmasi = [
        "I AM ENTHUSIASTIC", "I AM SPECIAL", "I AM ABUNDANT", "I AM STRONG", "I AM UNIQUE",
        "I AM COMPLETE", "I AM FOCUSED", "I AM OBEDIENT", "I AM INSPIRED", "I AM VALUABLE",
        "I AM BALANCED",
    ];
    let purposes = [
        ("GURU", "GUIDING"),
        ("RATU", "PROTECTING"),
        ("LARA", "GROWING"),
        ("PATI", "RELEASING"),
    ];
    let mut seen: Vec<BTreeSet<String>> = vec![BTreeSet::new(); vocab.len()];
    let start = date("2026-04-05");
    for d in std::iter::successors(Some(start), |d| d.succ()).take(210) {
        let v = json(&wariga::potensi(d));
        for (i, (key, names)) in vocab.iter().enumerate() {
            let name = v[key]["name"].as_str().unwrap_or_default();
            assert!(names.contains(&name), "{d} {key} = {name:?}");
            seen[i].insert(name.to_owned());
        }
        assert!(
            afirmasi.contains(&v["afirmasi"]["name"].as_str().unwrap_or_default()),
            "{d}"
        );
        let purpose = (
            v["lahir_untuk"]["name"].as_str().unwrap_or_default(),
            v["lahir_untuk"]["description"].as_str().unwrap_or_default(),
        );
        assert!(purposes.contains(&purpose), "{d} {purpose:?}");
        assert_eq!(v["lahir_untuk"]["name"], v["frekuensi"]["name"], "{d}");
        let wuku = v["wuku"]["name"].as_str().unwrap_or_default();
        assert!(!wuku.is_empty() && wuku == wuku.to_uppercase(), "{d} {wuku}");
        // Genders: "L" for odd urip, "P" for even, joined sapta+panca+sad.
        let pattern: String = ["sapta_wara", "panca_wara", "sad_wara"]
            .iter()
            .map(|k| {
                if v[k]["urip"].as_u64().unwrap_or(0) % 2 == 1 {
                    'L'
                } else {
                    'P'
                }
            })
            .collect();
        assert_eq!(v["gender_pattern"], pattern.as_str(), "{d}");
        // Urip ranges of: total 7..=18, C24 10..=27, full 11..=36.
        let urip = |k: &str| v[k].as_u64().unwrap_or(0);
        assert!((7..=18).contains(&urip("total_urip")), "{d}");
        assert!((10..=27).contains(&urip("c24_urip")), "{d}");
        assert!((11..=36).contains(&urip("full_urip")), "{d}");
        assert_eq!(
            urip("c24_urip"),
            urip("total_urip") + v["sad_wara"]["urip"].as_u64().unwrap_or(0)
        );
        assert_eq!(
            urip("full_urip"),
            urip("c24_urip") + v["wuku"]["urip"].as_u64().unwrap_or(0)
        );
        // biner and dualitas follow the parity of total_urip.
        let odd = v["total_urip"].as_u64().unwrap_or(0) % 2 == 1;
        assert_eq!(v["biner"], u64::from(odd), "{d}");
        assert_eq!(v["dualitas"], if odd { "YANG" } else { "YIN" }, "{d}");
    }
    // One cycle reaches every name of every list.
    for (i, (key, names)) in vocab.iter().enumerate() {
        assert_eq!(seen[i].len(), names.len(), "{key}");
    }
}

#[test]
fn personalised_peluang_uses_combined_frekuensi() {
    // Birth 2025-11-07: Sukra 6 + Pon 7 + Aryang 6 = C24 19; target Galungan C24 21.
    // (19 + 21) mod 4 = 0 → RATU, whereas the day alone is 21 mod 4 = 1 → LARA.
    let alone = wariga::peluang(date("2026-06-17"), None);
    let personal = wariga::peluang(date("2026-06-17"), Some(date("2025-11-07")));
    assert_eq!(alone.diberi_hak_untuk.name, "LARA");
    assert_eq!(
        (
            personal.diberi_hak_untuk.name,
            personal.diberi_hak_untuk.description
        ),
        ("RATU", "PROTECTING")
    );
    // Everything else is the target date's.
    assert_eq!(personal.base, alone.base);
    assert_eq!(personal.afirmasi, alone.afirmasi);
    let full = wariga::full_reading(date("2025-11-07"), date("2026-06-17"));
    assert_eq!(full.peluang, personal);
    assert_eq!(full.potensi.base.c24_urip, 19);
}

#[test]
fn daily_reading_is_a_peluang_with_extras() {
    let v = json(&wariga::daily_reading(date("2026-01-13")));
    let peluang = json(&wariga::peluang(date("2026-01-13"), None));
    // Every Peluang key is there with the same value.
    for (k, value) in peluang.as_object().into_iter().flatten() {
        assert_eq!(&v[k], value, "{k}");
    }
    let extras: BTreeSet<&str> = keys(&v).difference(&keys(&peluang)).copied().collect();
    assert_eq!(extras, set(&["pawukon", "paringkelan", "rahinan", "is_nyepi"]));
    assert_eq!(
        keys(&v["pawukon"]),
        set(&[
            "day",
            "wuku",
            "ekawara",
            "dwiwara",
            "triwara",
            "caturwara",
            "pancawara",
            "sadwara",
            "saptawara",
            "astawara",
            "sangawara",
            "dasawara",
            "urip"
        ])
    );
    assert_eq!(v["pawukon"]["day"], 128);
    assert_eq!(v["pawukon"]["wuku"]["name"], "Tambir");
    assert_eq!(v["pawukon"]["wuku"]["bhatara"], "Siwa");
    assert_eq!(v["pawukon"]["saptawara"]["name"], "Anggara");
    assert_eq!(v["pawukon"]["urip"], 11);
    // U = 11 is odd: Luang; 11 mod 10 = 1: Pati.
    assert_eq!(v["pawukon"]["ekawara"]["name"], "Luang");
    assert_eq!(v["pawukon"]["dasawara"]["name"], "Pati");
    assert_eq!(
        v["rahinan"],
        serde_json::json!(["Kajeng Kliwon", "Anggara Kasih"])
    );
    assert_eq!(v["is_nyepi"], false);
    assert_eq!(
        keys(&v["paringkelan"]),
        set(&[
            "ingkel",
            "jejepan",
            "watek_madya",
            "watek_alit",
            "pararasan",
            "pancasuda",
            "lintang"
        ])
    );

    // An even urip total has no ekawara. Saraswati is Kajeng but Umanis: no Kajeng Kliwon.
    let even = json(&wariga::daily_reading(date("2026-04-04")));
    assert_eq!(even["pawukon"]["urip"], 14);
    assert_eq!(even["pawukon"]["ekawara"], Value::Null);
    assert_eq!(even["rahinan"], serde_json::json!(["Saraswati"]));
}
