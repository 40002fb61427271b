//! Paringkelan: the traditional derived day qualities shown by Balinese calendars.
//!
//! Rules and names: peradnya/balinese-date-js-lib (Apache-2.0; after I.B.S. Ardhana, "Pokok-Pokok
//! Wariga", 2005), checked against two complete kalenderbali.org day lines and the SHA888 2026
//! corpus. Eka Jala Rsi and Rakam are left out (they need further
//! tables).

use serde::Serialize;

use super::pawukon::Pawukon;
use super::wewaran::Saptawara;

/// Ingkel (what should not be harvested or slaughtered that week): wuku index mod 6.
const INGKEL: [&str; 6] = ["Wong", "Sato", "Mina", "Manuk", "Taru", "Buku"];

/// Jejepan: cycle day mod 6.
const JEJEPAN: [&str; 6] = ["Mina", "Taru", "Sato", "Patra", "Wong", "Paksi"];

/// Pawatekan madya: urip total mod 5.
const WATEK_MADYA: [&str; 5] = ["Wong", "Gajah", "Watu", "Buta", "Suku"];

/// Pawatekan alit: urip total mod 4.
const WATEK_ALIT: [&str; 4] = ["Lintah", "Uler", "Gajah", "Lembu"];

/// Pararasan: urip total mod 10.
const PARARASAN: [&str; 10] = [
    "Laku Pandita Sakti",
    "Aras Tuding",
    "Aras Kembang",
    "Laku Bintang",
    "Laku Bulan",
    "Laku Surya",
    "Laku Air",
    "Laku Bumi",
    "Laku Api",
    "Laku Angin",
];

/// Pancasuda: `(kerta-aji of saptawara + urip of pancawara) mod 7`.
const PANCASUDA: [&str; 7] = [
    "Lebu Katiup Angin",
    "Wisesa Segara",
    "Tunggak Semi",
    "Satria Wibawa",
    "Sumur Sinaba",
    "Satria Wirang",
    "Bumi Kapetak",
];

/// Kerta-aji numbers of the saptawara, Redite first, used only by the pancasuda.
const KERTA_AJI: [usize; 7] = [6, 4, 3, 6, 5, 7, 8];

/// Lintang (constellation): cycle day mod 35.
const LINTANG: [&str; 35] = [
    "Gajah",
    "Kiriman",
    "Perahu Sarat",
    "Tiwa Tiwa",
    "Sangka Tikel",
    "Bubu Bolong",
    "Sungenge",
    "Uluku",
    "Pedati",
    "Kuda",
    "Gajah Mina",
    "Bade",
    "Mangelut",
    "Pagelangan",
    "Kala Sungsang",
    "Kukus",
    "Asu",
    "Kartika",
    "Naga",
    "Angsa Angrem",
    "Panah",
    "Patrem",
    "Lembu",
    "Depat",
    "Tangis",
    "Salah Ukur",
    "Perahu Pegat",
    "Puwuh Atarung",
    "Lawean",
    "Kelapa",
    "Yuyu",
    "Lumbung",
    "Kumba",
    "Udang",
    "Begoong",
];

/// A name from a paringkelan table with its 1-based position: `{value, name}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Named {
    /// 1-based position in the table.
    pub value: u8,
    /// Name as printed in Balinese calendars.
    pub name: &'static str,
}

fn pick(table: &'static [&'static str], index: usize) -> Named {
    let index = index % table.len();
    Named {
        // Every table is shorter than 255 entries.
        value: u8::try_from(index + 1).unwrap_or(u8::MAX),
        name: table[index],
    }
}

/// The paringkelan of one day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Paringkelan {
    /// Ingkel of the wuku.
    pub ingkel: Named,
    /// Jejepan.
    pub jejepan: Named,
    /// Pawatekan madya.
    pub watek_madya: Named,
    /// Pawatekan alit.
    pub watek_alit: Named,
    /// Pararasan.
    pub pararasan: Named,
    /// Pancasuda.
    pub pancasuda: Named,
    /// Lintang.
    pub lintang: Named,
}

impl Paringkelan {
    /// The paringkelan of a Pawukon day.
    pub fn of(p: &Pawukon) -> Self {
        let urip = usize::from(p.urip());
        let kerta_aji = KERTA_AJI[p.saptawara().index() % Saptawara::LEN];
        Self {
            ingkel: pick(&INGKEL, p.wuku().index()),
            jejepan: pick(&JEJEPAN, p.day()),
            watek_madya: pick(&WATEK_MADYA, urip),
            watek_alit: pick(&WATEK_ALIT, urip),
            pararasan: pick(&PARARASAN, urip),
            pancasuda: pick(&PANCASUDA, kerta_aji + usize::from(p.pancawara().urip())),
            lintang: pick(&LINTANG, p.day()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CivilDate;

    fn of(text: &str) -> Option<Paringkelan> {
        CivilDate::parse(text)
            .ok()
            .map(|d| Paringkelan::of(&Pawukon::of(d)))
    }

    #[test]
    fn ingkel_of_early_2026_weeks() {
        // kalenderbali.org's 2026 ingkel list (via SHA888 `references/rahinan2026.txt`).
        for (date, ingkel) in [
            ("2026-01-03", "Taru"),
            ("2026-01-04", "Buku"),
            ("2026-01-11", "Wong"),
            ("2026-01-18", "Sato"),
            ("2026-01-25", "Mina"),
            ("2026-02-07", "Manuk"),
        ] {
            assert_eq!(of(date).map(|p| p.ingkel.name), Some(ingkel), "{date}");
        }
    }

    #[test]
    fn pancasuda_follows_kerta_aji() {
        // 2026-01-01 is Wraspati (kerta-aji 5) Pon (urip 7): 12 mod 7 = 5.
        assert_eq!(of("2026-01-01").map(|p| p.pancasuda.name), Some("Satria Wirang"));
    }
}
