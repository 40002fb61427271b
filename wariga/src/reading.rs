//! The Neptu reading model: Potensi (a birth date), Peluang (a day) and the full reading.
//!
//! Field names and shapes are those the web app reads (its `BaseReading`, `Potensi`, `Peluang`
//! and `FullReading` types). The formulas for the fields the original backend kept private are
//! ours, each documented where computed.

use serde::Serialize;

use super::date::CivilDate;
use super::frekuensi::Frekuensi;
use super::items::{Afirmasi, DayItem, Dualitas, GenderPattern, Item, Purpose, WukuItem};
use super::pawukon::Pawukon;
use super::vocab::{AFIRMASI, CIPTA, KARSA, RASA, TINDAKAN};

/// The fields Potensi and Peluang share. Every field depends only on [`BaseReading::date`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BaseReading {
    /// The date read, `YYYY-MM-DD`.
    pub date: CivilDate,
    /// Saptawara (weekday), named `SUNDAY` … `SATURDAY`.
    pub sapta_wara: DayItem,
    /// Pancawara.
    pub panca_wara: DayItem,
    /// Wuku.
    pub wuku: WukuItem,
    /// Sadwara.
    pub sad_wara: DayItem,
    /// `urip(saptawara) + urip(pancawara)`, 7..=18.
    pub total_urip: u8,
    /// `c24_urip + urip(wuku)`, 11..=36 (ours).
    pub full_urip: u8,
    /// C24 = `total_urip + urip(sadwara)`, 10..=27 (Neptu README formula).
    pub c24_urip: u8,
    /// Label of the dasawara (ours).
    pub dasa_aksara: Item,
    /// Yang organ of the pancawara (ours).
    pub panca_brahma: Item,
    /// Yin organ of the pancawara (ours).
    pub panca_tirta: Item,
    /// `[RATU, LARA, PATI, GURU][c24 mod 4]` (ours).
    pub frekuensi: Frekuensi,
    /// Genders of sapta, panca and sad, e.g. `"LLP"` (ours).
    pub gender_pattern: GenderPattern,
    /// `total_urip mod 2`, 1 exactly on Luang days (ours).
    pub biner: u8,
    /// `YANG` when `biner` is 1, else `YIN` (ours).
    pub dualitas: Dualitas,
    /// INPUT / PROCESS / OUTPUT from the triwara.
    pub siklus: Item,
    /// EMOTION / INTELLIGENCE / CONSCIENCE / INSTINCT from the caturwara.
    pub kanda_pat: Item,
    /// `CIPTA[c24 mod 8]` (README formula).
    pub cipta: Item,
    /// `RASA[c24 mod 9]` (README formula).
    pub rasa: Item,
    /// `KARSA[c24 mod 5]` (README formula with the divisor corrected to the five names).
    pub karsa: Item,
    /// `TINDAKAN[c24 mod 6]` (README formula).
    pub tindakan: Item,
}

/// `TABLE[c24 mod TABLE.len()]` as an item whose value is the remainder.
fn by_remainder(table: &'static [&'static str], c24: u8) -> Item {
    let index = usize::from(c24) % table.len();
    Item {
        // Every table is shorter than 256 entries.
        value: u8::try_from(index).unwrap_or(u8::MAX),
        name: table[index],
    }
}

