//! Compatibility of two people (Mitra–Satru) and batches of 2..=5 people.
//!
//! The shape and the public parts (pair matrix, category scores, weights 40/30/30, match 100 /
//! no match 0, the five dimensions) are those of the web app's compatibility page. How the
//! three scores are formed from the dimensions is ours, documented on [`Scores`].

use serde::Serialize;

use super::date::CivilDate;
use super::error::WarigaError;
use super::frekuensi::{Category, Frekuensi};
use super::items::Item;
use super::reading::{BaseReading, Potensi, combined_frekuensi};
use super::{MAX_COMPATIBILITY_PEOPLE, MIN_COMPATIBILITY_PEOPLE};

/// Weight of the frekuensi score in `overall` (public `FREKUENSI_WEIGHT`).
const FREKUENSI_WEIGHT: u32 = 40;
/// Weight of the cycles score in `overall` (public `CYCLES_WEIGHT`).
const CYCLES_WEIGHT: u32 = 30;
/// Weight of the traits score in `overall` (public `TRAITS_WEIGHT`).
const TRAITS_WEIGHT: u32 = 30;
/// Score of a matching dimension (public `MATCH_BONUS`; a mismatch scores `NO_MATCH` = 0).
const MATCH_SCORE: u32 = 100;

/// The `mitraSatru` block: both frekuensi, their combination and the pairing category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MitraSatru {
    /// Frekuensi of the first person.
    pub person1_frekuensi: Frekuensi,
    /// Frekuensi of the second person.
    pub person2_frekuensi: Frekuensi,
    /// `(c24_1 + c24_2) mod 4` (ours).
    pub combined_frekuensi: Frekuensi,
    /// Category of the pair `(person1_frekuensi, person2_frekuensi)` in the public matrix.
    pub category: Category,
    /// Text of the category (ours).
    pub description: &'static str,
}

/// One compared dimension: `{dimension, person1Value, person2Value, isMatch}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DimensionComparison {
    /// `Cipta`, `Rasa`, `Karsa`, `Tindakan` or `Siklus`.
    pub dimension: &'static str,
    /// The first person's value name.
    pub person1_value: &'static str,
    /// The second person's value name.
    pub person2_value: &'static str,
    /// Whether the two names are equal.
    pub is_match: bool,
}

/// Scores out of 100.
///
/// - `frekuensi`: the category score of the pair (mitra 100, neutral 60, satru 20; public).
/// - `cycles`: the Siklus dimension, 100 on a match, else 0 (ours).
/// - `traits`: the mean of the Cipta, Rasa, Karsa and Tindakan matches, 0/25/50/75/100 (ours).
/// - `overall`: `(40·frekuensi + 30·cycles + 30·traits) / 100`, rounded half up (public weights).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scores {
    /// Frekuensi pairing score.
    pub frekuensi: u8,
    /// Cycle (Siklus) score.
    pub cycles: u8,
    /// Traits score.
    pub traits: u8,
    /// Weighted total.
    pub overall: u8,
}

/// The compatibility of two birth dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CompatibilityResult {
    /// Potensi of the first person.
    pub person1: Potensi,
    /// Potensi of the second person.
    pub person2: Potensi,
    /// The Mitra–Satru pairing. The seed-era web app reads this key (later versions renamed it
    /// `pairing`).
    #[serde(rename = "mitraSatru")]
    pub mitra_satru: MitraSatru,
    /// The five dimensions, in the order Cipta, Rasa, Karsa, Tindakan, Siklus.
    pub dimensions: [DimensionComparison; 5],
    /// The scores.
    pub scores: Scores,
}

/// One pair of a batch: `{personA, personB, result}` with indices into the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompatibilityPair {
    /// Index of the first person in the batch.
    pub person_a: usize,
    /// Index of the second person (always greater than `person_a`).
    pub person_b: usize,
    /// Their compatibility.
    pub result: CompatibilityResult,
}

fn compare(dimension: &'static str, a: Item, b: Item) -> DimensionComparison {
    DimensionComparison {
        dimension,
        person1_value: a.name,
        person2_value: b.name,
        is_match: a.name == b.name,
    }
}

fn match_score(d: &DimensionComparison) -> u32 {
    if d.is_match { MATCH_SCORE } else { 0 }
}

