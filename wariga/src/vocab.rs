//! Neptu's vocabulary: the uppercase name strings of the reading payloads and the tables that
//! map calendar values and C24 remainders onto them.
//!
//! The strings are interface facts of the Neptu web app: its translations and the AI glossary
//! key off them, so they must not change. Which value maps to which name is either the public
//! formula or **ours**, as each table says.

use super::wewaran::{Caturwara, Dasawara, Pancawara, Sadwara, Saptawara, Triwara};
use super::wuku::Wuku;

/// `sapta_wara.name` per saptawara, Redite first. Source: web i18n keys `wariga.day.*` and the
/// AI glossary.
const SAPTAWARA_NAMES: [&str; 7] = [
    "SUNDAY",
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
];

/// `panca_wara.name` per pancawara, Umanis first. Source: the AI glossary.
const PANCAWARA_NAMES: [&str; 5] = ["UMANIS", "PAHING", "PON", "WAGE", "KLIWON"];

/// `sad_wara.name` per sadwara, Tungleh first. Source: the AI glossary (note `ARIYANG`).
const SADWARA_NAMES: [&str; 6] = ["TUNGLEH", "ARIYANG", "URUKUNG", "PANIRON", "WAS", "MAULU"];

/// `wuku.name` per wuku, Sinta first. Source: the AI glossary (note `PERANGBAKAT`, `KELAWU`).
const WUKU_NAMES: [&str; 30] = [
    "SINTA",
    "LANDEP",
    "UKIR",
    "KULANTIR",
    "TOLU",
    "GUMBREG",
    "WARIGA",
    "WARIGADEAN",
    "JULUNGWANGI",
    "SUNGSANG",
    "DUNGULAN",
    "KUNINGAN",
    "LANGKIR",
    "MEDANGSIA",
    "PUJUT",
    "PAHANG",
    "KRULUT",
    "MERAKIH",
    "TAMBIR",
    "MEDANGKUNGAN",
    "MATAL",
    "UYE",
    "MENAIL",
    "PERANGBAKAT",
    "BALA",
    "UGU",
    "WAYANG",
    "KELAWU",
    "DUKUT",
    "WATUGUNUNG",
];

/// `cipta` (psychosocial) = `CIPTA[c24 mod 8]`. Formula and order: Neptu README; names: i18n.
pub(crate) const CIPTA: [&str; 8] = [
    "TRUST",
    "AUTONOMY",
    "INITIATIVE",
    "DILIGENT",
    "IDENTITY",
    "INTIMATE",
    "DYNAMIC",
    "INTEGRITY",
];

/// `rasa` (emotional) = `RASA[c24 mod 9]`. Formula and order: Neptu README; names: i18n.
pub(crate) const RASA: [&str; 9] = [
    "PEACE", "APATHY", "ANGER", "GRIEF", "PRIDE", "PASSION", "FEAR", "FIRM", "SINCERE",
];

/// `karsa` (behavioural) = `KARSA[c24 mod 5]`. The README writes `mod 6` but lists only five
/// names, so the divisor is 5. `GESTURE(+)` is the original engine's string (the
/// AI glossary keys off it); the web i18n spells its key `GESTURE_POSITIVE`.
pub(crate) const KARSA: [&str; 5] = ["LISTENING", "SHARING", "EMPATHY", "GESTURE(+)", "GENUINE"];

/// `tindakan` (action) = `TINDAKAN[c24 mod 6]`. Formula and order: Neptu README; names: i18n
/// (which replaces spaces with `_` for its keys).
pub(crate) const TINDAKAN: [&str; 6] = [
    "MINDFULNESS",
    "WORSHIP",
    "PROBIOTIC",
    "SERVICE",
    "CLEAN UP",
    "DEEP SLEEP",
];

/// `afirmasi.name` = `AFIRMASI[c24 mod 11]` (rule: ours; names and order: i18n
/// `wariga.afirmasi.*` and the AI glossary).
pub(crate) const AFIRMASI: [&str; 11] = [
    "I AM ENTHUSIASTIC",
    "I AM SPECIAL",
    "I AM ABUNDANT",
    "I AM STRONG",
    "I AM UNIQUE",
    "I AM COMPLETE",
    "I AM FOCUSED",
    "I AM OBEDIENT",
    "I AM INSPIRED",
    "I AM VALUABLE",
    "I AM BALANCED",
];

/// `siklus` per triwara: Pasah → INPUT, Beteng → PROCESS, Kajeng → OUTPUT. The link to triwara
/// is public (a code comment "tri_wara / siklus"); the order is ours.
const SIKLUS: [&str; 3] = ["INPUT", "PROCESS", "OUTPUT"];

/// `kanda_pat` ("four inner voices") per caturwara, Sri first. The link to caturwara is public
/// ("catur_wara / kanda_pat"); the order is ours.
const KANDA_PAT: [&str; 4] = ["EMOTION", "INTELLIGENCE", "CONSCIENCE", "INSTINCT"];