impl BaseReading {
    /// Computes the shared fields for `date`.
    pub fn of(date: CivilDate) -> Self {
        let p = Pawukon::of(date);
        let (sapta, panca, sad, wuku) = (p.saptawara(), p.pancawara(), p.sadwara(), p.wuku());
        let total_urip = p.urip();
        let c24_urip = total_urip + sad.urip();
        let biner = total_urip % 2;
        let sapta_wara = DayItem::new(sapta.value(), sapta.neptu_name(), sapta.urip());
        let panca_wara = DayItem::new(panca.value(), panca.neptu_name(), panca.urip());
        let sad_wara = DayItem::new(sad.value(), sad.neptu_name(), sad.urip());
        Self {
            date,
            sapta_wara,
            panca_wara,
            wuku: WukuItem {
                value: wuku.value(),
                name: wuku.neptu_name(),
                urip: wuku.urip(),
            },
            sad_wara,
            total_urip,
            full_urip: c24_urip + wuku.urip(),
            c24_urip,
            dasa_aksara: Item {
                value: p.dasawara().value(),
                name: p.dasawara().dasa_aksara(),
            },
            panca_brahma: Item {
                value: panca.value(),
                name: panca.panca_brahma(),
            },
            panca_tirta: Item {
                value: panca.value(),
                name: panca.panca_tirta(),
            },
            frekuensi: Frekuensi::from_c24(u32::from(c24_urip)),
            gender_pattern: GenderPattern([sapta_wara.gender, panca_wara.gender, sad_wara.gender]),
            biner,
            dualitas: if biner == 1 { Dualitas::Yang } else { Dualitas::Yin },
            siklus: Item {
                value: p.triwara().value(),
                name: p.triwara().siklus(),
            },
            kanda_pat: Item {
                value: p.caturwara().value(),
                name: p.caturwara().kanda_pat(),
            },
            cipta: by_remainder(&CIPTA, c24_urip),
            rasa: by_remainder(&RASA, c24_urip),
            karsa: by_remainder(&KARSA, c24_urip),
            tindakan: by_remainder(&TINDAKAN, c24_urip),
        }
    }

    /// `{pattern: gender_pattern, name: AFIRMASI[c24 mod 11]}` (ours).
    pub fn afirmasi(&self) -> Afirmasi {
        Afirmasi {
            pattern: self.gender_pattern,
            name: by_remainder(&AFIRMASI, self.c24_urip).name,
        }
    }
}

/// The reading of a birth date: innate potential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Potensi {
    /// The shared fields, flattened into this object.
    #[serde(flatten)]
    pub base: BaseReading,
    /// The affirmation.
    pub afirmasi: Afirmasi,
    /// "Born to": the birth frekuensi and its purpose.
    pub lahir_untuk: Purpose,
}

impl Potensi {
    /// The Potensi of a birth date.
    pub fn of(birth: CivilDate) -> Self {
        let base = BaseReading::of(birth);
        Self {
            afirmasi: base.afirmasi(),
            lahir_untuk: base.frekuensi.purpose_item(),
            base,
        }
    }
}

/// The reading of a day: its opportunity, optionally personalised by a birth date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Peluang {
    /// The shared fields of the target date, flattened into this object.
    #[serde(flatten)]
    pub base: BaseReading,
    /// The affirmation of the target date.
    pub afirmasi: Afirmasi,
    /// "Given the right to": the day's frekuensi, or with a birth date the combined frekuensi
    /// `(c24_birth + c24_target) mod 4` (ours).
    pub diberi_hak_untuk: Purpose,
}

impl Peluang {
    /// The Peluang of `target`. Every field but `diberi_hak_untuk` depends on `target` alone.
    pub fn of(target: CivilDate, birth: Option<CivilDate>) -> Self {
        Self::with_birth_c24(target, birth.map(|birth| BaseReading::of(birth).c24_urip))
    }

    /// [`Peluang::of`] for a birth date whose C24 is already known.
    fn with_birth_c24(target: CivilDate, birth_c24: Option<u8>) -> Self {
        let base = BaseReading::of(target);
        let frekuensi = match birth_c24 {
            Some(birth_c24) => combined_frekuensi(birth_c24, base.c24_urip),
            None => base.frekuensi,
        };
        Self {
            afirmasi: base.afirmasi(),
            diberi_hak_untuk: frekuensi.purpose_item(),
            base,
        }
    }
}

/// The frekuensi of two C24 totals together: `(a + b) mod 4` (ours). Used by a
/// personalised Peluang and by compatibility.
pub(crate) fn combined_frekuensi(a: u8, b: u8) -> Frekuensi {
    Frekuensi::from_c24(u32::from(a) + u32::from(b))
}

/// Potensi of a birth date together with the Peluang of a target date for that person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FullReading {
    /// The birth reading.
    pub potensi: Potensi,
    /// The target-day reading, personalised by the birth date.
    pub peluang: Peluang,
}

impl FullReading {
    /// The full reading of `birth` on `target`.
    pub fn of(birth: CivilDate, target: CivilDate) -> Self {
        let potensi = Potensi::of(birth);
        let peluang = Peluang::with_birth_c24(target, Some(potensi.base.c24_urip));
        Self { potensi, peluang }
    }
}
