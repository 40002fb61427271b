//! The ten wewaran (day cycles of 1 to 10 days) with their pinned names and urip.
//!
//! Names and order: Calendrical Calculations (Reingold & Dershowitz) and peradnya/balinese-date-js-lib
//! (Apache-2.0), cross-checked with kalenderbali.org day lines.
//!
//! Urip: peradnya/balinese-date-js-lib, whose values derive from babadbali.com. Saptawara,
//! pancawara, triwara, astawara and sangawara urip agree across every source checked. The urip
//! of **caturwara, sadwara and dasawara are not standardised** (SHA888/balinese-calendar has
//! different ones); the values here are the commonly cited ones, pinned on purpose because the
//! sadwara urip feeds `c24_urip`. Changing any of them changes readings.

use super::cycle::cycle;

cycle! {
    /// Ekawara, the one-day cycle: the day is **Luang** when its urip total is odd, otherwise it
    /// has no ekawara (C&C `luang`).
    pub enum Ekawara {
        Luang => ("Luang", 1),
    }
}

cycle! {
    /// Dwiwara, the two-day cycle, named from the parity of the urip total: even → Menga,
    /// odd → Pepet (C&C `dwiwara`).
    pub enum Dwiwara {
        Menga => ("Menga", 5),
        Pepet => ("Pepet", 4),
    }
}

cycle! {
    /// Triwara, the three-day market cycle: `d mod 3` (C&C).
    pub enum Triwara {
        Pasah => ("Pasah", 9),
        Beteng => ("Beteng", 4),
        Kajeng => ("Kajeng", 7),
    }
}

cycle! {
    /// Caturwara, the four-day cycle, with the three-day "Jayatiga" on cycle days 70–72
    /// (C&C `caturwara = amod(asatawara, 4)`). Urip: commonly cited, not canonical.
    pub enum Caturwara {
        Sri => ("Sri", 6),
        Laba => ("Laba", 5),
        Jaya => ("Jaya", 1),
        Menala => ("Menala", 8),
    }
}

cycle! {
    /// Pancawara, the five-day market week: `(d + 1) mod 5`, so cycle day 0 is Paing
    /// (C&C). The urip follow the Dewata Nawa Sanga compass numbers.
    pub enum Pancawara {
        Umanis => ("Umanis", 5),
        Paing => ("Paing", 9),
        Pon => ("Pon", 7),
        Wage => ("Wage", 4),
        Kliwon => ("Kliwon", 8),
    }
}

cycle! {
    /// Sadwara, the six-day cycle: `d mod 6` (C&C). Urip: commonly cited (peradnya),
    /// not canonical; pinned because it feeds `c24_urip`.
    pub enum Sadwara {
        Tungleh => ("Tungleh", 7),
        Aryang => ("Aryang", 6),
        Urukung => ("Urukung", 5),
        Paniron => ("Paniron", 8),
        Was => ("Was", 9),
        Maulu => ("Maulu", 3),
    }
}

cycle! {
    /// Saptawara, the seven-day week: `d mod 7`, always the real weekday with Redite = Sunday
    /// (C&C).
    pub enum Saptawara {
        Redite => ("Redite", 5),
        Soma => ("Soma", 4),
        Anggara => ("Anggara", 3),
        Buda => ("Buda", 7),
        Wraspati => ("Wraspati", 8),
        Sukra => ("Sukra", 6),
        Saniscara => ("Saniscara", 9),
    }
}

cycle! {
    /// Astawara, the eight-day cycle, with the three-day "Kalatiga" on cycle days 70–72
    /// (C&C `asatawara`).
    pub enum Astawara {
        Sri => ("Sri", 6),
        Indra => ("Indra", 5),
        Guru => ("Guru", 8),
        Yama => ("Yama", 9),
        Ludra => ("Ludra", 3),
        Brahma => ("Brahma", 7),
        Kala => ("Kala", 1),
        Uma => ("Uma", 4),
    }
}

cycle! {
    /// Sangawara, the nine-day cycle, with the four-day "Caturdangu" on cycle days 0–3
    /// (C&C `sangawara`).
    pub enum Sangawara {
        Dangu => ("Dangu", 5),
        Jangur => ("Jangur", 8),
        Gigis => ("Gigis", 9),
        Nohan => ("Nohan", 3),
        Ogan => ("Ogan", 7),
        Erangan => ("Erangan", 1),
        Urungan => ("Urungan", 4),
        Tulus => ("Tulus", 6),
        Dadi => ("Dadi", 8),
    }
}

cycle! {
    /// Dasawara, the ten-day cycle, named by `urip total mod 10` on this list (C&C
    /// `dasawara = mod(1 + U, 10)`, 1-based with 0 for the tenth name; confirmed by
    /// kalenderbali.org's 1960-08-02 line). Wikipedia's different order is a
    /// presentation order. Urip: commonly cited, not canonical.
    pub enum Dasawara {
        Pandita => ("Pandita", 5),
        Pati => ("Pati", 7),
        Suka => ("Suka", 10),
        Duka => ("Duka", 4),
        Sri => ("Sri", 6),
        Manuh => ("Manuh", 2),
        Manusa => ("Manusa", 3),
        Raja => ("Raja", 8),
        Dewa => ("Dewa", 9),
        Raksasa => ("Raksasa", 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycle_lengths_match_their_names() {
        assert_eq!(
            [
                Ekawara::LEN,
                Dwiwara::LEN,
                Triwara::LEN,
                Caturwara::LEN,
                Pancawara::LEN,
                Sadwara::LEN,
                Saptawara::LEN,
                Astawara::LEN,
                Sangawara::LEN,
                Dasawara::LEN
            ],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        );
    }

    #[test]
    fn positions_round_trip() {
        for (i, s) in Sangawara::ALL.iter().enumerate() {
            assert_eq!(s.index(), i);
            assert_eq!(usize::from(s.value()), i + 1);
            assert_eq!(Sangawara::from_index(i + 9), *s);
        }
    }

    #[test]
    fn serializes_as_value_name_urip() {
        let json = serde_json::to_string(&Pancawara::Kliwon).ok();
        assert_eq!(json.as_deref(), Some(r#"{"value":5,"name":"Kliwon","urip":8}"#));
    }
}
