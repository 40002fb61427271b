//! Rahinan: the holy days of the Pawukon, and Nyepi from a table.
//!
//! Pawukon rules: peradnya/balinese-date-js-lib (`Rahinan`, after I.B.S.
//! Ardhana, "Pokok-Pokok Wariga", 2005), checked against kalenderbali.org's 2026 list. Nyepi
//! follows the lunar Saka calendar, which this engine does not compute; its dates come from a
//! table (python-holidays `balinese_saka.py`, MIT, matching kalenderbali.org for 2026).

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};

use super::date::CivilDate;
use super::pawukon::Pawukon;
use super::wewaran::{Pancawara, Saptawara, Triwara};
use super::wuku::Wuku;

/// A named holy day. Serializes as its display name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rahinan {
    BanyuPinaruh,
    SomaRibek,
    SabuhMas,
    Pagerwesi,
    TumpekLandep,
    TumpekUduh,
    SugihanJawa,
    SugihanBali,
    PenyekebanGalungan,
    PenyajaanGalungan,
    PenampahanGalungan,
    Galungan,
    ManisGalungan,
    PemaridanGuru,
    Ulihan,
    PemacekanAgung,
    PenampahanKuningan,
    Kuningan,
    PegatUwakan,
    TumpekKrulut,
    TumpekKandang,
    TumpekWayang,
    Saraswati,
    KajengKliwon,
    AnggaraKasih,
    BudaCemeng,
    BudaKliwon,
    Nyepi,
}

impl Rahinan {
    /// The display name, as Balinese calendars print it.
    pub const fn name(self) -> &'static str {
        match self {
            Self::BanyuPinaruh => "Banyu Pinaruh",
            Self::SomaRibek => "Soma Ribek",
            Self::SabuhMas => "Sabuh Mas",
            Self::Pagerwesi => "Pagerwesi",
            Self::TumpekLandep => "Tumpek Landep",
            Self::TumpekUduh => "Tumpek Uduh",
            Self::SugihanJawa => "Sugihan Jawa",
            Self::SugihanBali => "Sugihan Bali",
            Self::PenyekebanGalungan => "Penyekeban Galungan",
            Self::PenyajaanGalungan => "Penyajaan Galungan",
            Self::PenampahanGalungan => "Penampahan Galungan",
            Self::Galungan => "Galungan",
            Self::ManisGalungan => "Manis Galungan",
            Self::PemaridanGuru => "Pemaridan Guru",
            Self::Ulihan => "Ulihan",
            Self::PemacekanAgung => "Pemacekan Agung",
            Self::PenampahanKuningan => "Penampahan Kuningan",
            Self::Kuningan => "Kuningan",
            Self::PegatUwakan => "Pegat Uwakan",
            Self::TumpekKrulut => "Tumpek Krulut",
            Self::TumpekKandang => "Tumpek Kandang",
            Self::TumpekWayang => "Tumpek Wayang",
            Self::Saraswati => "Saraswati",
            Self::KajengKliwon => "Kajeng Kliwon",
            Self::AnggaraKasih => "Anggara Kasih",
            Self::BudaCemeng => "Buda Cemeng",
            Self::BudaKliwon => "Buda Kliwon",
            Self::Nyepi => "Nyepi",
        }
    }
}

