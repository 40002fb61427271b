//! The holy-day rules against kalenderbali.org's complete 2026 list
//! (`fixtures/kalenderbali_rahinan_2026.txt`, as copied in SHA888/balinese-calendar
//! `references/rahinan2026.txt`).

use std::collections::BTreeSet;

use neptu_wariga::{self as wariga, CivilDate};

const LIST: &str = include_str!("fixtures/kalenderbali_rahinan_2026.txt");

/// Our name for an entry of the list, or `None` for the entries our rules do not cover
/// (lunar days such as Purnama, Tilem, Siwa Ratri, and local observances).
fn our_name(entry: &str) -> Option<&'static str> {
    let prefixed = [
        ("Buda Keliwon Pegatuwakan", "Pegat Uwakan"),
        ("Buda Wage ", "Buda Cemeng"),
        ("Anggar Kasih ", "Anggara Kasih"),
        ("Kajeng Keliwon ", "Kajeng Kliwon"),
        ("Buda Keliwon ", "Buda Kliwon"),
        ("Tumpek Uduh", "Tumpek Uduh"),
    ];
    if let Some((_, ours)) = prefixed.iter().find(|(p, _)| entry.starts_with(p)) {
        return Some(ours);
    }
    let exact = [
        ("Hari Raya Galungan", "Galungan"),
        ("Hari Raya Kuningan", "Kuningan"),
        ("Hari Raya Saraswati", "Saraswati"),
        ("Hari Raya Nyepi", "Nyepi"),
        ("Hari Penyekeban", "Penyekeban Galungan"),
        ("Penyajaan Galungan", "Penyajaan Galungan"),
        ("Penampahan Galungan", "Penampahan Galungan"),
        ("Manis Galungan", "Manis Galungan"),
        ("Pemaridan Guru", "Pemaridan Guru"),
        ("Ulihan", "Ulihan"),
        ("Pemacekan Agung", "Pemacekan Agung"),
        ("Penampahan Kuningan", "Penampahan Kuningan"),
        ("Tumpek Landep", "Tumpek Landep"),
        ("Tumpek Krulut", "Tumpek Krulut"),
        ("Tumpek Kandang", "Tumpek Kandang"),
        ("Tumpek Wayang", "Tumpek Wayang"),
        ("Banyu Pinaruh", "Banyu Pinaruh"),
        ("Soma Ribek", "Soma Ribek"),
        ("Sabuh Mas", "Sabuh Mas"),
        ("Pagerwesi", "Pagerwesi"),
        ("Sugihan Jawa", "Sugihan Jawa"),
        ("Sugihan Bali", "Sugihan Bali"),
    ];
    exact.iter().find(|(e, _)| *e == entry).map(|(_, ours)| *ours)
}

/// `(date, list entry)` for every line of the fixture.
fn list_entries() -> Vec<(String, &'static str)> {
    LIST.lines()
        .filter_map(|line| line.split_once(". "))
        .map(|(dmy, name)| {
            let mut parts = dmy.split('-');
            let (d, m, y) = (parts.next(), parts.next(), parts.next());
            let iso = format!("{}-{}-{}", y.unwrap_or(""), m.unwrap_or(""), d.unwrap_or(""));
            (iso, name)
        })
        .collect()
}

fn ours_for_2026() -> BTreeSet<(String, &'static str)> {
    let start = CivilDate::parse("2026-01-01").ok();
    std::iter::successors(start, |d| d.succ())
        .take_while(|d| d.to_string().starts_with("2026"))
        .flat_map(|d| {
            wariga::daily_reading(d)
                .rahinan
                .into_iter()
                .map(move |r| (d.to_string(), r.name()))
        })
        .collect()
}

#[test]
fn every_covered_list_entry_is_produced() {
    let entries = list_entries();
    assert_eq!(entries.len(), 137, "fixture lines");
    let ours = ours_for_2026();
    let mut covered = 0;
    for (date, entry) in &entries {
        if let Some(name) = our_name(entry) {
            covered += 1;
            assert!(
                ours.contains(&(date.clone(), name)),
                "{date}: list has {entry:?}, expected {name:?} among {:?}",
                ours.iter().filter(|(d, _)| d == date).collect::<Vec<_>>()
            );
        }
    }
    // 81 distinct holy days; 2026-03-29 lists Kajeng Kliwon twice under two local names.
    assert_eq!(covered, 82);
}

#[test]
fn everything_produced_is_in_the_list_except_known_differences() {
    let listed: BTreeSet<(String, &'static str)> = list_entries()
        .into_iter()
        .filter_map(|(date, entry)| our_name(entry).map(|n| (date, n)))
        .collect();
    let extra: Vec<(String, &'static str)> = ours_for_2026().difference(&listed).cloned().collect();
    let expected: Vec<(String, &'static str)> = [
        // The list does not name Anggara Kasih in wuku Prangbakat.
        ("2026-02-17", "Anggara Kasih"),
        ("2026-09-15", "Anggara Kasih"),
        // Kajeng Kliwon falling on Tilem or Purnama is not repeated by the list.
        ("2026-11-09", "Kajeng Kliwon"),
        ("2026-11-24", "Kajeng Kliwon"),
        ("2026-12-09", "Kajeng Kliwon"),
    ]
    .into_iter()
    .map(|(d, n)| (d.to_owned(), n))
    .collect();
    assert_eq!(extra, expected);
}
