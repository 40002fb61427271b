//! The AI oracle's rules: languages, the answer-cache keys and lifetimes of the original
//! service, and the prompts (our wording of the original's intent).

use std::time::Duration;

use serde_json::{Map, Value, json};

use neptu_wariga::{CompatibilityResult, Peluang, Potensi};

/// Answers to questions and daily interpretations are kept a day; date and compatibility
/// interpretations six hours.
pub const QUESTION_TTL: Duration = Duration::from_secs(86_400);
pub const DAILY_TTL: Duration = Duration::from_secs(86_400);
pub const INTERPRET_TTL: Duration = Duration::from_secs(21_600);
pub const COMPATIBILITY_TTL: Duration = Duration::from_secs(21_600);

/// Longest question accepted (characters).
pub const MAX_QUESTION_CHARS: usize = 1000;

/// The languages the web app offers (`LANGUAGE_LABELS`).
pub const LANGUAGES: [(&str, &str); 10] = [
    ("en", "English"),
    ("fr", "French"),
    ("de", "German"),
    ("es", "Spanish"),
    ("pt", "Portuguese"),
    ("ru", "Russian"),
    ("ja", "Japanese"),
    ("ko", "Korean"),
    ("zh", "Chinese"),
    ("id", "Indonesian"),
];

/// The language's label, or `None` for a code we do not offer.
pub fn language_label(code: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// The original's string hash: Java's `h = 31·h + c` over UTF-16 units in 32-bit
/// arithmetic, absolute value, base 36. Keys must match it to reuse cached answers.
pub fn string_hash(text: &str) -> String {
    let mut hash: i32 = 0;
    for unit in text.encode_utf16() {
        hash = hash.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    // JavaScript's Math.abs works on doubles, so i32::MIN becomes 2^31 rather than overflowing.
    to_base36(i64::from(hash).unsigned_abs())
}

fn to_base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut out = Vec::new();
    while n > 0 {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `oracle:{H(wuku + ":" + total_urip)}:{target date or "potensi"}:{H(question)}:{lang}`:
/// answers are shared by everyone with the same birth wuku and urip asking the same thing.
pub fn question_key(birth: &Potensi, target: Option<&Peluang>, question: &str, language: &str) -> String {
    let profile = string_hash(&format!("{}:{}", birth.base.wuku.name, birth.base.total_urip));
    let date = target.map_or_else(|| "potensi".to_owned(), |p| p.base.date.to_string());
    let question = string_hash(&question.trim().to_lowercase());
    format!("oracle:{profile}:{date}:{question}:{language}")
}

/// `daily:{birth}:{today}:{lang}` (the daily reading itself is `daily:{date}`; this one has
/// more segments).
pub fn daily_key(birth: &Potensi, today: &Peluang, language: &str) -> String {
    format!("daily:{}:{}:{language}", birth.base.date, today.base.date)
}

pub fn interpret_key(birth_date: &str, target_date: &str, language: &str) -> String {
    format!("interpret:{birth_date}:{target_date}:{language}")
}

pub fn compatibility_key(birth_date1: &str, birth_date2: &str, language: &str) -> String {
    format!("compat:{birth_date1}:{birth_date2}:{language}")
}

/// Splits the web app's `"[User interests: love, career] question"` prefix off a question.
pub fn split_interests(question: &str) -> (Vec<String>, &str) {
    let trimmed = question.trim_start();
    if let Some(rest) = trimmed.strip_prefix("[User interests:")
        && let Some(end) = rest.find(']')
    {
        let interests = rest[..end]
            .split(',')
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect();
        return (interests, rest[end + 1..].trim());
    }
    (Vec::new(), question.trim())
}

/// The persona, with a strict language rule outside English.
pub fn system_prompt(language: &str) -> String {
    let mut prompt = String::from(
        "You are Neptu, a Balinese spiritual guide who reads the Wuku calendar (Pawukon). \
         You receive raw reading data as JSON and interpret it conversationally, in the second \
         person, warmly and concretely. Never use templates or headings unless asked. Put key \
         Balinese terms in double quotes. Be brief: two or three sentences for a daily message, \
         two or three short paragraphs for a question.",
    );
    if let Some(label) = language_label(language).filter(|_| language != "en") {
        prompt.push_str(&format!(
            " Respond ONLY in {label}. Translate every Balinese term into {label} and keep the \
             original term in parentheses after it."
        ));
    }
    prompt
}

const READING_KEYS: [&str; 13] = [
    "date",
    "wuku",
    "sapta_wara",
    "panca_wara",
    "sad_wara",
    "total_urip",
    "frekuensi",
    "cipta",
    "rasa",
    "karsa",
    "dualitas",
    "afirmasi",
    "tindakan",
];

/// The parts of a reading the model needs, as a JSON object.
fn reading_json(reading: &impl serde::Serialize, extra: &[&str]) -> Value {
    let full = serde_json::to_value(reading).unwrap_or(Value::Null);
    let mut picked = Map::new();
    for key in READING_KEYS.iter().chain(extra) {
        if let Some(value) = full.get(*key) {
            picked.insert((*key).to_owned(), value.clone());
        }
    }
    Value::Object(picked)
}

fn readings(birth: &Potensi, day: Option<&Peluang>) -> String {
    let mut data = json!({ "birth_reading": reading_json(birth, &["lahir_untuk"]) });
    if let Some(day) = day {
        data["day_reading"] = reading_json(day, &["diberi_hak_untuk", "siklus"]);
    }
    serde_json::to_string_pretty(&data).unwrap_or_default()
}

/// A question about the person's reading (and a day, when one was given).
pub fn question_prompt(birth: &Potensi, day: Option<&Peluang>, question: &str) -> String {
    let (interests, question) = split_interests(question);
    let mut prompt = format!("Reading data:\n{}\n", readings(birth, day));
    if !interests.is_empty() {
        prompt.push_str(&format!(
            "The person cares most about: {}.\n",
            interests.join(", ")
        ));
    }
    prompt.push_str(&format!("Their question: {question}"));
    prompt
}

/// Two or three sentences on how today's energy meets the person's birth energy.
pub fn daily_prompt(birth: &Potensi, today: &Peluang) -> String {
    format!(
        "Reading data:\n{}\nIn two or three sentences, tell the person how today's wuku and urip \
         meet their birth wuku and urip, and what to lean into today.",
        readings(birth, Some(today))
    )
}

/// How a given date (today, past or future) relates to the person's birth chart.
pub fn interpret_prompt(birth: &Potensi, target: &Peluang, today: chrono::NaiveDate) -> String {
    let when = match target.base.date.naive().cmp(&today) {
        std::cmp::Ordering::Equal => "today",
        std::cmp::Ordering::Less => "that past date",
        std::cmp::Ordering::Greater => "that future date",
    };
    format!(
        "Reading data:\n{}\nInterpret {when} ({}) for this person in three or four short \
         paragraphs covering, in order: 1. the energy of the day, 2. how it meets their birth \
         chart, 3. what to do, 4. what to avoid.",
        readings(birth, Some(target)),
        target.base.date
    )
}

/// The Mitra Satru pairing of two people and what it means for them.
pub fn compatibility_prompt(result: &CompatibilityResult) -> String {
    let data = json!({
        "person1": reading_json(&result.person1, &["lahir_untuk"]),
        "person2": reading_json(&result.person2, &["lahir_untuk"]),
        "mitraSatru": result.mitra_satru,
        "dimensions": result.dimensions,
        "scores": result.scores,
    });
    format!(
        "Compatibility data:\n{}\nIn two or three paragraphs, explain how these two people \
         complement or challenge each other, naming their Mitra Satru pairing and the scores.",
        serde_json::to_string_pretty(&data).unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use neptu_wariga::{self as wariga, CivilDate};

    #[test]
    fn string_hash_matches_javascript() {
        // Values computed with the original's hashString in Node.
        assert_eq!(string_hash(""), "0");
        assert_eq!(string_hash("a"), "2p");
        assert_eq!(string_hash("hello"), "1n1e4y");
        // Overflow wraps like Int32, then Math.abs: "polygenelubricants" hashes to i32::MIN.
        assert_eq!(string_hash("polygenelubricants"), "zik0zk");
        assert_eq!(string_hash("ü"), "70");
    }

    #[test]
    fn keys_follow_the_original() {
        let birth = wariga::potensi(CivilDate::parse("1990-05-15").unwrap());
        let day = wariga::peluang(CivilDate::parse("2026-06-17").unwrap(), Some(birth.base.date));
        let key = question_key(&birth, Some(&day), "  Will I Travel? ", "en");
        let profile = string_hash(&format!("{}:{}", birth.base.wuku.name, birth.base.total_urip));
        assert_eq!(
            key,
            format!("oracle:{profile}:2026-06-17:{}:en", string_hash("will i travel?"))
        );
        assert!(question_key(&birth, None, "x", "fr").contains(":potensi:"));
        assert_eq!(daily_key(&birth, &day, "id"), "daily:1990-05-15:2026-06-17:id");
        assert_eq!(
            interpret_key("1990-05-15", "2026-06-17", "en"),
            "interpret:1990-05-15:2026-06-17:en"
        );
        assert_eq!(compatibility_key("a", "b", "de"), "compat:a:b:de");
    }

    #[test]
    fn interests_are_split_off() {
        let (interests, question) = split_interests("[User interests: love, career ] When to marry?");
        assert_eq!(interests, vec!["love", "career"]);
        assert_eq!(question, "When to marry?");
        assert_eq!(split_interests(" plain? ").1, "plain?");
        assert_eq!(
            split_interests("[User interests: broken").1,
            "[User interests: broken"
        );
    }

    #[test]
    fn prompts_carry_the_readings_and_the_language_rule() {
        let birth = wariga::potensi(CivilDate::parse("1990-05-15").unwrap());
        let day = wariga::peluang(CivilDate::parse("2026-06-17").unwrap(), Some(birth.base.date));
        let prompt = question_prompt(&birth, Some(&day), "[User interests: luck] Lucky day?");
        assert!(prompt.contains("MERAKIH") && prompt.contains("day_reading"));
        assert!(prompt.contains("cares most about: luck") && prompt.ends_with("Lucky day?"));
        assert!(system_prompt("ja").contains("Respond ONLY in Japanese"));
        assert!(!system_prompt("en").contains("Respond ONLY"));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 17).unwrap();
        assert!(interpret_prompt(&birth, &day, today).contains("Interpret today"));
        let later = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert!(interpret_prompt(&birth, &day, later).contains("that future date"));
        let compat = wariga::compatibility(birth.base.date, day.base.date);
        assert!(compatibility_prompt(&compat).contains("mitraSatru"));
        assert_eq!(language_label("xx"), None);
    }
}