impl Serialize for Rahinan {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Holy days fixed to one wuku, saptawara and pancawara. Tumpek days are the
/// Saniscara Kliwon of their wuku.
const WUKU_DAYS: [(Wuku, Saptawara, Pancawara, Rahinan); 23] = {
    use Pancawara::{Kliwon, Paing, Pon, Umanis, Wage};
    use Saptawara::{Anggara, Buda, Redite, Saniscara, Soma, Sukra, Wraspati};
    [
        (Wuku::Sinta, Redite, Paing, Rahinan::BanyuPinaruh),
        (Wuku::Sinta, Soma, Pon, Rahinan::SomaRibek),
        (Wuku::Sinta, Anggara, Wage, Rahinan::SabuhMas),
        (Wuku::Sinta, Buda, Kliwon, Rahinan::Pagerwesi),
        (Wuku::Landep, Saniscara, Kliwon, Rahinan::TumpekLandep),
        (Wuku::Wariga, Saniscara, Kliwon, Rahinan::TumpekUduh),
        (Wuku::Sungsang, Wraspati, Wage, Rahinan::SugihanJawa),
        (Wuku::Sungsang, Sukra, Kliwon, Rahinan::SugihanBali),
        (Wuku::Dungulan, Redite, Paing, Rahinan::PenyekebanGalungan),
        (Wuku::Dungulan, Soma, Pon, Rahinan::PenyajaanGalungan),
        (Wuku::Dungulan, Anggara, Wage, Rahinan::PenampahanGalungan),
        (Wuku::Dungulan, Buda, Kliwon, Rahinan::Galungan),
        (Wuku::Dungulan, Wraspati, Umanis, Rahinan::ManisGalungan),
        (Wuku::Dungulan, Saniscara, Pon, Rahinan::PemaridanGuru),
        (Wuku::Kuningan, Redite, Wage, Rahinan::Ulihan),
        (Wuku::Kuningan, Soma, Kliwon, Rahinan::PemacekanAgung),
        (Wuku::Kuningan, Sukra, Wage, Rahinan::PenampahanKuningan),
        (Wuku::Kuningan, Saniscara, Kliwon, Rahinan::Kuningan),
        (Wuku::Pahang, Buda, Kliwon, Rahinan::PegatUwakan),
        (Wuku::Krulut, Saniscara, Kliwon, Rahinan::TumpekKrulut),
        (Wuku::Uye, Saniscara, Kliwon, Rahinan::TumpekKandang),
        (Wuku::Wayang, Saniscara, Kliwon, Rahinan::TumpekWayang),
        (Wuku::Watugunung, Saniscara, Umanis, Rahinan::Saraswati),
    ]
};

/// The Pawukon holy days of a day, in the order of the rule table, then Kajeng Kliwon,
/// Anggara Kasih, Buda Cemeng and Buda Kliwon.
///
/// "Buda Kliwon" is named only when that Buda Kliwon has no name of its own (Pagerwesi,
/// Galungan, Pegat Uwakan), as kalenderbali.org's list does; Kajeng Kliwon is always named,
/// also on Kuningan.
pub fn pawukon_rahinan(p: &Pawukon) -> Vec<Rahinan> {
    let (wuku, sapta, panca) = (p.wuku(), p.saptawara(), p.pancawara());
    let mut days: Vec<Rahinan> = WUKU_DAYS
        .iter()
        .filter(|(w, s, c, _)| (*w, *s, *c) == (wuku, sapta, panca))
        .map(|(_, _, _, r)| *r)
        .collect();
    let has_own_name = !days.is_empty();
    if p.triwara() == Triwara::Kajeng && panca == Pancawara::Kliwon {
        days.push(Rahinan::KajengKliwon);
    }
    match (sapta, panca) {
        (Saptawara::Anggara, Pancawara::Kliwon) => days.push(Rahinan::AnggaraKasih),
        (Saptawara::Buda, Pancawara::Wage) => days.push(Rahinan::BudaCemeng),
        (Saptawara::Buda, Pancawara::Kliwon) if !has_own_name => {
            days.push(Rahinan::BudaKliwon);
        }
        _ => {}
    }
    days
}

/// First year of the Nyepi table.
pub const NYEPI_FIRST_YEAR: i32 = 2020;
/// Last year of the Nyepi table.
pub const NYEPI_LAST_YEAR: i32 = 2035;

/// Nyepi (Saka new year, the day after Tilem Kasanga), 2020–2035, as (month, day) by year.
/// Source: python-holidays `holidays/calendars/balinese_saka.py` (MIT); 2024–2027 also confirmed
/// by kalenderbali.org and news sources.
const NYEPI: [(u32, u32); 16] = [
    (3, 25), // 2020
    (3, 14), // 2021
    (3, 3),  // 2022
    (3, 22), // 2023
    (3, 11), // 2024
    (3, 29), // 2025
    (3, 19), // 2026
    (3, 8),  // 2027
    (3, 26), // 2028
    (3, 15), // 2029
    (3, 5),  // 2030
    (3, 24), // 2031
    (3, 12), // 2032
    (3, 31), // 2033
    (3, 20), // 2034
    (3, 10), // 2035
];

/// The Nyepi date of `year`, or `None` outside [`NYEPI_FIRST_YEAR`]..=[`NYEPI_LAST_YEAR`].
pub fn nyepi(year: i32) -> Option<NaiveDate> {
    let offset = usize::try_from(year.checked_sub(NYEPI_FIRST_YEAR)?).ok()?;
    let (month, day) = NYEPI.get(offset)?;
    NaiveDate::from_ymd_opt(year, *month, *day)
}

/// Whether `date` is Nyepi: `Some(true/false)` inside the table's years, `None` outside them
/// (unknown, since the lunar calendar is not computed).
pub fn is_nyepi(date: CivilDate) -> Option<bool> {
    let date = date.naive();
    nyepi(date.year()).map(|n| n == date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nyepi_table_bounds() {
        assert_eq!(nyepi(2019), None);
        assert_eq!(nyepi(2036), None);
        assert_eq!(nyepi(i32::MIN), None);
        assert_eq!(nyepi(2026), NaiveDate::from_ymd_opt(2026, 3, 19));
        assert_eq!(nyepi(2035), NaiveDate::from_ymd_opt(2035, 3, 10));
        // Nyepi is always in March or early April.
        for year in NYEPI_FIRST_YEAR..=NYEPI_LAST_YEAR {
            assert!(nyepi(year).is_some_and(|d| d.month() == 3 || d.month() == 4));
        }
    }

    #[test]
    fn every_wuku_day_rule_fires_once_per_cycle() {
        for (w, s, c, r) in WUKU_DAYS {
            let hits = (0..210)
                .filter_map(Pawukon::for_cycle_day)
                .filter(|p| pawukon_rahinan(p).contains(&r))
                .count();
            assert_eq!(hits, 1, "{} ({w} {s} {c})", r.name());
        }
    }

    #[test]
    fn recurring_days_have_their_period() {
        let count = |r: Rahinan| {
            (0..210)
                .filter_map(Pawukon::for_cycle_day)
                .filter(|p| pawukon_rahinan(p).contains(&r))
                .count()
        };
        assert_eq!(count(Rahinan::KajengKliwon), 14); // every 15 days
        assert_eq!(count(Rahinan::AnggaraKasih), 6); // every 35 days
        assert_eq!(count(Rahinan::BudaCemeng), 6);
        assert_eq!(count(Rahinan::BudaKliwon), 3); // 6 minus Pagerwesi, Galungan, Pegat Uwakan
    }
}