/// `panca_tirta` (Yin organ) per pancawara, Umanis first. Ours: each pancawara takes the organ of
/// the element of its Nawa Sanga direction (Umanis east → wood → liver, Paing south → fire →
/// heart, Pon west → metal → lung, Wage north → water → kidney, Kliwon centre → earth → spleen).
const PANCA_TIRTA: [&str; 5] = ["LIVER", "HEART", "LUNG", "KIDNEY", "SPLEEN"];

/// `panca_brahma` (Yang organ) per pancawara, Umanis first. Ours: the Yang partner of the
/// [`PANCA_TIRTA`] organ of the same element (liver/gallbladder, heart/small intestine,
/// lung/large intestine, kidney/bladder, spleen/stomach).
const PANCA_BRAHMA: [&str; 5] = [
    "GALLBLADDER",
    "SMALL INTESTINE",
    "LARGE INTESTINE",
    "BLADDER",
    "STOMACH",
];

/// `dasa_aksara` ("ten cosmic forces") per dasawara, Pandita first. Ours: labels from the
/// original vocabulary (AI glossary) matched to the dasawara meaning: Pandita (sage) →
/// BRAHMA/YANG, Pati (death) → KALA, Suka (joy) → DEITY/YANG, Duka (sorrow) → WATER/YIN,
/// Sri → SRI, Manuh (devoted) → UMA, Manusa → HUMAN, Raja → KING, Dewa → DEITY,
/// Raksasa → GIANT. The glossary has only nine distinct labels, so KING is our tenth.
const DASA_AKSARA: [&str; 10] = [
    "BRAHMA/YANG",
    "KALA",
    "DEITY/YANG",
    "WATER/YIN",
    "SRI",
    "UMA",
    "HUMAN",
    "KING",
    "DEITY",
    "GIANT",
];

impl Saptawara {
    /// The Neptu payload name (`SUNDAY` … `SATURDAY`).
    pub const fn neptu_name(self) -> &'static str {
        SAPTAWARA_NAMES[self.index()]
    }
}

impl Pancawara {
    /// The Neptu payload name (`UMANIS`, `PAHING`, `PON`, `WAGE`, `KLIWON`).
    pub const fn neptu_name(self) -> &'static str {
        PANCAWARA_NAMES[self.index()]
    }

    /// The Yin organ (`panca_tirta`) of this pancawara (ours).
    pub const fn panca_tirta(self) -> &'static str {
        PANCA_TIRTA[self.index()]
    }

    /// The Yang organ (`panca_brahma`) of this pancawara (ours).
    pub const fn panca_brahma(self) -> &'static str {
        PANCA_BRAHMA[self.index()]
    }
}

impl Sadwara {
    /// The Neptu payload name (`TUNGLEH`, `ARIYANG`, …).
    pub const fn neptu_name(self) -> &'static str {
        SADWARA_NAMES[self.index()]
    }
}

impl Wuku {
    /// The Neptu payload name (uppercase, `PERANGBAKAT` for Prangbakat).
    pub const fn neptu_name(self) -> &'static str {
        WUKU_NAMES[self.index()]
    }
}

impl Triwara {
    /// The `siklus` step of this triwara.
    pub const fn siklus(self) -> &'static str {
        SIKLUS[self.index()]
    }
}

impl Caturwara {
    /// The `kanda_pat` voice of this caturwara.
    pub const fn kanda_pat(self) -> &'static str {
        KANDA_PAT[self.index()]
    }
}

impl Dasawara {
    /// The `dasa_aksara` label of this dasawara (ours).
    pub const fn dasa_aksara(self) -> &'static str {
        DASA_AKSARA[self.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_distinct_within_each_table() {
        fn distinct(names: &[&str]) -> bool {
            names
                .iter()
                .enumerate()
                .all(|(i, a)| names[i + 1..].iter().all(|b| a != b))
        }
        for table in [
            &SAPTAWARA_NAMES[..],
            &PANCAWARA_NAMES,
            &SADWARA_NAMES,
            &WUKU_NAMES,
            &CIPTA,
            &RASA,
            &KARSA,
            &TINDAKAN,
            &AFIRMASI,
            &SIKLUS,
            &KANDA_PAT,
            &PANCA_TIRTA,
            &PANCA_BRAHMA,
            &DASA_AKSARA,
        ] {
            assert!(distinct(table), "{table:?}");
        }
    }

    #[test]
    fn legacy_names_are_uppercase_balinese_names_where_they_can_be() {
        for w in Wuku::ALL {
            let expected = match w {
                Wuku::Prangbakat => "PERANGBAKAT".to_owned(),
                _ => w.name().to_uppercase(),
            };
            assert_eq!(w.neptu_name(), expected);
        }
        for p in Pancawara::ALL {
            let expected = match p {
                Pancawara::Paing => "PAHING".to_owned(),
                _ => p.name().to_uppercase(),
            };
            assert_eq!(p.neptu_name(), expected);
        }
    }
}
