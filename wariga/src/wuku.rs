//! The 30 wuku (seven-day weeks) of the Pawukon, with urip and presiding deity.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::cycle::cycle;

cycle! {
    /// Wuku, the week of the 210-day Pawukon: cycle day `d div 7`; every wuku starts on Redite.
    ///
    /// Names and order: Calendrical Calculations and every Balinese calendar. Urip:
    /// peradnya/balinese-date-js-lib, confirmed by an independent dayjs implementation and by
    /// detik.com ("Sinta – urip 7"); the sequence repeats every 8 wuku (7,1,4,6,5,8,9,3).
    /// SHA888/balinese-calendar's different wuku urip are deliberately not used.
    pub enum Wuku {
        Sinta => ("Sinta", 7),
        Landep => ("Landep", 1),
        Ukir => ("Ukir", 4),
        Kulantir => ("Kulantir", 6),
        Tolu => ("Tolu", 5),
        Gumbreg => ("Gumbreg", 8),
        Wariga => ("Wariga", 9),
        Warigadean => ("Warigadean", 3),
        Julungwangi => ("Julungwangi", 7),
        Sungsang => ("Sungsang", 1),
        Dungulan => ("Dungulan", 4),
        Kuningan => ("Kuningan", 6),
        Langkir => ("Langkir", 5),
        Medangsia => ("Medangsia", 8),
        Pujut => ("Pujut", 9),
        Pahang => ("Pahang", 3),
        Krulut => ("Krulut", 7),
        Merakih => ("Merakih", 1),
        Tambir => ("Tambir", 4),
        Medangkungan => ("Medangkungan", 6),
        Matal => ("Matal", 5),
        Uye => ("Uye", 8),
        Menail => ("Menail", 9),
        /// Also written Perangbakat.
        Prangbakat => ("Prangbakat", 3),
        Bala => ("Bala", 7),
        Ugu => ("Ugu", 1),
        Wayang => ("Wayang", 4),
        /// Also written Klawu.
        Kelawu => ("Kelawu", 6),
        Dukut => ("Dukut", 5),
        Watugunung => ("Watugunung", 8),
    }
}

/// Presiding deity (bhatara) of each wuku, in wuku order.
///
/// Source: public wariga knowledge (kalenderbali.info/.org wuku pages; Javanese primbon lists).
/// Dukut is given as Sakri in some lists and Baruna in others; we use Baruna so that it differs
/// from Matal's Sakri.
const BHATARA: [&str; 30] = [
    "Yama",
    "Mahadewa",
    "Mahayekti",
    "Langsur",
    "Bayu",
    "Candra",
    "Asmara",
    "Maharesi",
    "Sambu",
    "Gana",
    "Kamajaya",
    "Indra",
    "Kala",
    "Brahma",
    "Guritna",
    "Tantra",
    "Wisnu",
    "Suranggana",
    "Siwa",
    "Basuki",
    "Sakri",
    "Kuwera",
    "Citragotra",
    "Bisma",
    "Durga",
    "Singajalma",
    "Sri",
    "Sadana",
    "Baruna",
    "Anantaboga",
];

impl Wuku {
    /// The presiding deity (bhatara) of the wuku.
    pub const fn bhatara(self) -> &'static str {
        BHATARA[self.index()]
    }
}

/// The wuku inside a Pawukon block: `{value, name, urip, bhatara}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WukuDetail(pub(crate) Wuku);

impl Serialize for WukuDetail {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut item = serializer.serialize_struct("Wuku", 4)?;
        item.serialize_field("value", &self.0.value())?;
        item.serialize_field("name", self.0.name())?;
        item.serialize_field("urip", &self.0.urip())?;
        item.serialize_field("bhatara", self.0.bhatara())?;
        item.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urip_repeats_every_eight_wuku() {
        let pattern = [7, 1, 4, 6, 5, 8, 9, 3];
        for w in Wuku::ALL {
            assert_eq!(w.urip(), pattern[w.index() % 8], "{w}");
        }
    }

    #[test]
    fn table_anchors() {
        assert_eq!(Wuku::LEN, 30);
        assert_eq!(Wuku::from_index(10), Wuku::Dungulan);
        assert_eq!(Wuku::Watugunung.bhatara(), "Anantaboga");
        assert_eq!(Wuku::Sinta.bhatara(), "Yama");
    }
}
