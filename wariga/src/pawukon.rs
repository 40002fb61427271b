//! The Pawukon: the 210-day cycle and everything it determines.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::date::CivilDate;
use super::wewaran::{
    Astawara, Caturwara, Dasawara, Dwiwara, Ekawara, Pancawara, Sadwara, Sangawara, Saptawara, Triwara,
};
use super::wuku::{Wuku, WukuDetail};

/// Length of the Pawukon cycle in days (30 wuku of 7 days).
pub const CYCLE_DAYS: usize = 210;

/// Offset from R.D. (0001-01-01 = 1) to the Pawukon epoch: C&C's
/// `bali-epoch = fixed-from-jd(146) = R.D. −1721279`. Day 0 of the cycle is therefore
/// 1971-01-24, 2026-04-05, and every 210 days from them.
const EPOCH_OFFSET: i64 = 1_721_279;

/// Cycle days 70, 71 and 72 are the three-day Jayatiga (caturwara) and Kalatiga (astawara).
const TIGA_FIRST_DAY: usize = 70;
const TIGA_LAST_DAY: usize = 72;
/// Cycle days 0..=3 are the four-day Caturdangu (sangawara).
const CATURDANGU_LAST_DAY: usize = 3;

/// Day of the 210-day cycle (0..=209) of any chrono date: `(R.D. + 1721279) mod 210`
/// (Euclidean), the C&C formula. Works for every date chrono can hold; it never fails.
pub fn cycle_day_of(date: NaiveDate) -> usize {
    let day = (i64::from(date.num_days_from_ce()) + EPOCH_OFFSET).rem_euclid(CYCLE_DAYS as i64);
    // `rem_euclid` by 210 is in 0..210, so the conversion cannot fail.
    usize::try_from(day).unwrap_or_default()
}

/// Every derived Pawukon value of one day: the wuku, the ten wewaran and the urip total.
///
/// All of it depends only on the cycle day, so the 210 possible values are computed once
/// ([`Pawukon::for_cycle_day`]) and looked up afterwards.
///
/// Serializes as `{day, wuku: {value, name, urip, bhatara}, ekawara, dwiwara, …, dasawara,
/// urip}`; each wewaran is `{value, name, urip}` with the Balinese name and 1-based value, and
/// `ekawara` is `null` on days without Luang.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pawukon {
    day: u8,
    wuku: Wuku,
    ekawara: Option<Ekawara>,
    dwiwara: Dwiwara,
    triwara: Triwara,
    caturwara: Caturwara,
    pancawara: Pancawara,
    sadwara: Sadwara,
    saptawara: Saptawara,
    astawara: Astawara,
    sangawara: Sangawara,
    dasawara: Dasawara,
}

/// The 210 Pawukon days, computed on first use.
static TABLE: LazyLock<[Pawukon; CYCLE_DAYS]> = LazyLock::new(|| std::array::from_fn(Pawukon::compute));

impl Pawukon {
    /// The Pawukon of a validated date (a table lookup).
    pub fn of(date: CivilDate) -> Self {
        Self::lookup(cycle_day_of(date.naive()))
    }

    /// The Pawukon of cycle day `day` (0..=209); `None` for larger numbers.
    pub fn for_cycle_day(day: usize) -> Option<Self> {
        TABLE.get(day).copied()
    }

    /// Table lookup for a day already reduced modulo 210.
    fn lookup(day: usize) -> Self {
        TABLE[day % CYCLE_DAYS]
    }

    /// Applies the Pawukon rules to one cycle day. Used once per day to fill the table.
    fn compute(day: usize) -> Self {
        let day = day % CYCLE_DAYS;
        let saptawara = Saptawara::from_index(day);
        // Day 0 is Paing, the second name of the list.
        let pancawara = Pancawara::from_index(day + 1);
        let urip = usize::from(saptawara.urip() + pancawara.urip());

        // Jayatiga / Kalatiga: days 70..=72 stay on Jaya and Kala, then the count resumes two
        // days behind. Day 70 is Jaya and Kala under the plain rule already.
        let (caturwara, astawara) = if day < TIGA_FIRST_DAY {
            (Caturwara::from_index(day), Astawara::from_index(day))
        } else if day <= TIGA_LAST_DAY {
            (Caturwara::Jaya, Astawara::Kala)
        } else {
            (Caturwara::from_index(day - 2), Astawara::from_index(day - 2))
        };
        // Caturdangu: days 0..=3 are all Dangu, then the count starts from day 3.
        let sangawara = if day <= CATURDANGU_LAST_DAY {
            Sangawara::Dangu
        } else {
            Sangawara::from_index(day - CATURDANGU_LAST_DAY)
        };

        Self {
            // `day` is below 210, so it fits a u8.
            day: u8::try_from(day).unwrap_or_default(),
            wuku: Wuku::from_index(day / 7),
            ekawara: (urip % 2 == 1).then_some(Ekawara::Luang),
            dwiwara: if urip % 2 == 0 {
                Dwiwara::Menga
            } else {
                Dwiwara::Pepet
            },
            triwara: Triwara::from_index(day),
            caturwara,
            pancawara,
            sadwara: Sadwara::from_index(day),
            saptawara,
            astawara,
            sangawara,
            dasawara: Dasawara::from_index(urip),
        }
    }