/// A score out of 100 stored in a byte; every score here is at most 100.
fn percent(score: u32) -> u8 {
    u8::try_from(score.min(100)).unwrap_or(100)
}

impl CompatibilityResult {
    /// Compatibility of two Potensi, in that order.
    pub fn of(person1: Potensi, person2: Potensi) -> Self {
        let (a, b): (&BaseReading, &BaseReading) = (&person1.base, &person2.base);
        let category = Category::of(a.frekuensi, b.frekuensi);
        let dimensions = [
            compare("Cipta", a.cipta, b.cipta),
            compare("Rasa", a.rasa, b.rasa),
            compare("Karsa", a.karsa, b.karsa),
            compare("Tindakan", a.tindakan, b.tindakan),
            compare("Siklus", a.siklus, b.siklus),
        ];
        let frekuensi = u32::from(category.score());
        let cycles = match_score(&dimensions[4]);
        let traits = dimensions[..4].iter().map(match_score).sum::<u32>() / 4;
        let weighted = FREKUENSI_WEIGHT * frekuensi + CYCLES_WEIGHT * cycles + TRAITS_WEIGHT * traits;
        let overall = (weighted + 50) / 100;
        Self {
            mitra_satru: MitraSatru {
                person1_frekuensi: a.frekuensi,
                person2_frekuensi: b.frekuensi,
                combined_frekuensi: combined_frekuensi(a.c24_urip, b.c24_urip),
                category,
                description: category.description(),
            },
            dimensions,
            scores: Scores {
                frekuensi: percent(frekuensi),
                cycles: percent(cycles),
                traits: percent(traits),
                overall: percent(overall),
            },
            person1,
            person2,
        }
    }

    /// Compatibility of two birth dates, in that order.
    pub fn of_dates(birth1: CivilDate, birth2: CivilDate) -> Self {
        Self::of(Potensi::of(birth1), Potensi::of(birth2))
    }
}

/// Every pair `(i, j)` with `i < j` of 2..=5 birth dates, in the order (0,1), (0,2), …, (1,2), ….
///
/// Fails with [`WarigaError::BatchSize`] when the number of dates is outside 2..=5.
pub fn compatibility_batch(births: &[CivilDate]) -> Result<Vec<CompatibilityPair>, WarigaError> {
    let n = births.len();
    if !(MIN_COMPATIBILITY_PEOPLE..=MAX_COMPATIBILITY_PEOPLE).contains(&n) {
        return Err(WarigaError::BatchSize { len: n });
    }
    // Each person's Potensi is computed once and reused for all of their pairs.
    let potensi: Vec<Potensi> = births.iter().copied().map(Potensi::of).collect();
    let mut pairs = Vec::with_capacity(n * (n - 1) / 2);
    for (i, a) in potensi.iter().enumerate() {
        for (j, b) in potensi.iter().enumerate().skip(i + 1) {
            pairs.push(CompatibilityPair {
                person_a: i,
                person_b: j,
                result: CompatibilityResult::of(*a, *b),
            });
        }
    }
    Ok(pairs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> CivilDate {
        CivilDate::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn same_birth_date_matches_every_dimension() {
        let d = date("1990-05-15");
        let r = CompatibilityResult::of_dates(d, d);
        assert!(r.dimensions.iter().all(|d| d.is_match));
        // RATU with RATU is neutral in the public matrix.
        assert_eq!(r.mitra_satru.category, Category::Neutral);
        assert_eq!(
            (
                r.scores.frekuensi,
                r.scores.cycles,
                r.scores.traits,
                r.scores.overall
            ),
            (60, 100, 100, 84)
        );
    }

    #[test]
    fn overall_rounds_half_up() {
        // 40·20 + 30·0 + 30·25 = 1550 → 15.5 → 16.
        assert_eq!((FREKUENSI_WEIGHT * 20 + TRAITS_WEIGHT * 25 + 50) / 100, 16);
    }

    #[test]
    fn batch_size_is_enforced() {
        let d = date("2000-01-01");
        for n in [0, 1, 6, 10] {
            assert_eq!(
                compatibility_batch(&vec![d; n]),
                Err(WarigaError::BatchSize { len: n })
            );
        }
        for n in 2..=5 {
            assert_eq!(
                compatibility_batch(&vec![d; n]).map(|p| p.len()),
                Ok(n * (n - 1) / 2)
            );
        }
    }
}
