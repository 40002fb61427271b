//! Frekuensi (GURU / RATU / LARA / PATI) and the Mitra–Satru pairing of two frekuensi.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};

use super::items::Purpose;

/// One of the four frekuensi, in the order of its numbering: `frekuensi = [RATU, LARA, PATI,
/// GURU][c24 mod 4]` (rule: ours). The numbering is the public `COMPATIBILITY_FREKUENSI`
/// constant of Neptu (`RATU 0, LARA 1, PATI 2, GURU 3`); the seed-era `MITRA_SATRU_FREKUENSI`
/// numbered them differently (`PATI 0, GURU 1, RATU 2, LARA 3`), which we do not follow.
///
/// Serializes as the item `{value, name, description}`, `value` being that 0-based number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frekuensi {
    /// Ruler: decisions, order, protection.
    Ratu,
    /// Growth through difficulty.
    Lara,
    /// Release, closure.
    Pati,
    /// Teacher: learning, guidance.
    Guru,
}

impl Frekuensi {
    /// All four, in numbering order.
    pub const ALL: [Self; 4] = [Self::Ratu, Self::Lara, Self::Pati, Self::Guru];

    /// The frekuensi of a C24 total (or of the sum of two, for combined frekuensi).
    pub const fn from_c24(c24: u32) -> Self {
        Self::ALL[(c24 % 4) as usize]
    }

    /// The public numbering (`RATU 0 … GURU 3`).
    pub const fn value(self) -> u8 {
        self as u8
    }

    /// The payload name.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ratu => "RATU",
            Self::Lara => "LARA",
            Self::Pati => "PATI",
            Self::Guru => "GURU",
        }
    }

    /// The purpose word used as `lahir_untuk.description` / `diberi_hak_untuk.description`
    /// (README table "Frequency": GURU Guiding, RATU Protecting, LARA Growing, PATI Releasing;
    /// i18n keys `wariga.lahirUntukDesc.*`).
    pub const fn purpose(self) -> &'static str {
        match self {
            Self::Ratu => "PROTECTING",
            Self::Lara => "GROWING",
            Self::Pati => "RELEASING",
            Self::Guru => "GUIDING",
        }
    }

    /// The `{name, description}` block of `lahir_untuk` / `diberi_hak_untuk`.
    pub const fn purpose_item(self) -> Purpose {
        Purpose {
            name: self.name(),
            description: self.purpose(),
        }
    }

    /// Short description (ours; the original texts are not reused).
    pub const fn description(self) -> &'static str {
        match self {
            Self::Ratu => {
                "Ratu, the ruler: a frequency for deciding, leading and protecting what has been built."
            }
            Self::Lara => {
                "Lara, the grower: a frequency of effort and healing, where difficulty builds strength."
            }
            Self::Pati => {
                "Pati, the releaser: a frequency for letting go, closing cycles and making room for what comes next."
            }
            Self::Guru => {
                "Guru, the teacher: a frequency for learning, teaching and following good guidance."
            }
        }
    }
}

impl Serialize for Frekuensi {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("Frekuensi", 3)?;
        item.serialize_field("value", &self.value())?;
        item.serialize_field("name", self.name())?;
        item.serialize_field("description", self.description())?;
        item.end()
    }
}

/// How two frekuensi get on: friends, neutral or foes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Friends.
    Mitra,
    /// Neither.
    Neutral,
    /// Foes.
    Satru,
}

impl Category {
    /// The pairing of two frekuensi. Source: Neptu's public `MITRA_SATRU_PAIRS` /
    /// `COMPATIBILITY_PAIRS` matrix (it is symmetric).
    pub const fn of(a: Frekuensi, b: Frekuensi) -> Self {
        use Category::{Mitra, Neutral, Satru};
        use Frekuensi::{Guru, Lara, Pati, Ratu};
        match (a, b) {
            (Guru, Guru | Ratu) | (Ratu, Guru) | (Lara, Pati) | (Pati, Lara) => Mitra,
            (Guru, Pati) | (Pati, Guru | Pati) | (Ratu, Lara) | (Lara, Ratu) => Satru,
            (Guru, Lara) | (Lara, Guru | Lara) | (Ratu, Ratu | Pati) | (Pati, Ratu) => Neutral,
        }
    }

    /// Score of the category out of 100 (public `COMPATIBILITY_SCORES`: 100 / 60 / 20).
    pub const fn score(self) -> u8 {
        match self {
            Self::Mitra => 100,
            Self::Neutral => 60,
            Self::Satru => 20,
        }
    }

    /// Description of the pairing (ours).
    pub const fn description(self) -> &'static str {
        match self {
            Self::Mitra => "Mitra: the two frequencies support each other, and cooperation comes naturally.",
            Self::Neutral => {
                "Neutral: the two frequencies neither help nor hinder; the bond grows with shared effort."
            }
            Self::Satru => {
                "Satru: the two frequencies pull in different directions; patience and clear agreements help."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_follows_c24_mod_4() {
        assert_eq!(Frekuensi::from_c24(16), Frekuensi::Ratu);
        assert_eq!(Frekuensi::from_c24(21), Frekuensi::Lara);
        assert_eq!(Frekuensi::from_c24(26), Frekuensi::Pati);
        assert_eq!(Frekuensi::from_c24(27), Frekuensi::Guru);
        for f in Frekuensi::ALL {
            assert_eq!(Frekuensi::from_c24(u32::from(f.value())), f);
        }
    }

    #[test]
    fn pair_matrix_matches_the_public_table() {
        use Category::{Mitra as M, Neutral as N, Satru as S};
        use Frekuensi::{Guru, Lara, Pati, Ratu};
        // Rows and columns in the order GURU, RATU, LARA, PATI, as published.
        let order = [Guru, Ratu, Lara, Pati];
        let published = [[M, M, N, S], [M, N, S, N], [N, S, N, M], [S, N, M, S]];
        for (i, a) in order.iter().enumerate() {
            for (j, b) in order.iter().enumerate() {
                assert_eq!(Category::of(*a, *b), published[i][j], "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn serializes_category_in_lowercase() {
        let json = serde_json::to_string(&[Category::Mitra, Category::Neutral, Category::Satru]);
        assert_eq!(json.ok().as_deref(), Some(r#"["mitra","neutral","satru"]"#));
    }
}