    /// Day of the 210-day cycle, 0..=209 (day 0 = Redite Paing Sinta).
    pub const fn day(&self) -> usize {
        self.day as usize
    }
    /// The wuku (week).
    pub const fn wuku(&self) -> Wuku {
        self.wuku
    }
    /// Ekawara: `Some(Luang)` when the urip total is odd.
    pub const fn ekawara(&self) -> Option<Ekawara> {
        self.ekawara
    }
    /// Dwiwara.
    pub const fn dwiwara(&self) -> Dwiwara {
        self.dwiwara
    }
    /// Triwara.
    pub const fn triwara(&self) -> Triwara {
        self.triwara
    }
    /// Caturwara.
    pub const fn caturwara(&self) -> Caturwara {
        self.caturwara
    }
    /// Pancawara.
    pub const fn pancawara(&self) -> Pancawara {
        self.pancawara
    }
    /// Sadwara.
    pub const fn sadwara(&self) -> Sadwara {
        self.sadwara
    }
    /// Saptawara (weekday).
    pub const fn saptawara(&self) -> Saptawara {
        self.saptawara
    }
    /// Astawara.
    pub const fn astawara(&self) -> Astawara {
        self.astawara
    }
    /// Sangawara.
    pub const fn sangawara(&self) -> Sangawara {
        self.sangawara
    }
    /// Dasawara.
    pub const fn dasawara(&self) -> Dasawara {
        self.dasawara
    }

    /// Urip (neptu) of the day: `urip(saptawara) + urip(pancawara)`, 7..=18. This is the
    /// reading's `total_urip`.
    pub const fn urip(&self) -> u8 {
        self.saptawara.urip() + self.pancawara.urip()
    }
}

impl Serialize for Pawukon {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut block = serializer.serialize_struct("Pawukon", 13)?;
        block.serialize_field("day", &self.day)?;
        block.serialize_field("wuku", &WukuDetail(self.wuku))?;
        block.serialize_field("ekawara", &self.ekawara)?;
        block.serialize_field("dwiwara", &self.dwiwara)?;
        block.serialize_field("triwara", &self.triwara)?;
        block.serialize_field("caturwara", &self.caturwara)?;
        block.serialize_field("pancawara", &self.pancawara)?;
        block.serialize_field("sadwara", &self.sadwara)?;
        block.serialize_field("saptawara", &self.saptawara)?;
        block.serialize_field("astawara", &self.astawara)?;
        block.serialize_field("sangawara", &self.sangawara)?;
        block.serialize_field("dasawara", &self.dasawara)?;
        block.serialize_field("urip", &self.urip())?;
        block.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle_day(y: i32, m: u32, d: u32) -> usize {
        NaiveDate::from_ymd_opt(y, m, d).map_or(usize::MAX, cycle_day_of)
    }

    #[test]
    fn epoch_anchors() {
        assert_eq!(cycle_day(1971, 1, 24), 0);
        assert_eq!(cycle_day(2026, 4, 5), 0);
        assert_eq!(cycle_day(1971, 1, 27), 3);
        assert_eq!(cycle_day(2000, 1, 18), 86);
        assert_eq!(cycle_day(2026, 1, 1), 116);
    }

    #[test]
    fn handles_dates_before_the_epoch_and_chrono_extremes() {
        assert_eq!(cycle_day(1971, 1, 23), 209);
        assert!(cycle_day_of(NaiveDate::MIN) < CYCLE_DAYS);
        assert!(cycle_day_of(NaiveDate::MAX) < CYCLE_DAYS);
    }

    #[test]
    fn day_zero_is_redite_paing_sinta() {
        let p = Pawukon::for_cycle_day(0);
        assert_eq!(
            p.map(|p| (p.saptawara(), p.pancawara(), p.wuku(), p.triwara(), p.sadwara())),
            Some((
                Saptawara::Redite,
                Pancawara::Paing,
                Wuku::Sinta,
                Triwara::Pasah,
                Sadwara::Tungleh
            ))
        );
        assert_eq!(Pawukon::for_cycle_day(CYCLE_DAYS), None);
    }

    #[test]
    fn jayatiga_kalatiga_and_caturdangu_lengths() {
        let days = || (0..CYCLE_DAYS).filter_map(Pawukon::for_cycle_day);
        // Each special value covers its normal share plus the repeated days.
        assert_eq!(
            days().filter(|p| p.caturwara() == Caturwara::Jaya).count(),
            210 / 4 + 2
        );
        assert_eq!(
            days().filter(|p| p.astawara() == Astawara::Kala).count(),
            210 / 8 + 2
        );
        assert_eq!(
            days().filter(|p| p.sangawara() == Sangawara::Dangu).count(),
            23 + 3
        );
        // The last day of the cycle closes each count cleanly into day 0.
        let last = Pawukon::for_cycle_day(209);
        assert_eq!(last.map(|p| p.caturwara()), Some(Caturwara::Menala));
        assert_eq!(last.map(|p| p.astawara()), Some(Astawara::Uma));
        assert_eq!(last.map(|p| p.sangawara()), Some(Sangawara::Dadi));
    }

    #[test]
    fn luang_and_dwiwara_follow_urip_parity() {
        for p in (0..CYCLE_DAYS).filter_map(Pawukon::for_cycle_day) {
            let odd = p.urip() % 2 == 1;
            assert_eq!(p.ekawara().is_some(), odd);
            assert_eq!(p.dwiwara() == Dwiwara::Pepet, odd);
            assert!((7..=18).contains(&p.urip()));
        }
    }
}
