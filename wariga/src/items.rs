//! The small value types a reading is made of, each serializing to the exact JSON shape of the
//! payloads the web app reads.

use serde::{Serialize, Serializer};

/// `{value, name}`: a labelled position, used for cipta, rasa, karsa, tindakan, siklus,
/// kanda_pat, dasa_aksara, panca_brahma and panca_tirta.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Item {
    /// Position: the remainder for C24-derived items (cipta, rasa, karsa, tindakan), the 1-based
    /// position of the source wewaran for calendar-derived items.
    pub value: u8,
    /// Uppercase payload name.
    pub name: &'static str,
}

/// "L" or "P": the gender the Neptu reading attaches to a day item. Ours: "L" when the
/// item's urip is odd, "P" when it is even.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Gender {
    /// Lanang (male): odd urip.
    L,
    /// Perempuan/wadon (female): even urip.
    P,
}

impl Gender {
    /// The gender of an urip value.
    pub const fn of_urip(urip: u8) -> Self {
        if urip % 2 == 1 { Self::L } else { Self::P }
    }

    const fn letter(self) -> u8 {
        match self {
            Self::L => b'L',
            Self::P => b'P',
        }
    }
}

/// `{value, name, urip, gender}`: the saptawara, pancawara and sadwara items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct DayItem {
    /// 1-based position in its cycle (Redite, Umanis, Tungleh = 1).
    pub value: u8,
    /// Uppercase payload name (`SUNDAY`, `PAHING`, `ARIYANG`, …).
    pub name: &'static str,
    /// Urip of the value.
    pub urip: u8,
    /// Gender derived from the urip.
    pub gender: Gender,
}

impl DayItem {
    pub(crate) const fn new(value: u8, name: &'static str, urip: u8) -> Self {
        Self {
            value,
            name,
            urip,
            gender: Gender::of_urip(urip),
        }
    }
}

/// `{value, name, urip}`: the wuku item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct WukuItem {
    /// 1-based position (Sinta = 1).
    pub value: u8,
    /// Uppercase payload name (`PERANGBAKAT`, `KELAWU`, …).
    pub name: &'static str,
    /// Urip of the wuku.
    pub urip: u8,
}

/// The genders of saptawara, pancawara and sadwara joined in that order, e.g. `"LLP"` (ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GenderPattern(pub [Gender; 3]);

impl GenderPattern {
    /// The pattern as three ASCII letters.
    pub const fn letters(self) -> [u8; 3] {
        [self.0[0].letter(), self.0[1].letter(), self.0[2].letter()]
    }
}

impl Serialize for GenderPattern {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let letters = self.letters();
        // Only the ASCII letters L and P are written.
        let text = std::str::from_utf8(&letters).map_err(serde::ser::Error::custom)?;
        serializer.serialize_str(text)
    }
}

/// `"YIN"` or `"YANG"`: `YANG` when the urip total is odd (`biner = 1`), else `YIN` (ours).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Dualitas {
    /// Even urip total.
    Yin,
    /// Odd urip total.
    Yang,
}

/// `{pattern, name}`: the affirmation of a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Afirmasi {
    /// The reading's gender pattern.
    pub pattern: GenderPattern,
    /// One of the eleven "I AM …" sentences.
    pub name: &'static str,
}

/// `{name, description}`: `lahir_untuk` ("born to") of a Potensi and `diberi_hak_untuk`
/// ("given the right to") of a Peluang: a frekuensi name and its purpose word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Purpose {
    /// `GURU`, `RATU`, `LARA` or `PATI`.
    pub name: &'static str,
    /// `GUIDING`, `PROTECTING`, `GROWING` or `RELEASING`.
    pub description: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gender_pattern_serializes_as_letters() {
        let pattern = GenderPattern([Gender::L, Gender::L, Gender::P]);
        assert_eq!(serde_json::to_string(&pattern).ok().as_deref(), Some("\"LLP\""));
        assert_eq!(Gender::of_urip(7), Gender::L);
        assert_eq!(Gender::of_urip(6), Gender::P);
    }

    #[test]
    fn dualitas_is_uppercase() {
        let json = serde_json::to_string(&[Dualitas::Yin, Dualitas::Yang]).ok();
        assert_eq!(json.as_deref(), Some(r#"["YIN","YANG"]"#));
    }
}
