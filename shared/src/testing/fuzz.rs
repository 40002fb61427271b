//! Randomized inputs for the fuzz tests: a small seeded generator (no dependency, and
//! deterministic, so a failure is replayed from its seed and case number) and
//! generators for hostile text, JSON bodies, query strings and path segments.
//!
//! `FUZZ_CASES` (or `PROPTEST_CASES`) sets how many cases each fuzz test runs (default 200,
//! a few seconds); `FUZZ_SEED` picks another fixed seed for a longer local hunt.

use serde_json::{Map, Value};

/// How many cases a fuzz test runs: `FUZZ_CASES`, else `PROPTEST_CASES`, else `default`.
pub fn cases(default: usize) -> usize {
    ["FUZZ_CASES", "PROPTEST_CASES"]
        .iter()
        .find_map(|name| std::env::var(name).ok()?.trim().parse().ok())
        .unwrap_or(default)
}

/// The seed: `FUZZ_SEED` when set, else `default` (fixed per test, so CI runs are repeatable).
pub fn seed(default: u64) -> u64 {
    std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// Pieces that have broken parsers before: empty text, NUL in every spelling, number edge
/// cases, broken percent escapes and UTF-16 surrogates, path tricks, huge and odd Unicode,
/// and text shaped like the values our validators look for.
const TRICKY: &[&str] = &[
    "",
    " ",
    "0",
    "-0",
    "-1",
    "1e309",
    "-1e309",
    "NaN",
    "Infinity",
    "18446744073709551616",
    "-9223372036854775809",
    "2147483648",
    "-2147483649",
    "0.0000000000000000000000000001",
    "79228162514264337593543950336",
    "null",
    "true",
    "[]",
    "{}",
    "\u{0}",
    "%00",
    "%",
    "%z",
    "%zz",
    "%ff",
    "%c3%28",
    "%ed%a0%80",
    "\\u0000",
    "\\ud800",
    "\\",
    "\"",
    "'",
    "..",
    "../",
    "/",
    "//",
    "?",
    "#",
    "&",
    "=",
    "+",
    ";",
    "\r\n",
    "\t",
    "é",
    "ß",
    "💥",
    "\u{202e}",
    "\u{feff}",
    "\u{10ffff}",
    "nptu_",
    "nptu_live_",
    "0x",
    "1990-05-15",
    "2026-02-30",
    "9999-12-31",
    "0000-01-01",
    "1990-5-15",
    "+1990-05-15",
    "11111111111111111111111111111111",
    "So11111111111111111111111111111111111111112",
    "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v",
];

const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~ !$'()*,;:@";

/// A splitmix64 generator.
pub struct Fuzz {
    state: u64,
}

impl Fuzz {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True one time in `n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Up to `max` random bytes.
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.next_u64() as u8).collect()
    }

    /// A random 64-bit number in one of several shapes: small, huge, negative, edge.
    pub fn number(&mut self) -> i128 {
        match self.below(5) {
            0 => self.below(10) as i128,
            1 => self.next_u64() as i128,
            2 => -(self.next_u64() as i128),
            3 => *self.pick(&[i64::MIN as i128, i64::MAX as i128, u64::MAX as i128, -1, 0]),
            _ => (self.next_u64() % 10_000) as i128 - 5000,
        }
    }

    /// Text of up to about `max` characters mixing ordinary characters, random Unicode
    /// scalars, control characters and [`TRICKY`] pieces.
    pub fn text(&mut self, max: usize) -> String {
        if self.one_in(50) {
            return "a".repeat(self.below(10_000));
        }
        let mut out = String::new();
        let pieces = self.below(max.max(1)) + 1;
        for _ in 0..pieces {
            match self.below(6) {
                0 | 1 => out.push(*self.pick(ALPHABET) as char),
                2 => {
                    let piece = *self.pick(TRICKY);
                    out.push_str(piece);
                }
                3 => out.push(char::from_u32(self.next_u64() as u32 % 0x11_0000).unwrap_or('\u{fffd}')),
                4 => out.push(char::from(self.below(0x20) as u8)),
                _ => out.push_str(&self.number().to_string()),
            }
            if out.len() > max.max(1) * 4 {
                break;
            }
        }
        out
    }

    /// A random JSON value, nested at most `depth` deep; keys are sometimes those of `fields`
    /// (the names a route reads), so that values reach its validators.
    pub fn json(&mut self, depth: usize, fields: &[&str]) -> Value {
        match self.below(if depth == 0 { 6 } else { 8 }) {
            0 => Value::Null,
            1 => Value::Bool(self.one_in(2)),
            2 => serde_json::Number::from_i128(self.number()).map_or(Value::Null, Value::Number),
            3 => serde_json::Number::from_f64(f64::from_bits(self.next_u64()))
                .map_or(Value::Null, Value::Number),
            4 | 5 => Value::String(self.text(12)),
            6 => Value::Array((0..self.below(4)).map(|_| self.json(depth - 1, fields)).collect()),
            _ => Value::Object(self.object(depth - 1, fields)),
        }
    }

    /// A JSON object with some of `fields` and some random keys.
    pub fn object(&mut self, depth: usize, fields: &[&str]) -> Map<String, Value> {
        let mut map = Map::new();
        for _ in 0..self.below(6) {
            let key = if !fields.is_empty() && !self.one_in(3) {
                (*self.pick(fields)).to_owned()
            } else {
                self.text(6)
            };
            map.insert(key, self.json(depth, fields));
        }
        map
    }

    /// A request body: usually JSON (an object of `fields`), sometimes broken JSON (cut,
    /// spliced with random bytes, with a `\u0000` escape), sometimes any bytes.
    pub fn body(&mut self, fields: &[&str]) -> Vec<u8> {
        let json = Value::Object(self.object(3, fields)).to_string().into_bytes();
        match self.below(8) {
            0 => self.bytes(256),
            1 => json[..self.below(json.len() + 1)].to_vec(),
            2 => {
                let mut broken = json;
                let at = self.below(broken.len() + 1);
                let noise = self.bytes(8);
                broken.splice(at..at, noise);
                broken
            }
            3 => format!("{{\"{}\":\"a\\u0000b\"}}", self.pick(fields_or_x(fields))).into_bytes(),
            4 => (*self.pick(TRICKY)).as_bytes().to_vec(),
            _ => json,
        }
    }

    /// A percent-encoded (or deliberately mis-encoded) piece of a URL.
    pub fn url_piece(&mut self, max: usize) -> String {
        let raw = self.text(max);
        if self.one_in(4) {
            // As is, where the URI grammar allows it: broken escapes pass through.
            return raw
                .bytes()
                .filter(|b| b.is_ascii_graphic() && !b"/?#\"<>\\^`{|}".contains(b))
                .map(char::from)
                .collect();
        }
        let mut out = String::new();
        for byte in raw.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.~%".contains(&byte) {
                out.push(char::from(byte));
            } else {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }

    /// A query string (without `?`): pairs whose keys are often `fields`, repeated keys,
    /// keys without values, and mis-encodings.
    pub fn query(&mut self, fields: &[&str]) -> String {
        let mut pairs = Vec::new();
        for _ in 0..self.below(5) {
            let key = if !fields.is_empty() && !self.one_in(3) {
                (*self.pick(fields)).to_owned()
            } else {
                self.url_piece(4)
            };
            match self.below(6) {
                0 => pairs.push(key),
                1 => pairs.push(format!("{key}[]={}", self.url_piece(6))),
                _ => pairs.push(format!("{key}={}", self.url_piece(8))),
            }
        }
        pairs.join("&")
    }
}

fn fields_or_x<'a>(fields: &'a [&'a str]) -> &'a [&'a str] {
    if fields.is_empty() { &["x"] } else { fields }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_cases() {
        let run = |seed| {
            let mut fuzz = Fuzz::new(seed);
            (0..50).map(|_| fuzz.text(10)).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn pieces_of_urls_are_ascii_without_separators() {
        let mut fuzz = Fuzz::new(1);
        for _ in 0..500 {
            let piece = fuzz.url_piece(10);
            assert!(
                piece
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && !b"/?#".contains(&b)),
                "{piece:?}"
            );
        }
    }
}
