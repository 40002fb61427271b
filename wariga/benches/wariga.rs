//! Benchmarks of the calendar engine (divan). Run: `cargo bench --bench wariga`.
//!
//! Targets (issue 3): a FullReading for one date pair under 5 µs; a compatibility batch of five
//! people under 50 µs.

use divan::black_box;
use neptu_wariga::{self as wariga, CivilDate};

fn main() {
    divan::main();
}

fn date(text: &str) -> CivilDate {
    CivilDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// One full reading (Potensi + personalised Peluang) for a birth/target pair.
#[divan::bench]
fn full_reading() -> wariga::FullReading {
    wariga::full_reading(black_box(date("1990-05-15")), black_box(date("2026-06-17")))
}

/// The same, including parsing both input strings, as the HTTP layer will do.
#[divan::bench]
fn full_reading_from_strings() -> Option<wariga::FullReading> {
    let birth = CivilDate::parse(black_box("1990-05-15")).ok()?;
    let target = CivilDate::parse(black_box("2026-06-17")).ok()?;
    Some(wariga::full_reading(birth, target))
}

/// A full reading serialized to JSON, the whole work of the `/reading/full` route body.
#[divan::bench]
fn full_reading_to_json() -> Option<Vec<u8>> {
    let reading = wariga::full_reading(black_box(date("1990-05-15")), black_box(date("2026-06-17")));
    serde_json::to_vec(&reading).ok()
}

/// All ten pairs of five people.
#[divan::bench]
fn compatibility_batch_of_5(bencher: divan::Bencher) {
    let dates = [
        "1990-05-15",
        "2025-11-07",
        "1971-01-24",
        "2026-06-17",
        "1800-01-01",
    ]
    .map(date);
    bencher.bench(|| wariga::compatibility_batch(black_box(&dates)));
}

/// The batch serialized to JSON.
#[divan::bench]
fn compatibility_batch_of_5_to_json(bencher: divan::Bencher) {
    let dates = [
        "1990-05-15",
        "2025-11-07",
        "1971-01-24",
        "2026-06-17",
        "1800-01-01",
    ]
    .map(date);
    bencher.bench(|| {
        wariga::compatibility_batch(black_box(&dates))
            .ok()
            .and_then(|pairs| serde_json::to_vec(&pairs).ok())
    });
}

/// A daily reading (Peluang + wewaran + paringkelan + rahinan).
#[divan::bench]
fn daily_reading() -> wariga::DailyReading {
    wariga::daily_reading(black_box(date("2026-06-17")))
}
