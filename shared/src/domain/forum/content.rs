//! What the forum agent writes. The language model is asked first (prompts below); these
//! deterministic templates are used when it is not configured or fails, so the same input
//! always gives the same text. Readings come from the wariga engine.

use crate::clients::colosseum::{ForumComment, ForumPost};
use crate::db::crypto_market::CoinMarket;
use neptu_wariga::{self as wariga, CivilDate};

/// The longest text we post (the model is asked for less; this bounds a runaway answer).
pub const MAX_CHARS: usize = 1500;

/// The first valid `YYYY-MM-DD` date in a text.
pub fn find_date(text: &str) -> Option<CivilDate> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let candidate = text.get(i..i + 10)?;
        let shape = candidate.bytes().enumerate().all(|(j, b)| {
            if j == 4 || j == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
        let bounded = i.checked_sub(1).is_none_or(|p| !bytes[p].is_ascii_digit())
            && bytes.get(i + 10).is_none_or(|b| !b.is_ascii_digit());
        if shape && bounded {
            CivilDate::parse(candidate).ok()
        } else {
            None
        }
    })
}

/// A birthday request: `BIRTHDAY: YYYY-MM-DD`, "born …", "my birthday is …".
pub fn birthday_request(text: &str) -> Option<CivilDate> {
    let lower = text.to_lowercase();
    if lower.contains("birthday") || lower.contains("born") {
        find_date(text)
    } else {
        None
    }
}

/// A one-paragraph reading of a day (the generic Peluang, or the person's when born on it).
pub fn day_summary(date: CivilDate) -> String {
    let reading = wariga::peluang(date, None);
    let b = &reading.base;
    format!(
        "{date} falls in wuku {} on {} {} (urip {}), frekuensi {}. Its affirmation: \"{}\".",
        b.wuku.name,
        b.sapta_wara.name,
        b.panca_wara.name,
        b.total_urip,
        b.frekuensi.name(),
        reading.afirmasi.name
    )
}

/// The birth reading of someone who asked for one.
pub fn birth_summary(birth: CivilDate) -> String {
    let reading = wariga::potensi(birth);
    let b = &reading.base;
    format!(
        "Born {birth}: wuku {}, {} {} (urip {}). Frekuensi {}, born for {}. Cipta {}, rasa {}, karsa {}.",
        b.wuku.name,
        b.sapta_wara.name,
        b.panca_wara.name,
        b.total_urip,
        b.frekuensi.name(),
        reading.lahir_untuk.name,
        b.cipta.name,
        b.rasa.name,
        b.karsa.name
    )
}

fn pick<'a>(options: &[&'a str], seed: i64) -> &'a str {
    options[seed.unsigned_abs() as usize % options.len()]
}

/// Reply to a comment on one of our posts.
pub fn reply_template(comment: &ForumComment, today: CivilDate) -> String {
    let name = if comment.agent_name.is_empty() {
        "friend"
    } else {
        &comment.agent_name
    };
    let text = comment.body.to_lowercase();
    if let Some(date) = find_date(&comment.body) {
        return format!(
            "@{name} here is that day in the Balinese calendar: {}",
            day_summary(date)
        );
    }
    if ["collab", "partner", "integrat"].iter().any(|w| text.contains(w)) {
        return format!(
            "@{name} we would love to explore that. Neptu exposes daily Wuku readings any agent can \
             build on; tell us what your users need and we will shape an integration around it."
        );
    }
    if text.contains('?') {
        let opener = pick(
            &["Good question", "Thanks for asking", "Glad you asked"],
            comment.id,
        );
        return format!(
            "@{name} {opener}! Neptu reads the 210-day Pawukon cycle: every date has a wuku, \
             weekday energies and an urip value. {}",
            day_summary(today)
        );
    }
    let thanks = pick(
        &[
            "Thank you for the kind words",
            "Appreciate you stopping by",
            "Thanks for reading",
        ],
        comment.id,
    );
    format!("@{name} {thanks}! Share your birth date as BIRTHDAY: YYYY-MM-DD for a free reading.")
}

/// A comment on another agent's post.
pub fn comment_template(post: &ForumPost, today: CivilDate) -> String {
    let opener = pick(
        &[
            "Interesting direction",
            "Nice work shipping this",
            "Thoughtful post",
            "Great to see this",
        ],
        post.id,
    );
    format!(
        "{opener}, @{}! Cosmic timing note from Neptu: {} Good luck with \"{}\".",
        post.agent_name,
        day_summary(today),
        post.title
    )
}

/// The reply to a birthday request.
pub fn birthday_template(name: &str, birth: CivilDate) -> String {
    format!("@{name} your Balinese birth reading: {}", birth_summary(birth))
}

/// The one-time introduction thread.
pub fn intro_post() -> (String, String) {
    (
        "Neptu: Balinese calendar readings for agents and humans".into(),
        "Neptu turns the Balinese Pawukon (a 210-day calendar of wuku weeks and weekday \
         energies) into daily readings, birth profiles and compatibility. Ask for yours: \
         comment BIRTHDAY: YYYY-MM-DD on any of our posts."
            .into(),
    )
}

/// A market mood post from the stored market snapshot; `None` without data.
pub fn sentiment_post(coins: &[CoinMarket], today: CivilDate) -> Option<(String, String)> {
    let changes: Vec<f64> = coins
        .iter()
        .filter_map(|c| c.coin.price_change_percentage_24h)
        .collect();
    if changes.is_empty() {
        return None;
    }
    let up = changes.iter().filter(|c| **c > 0.0).count();
    let average = changes.iter().sum::<f64>() / changes.len() as f64;
    let mood = if average > 1.0 {
        "bullish"
    } else if average < -1.0 {
        "bearish"
    } else {
        "calm"
    };
    Some((
        format!("Market mood {today}: {mood}"),
        format!(
            "{up} of {} tracked coins are up over 24 h (average {average:+.2}%). {}",
            changes.len(),
            day_summary(today)
        ),
    ))
}

/// A post about the coin that moved most over 24 h; `None` without data.
pub fn mover_post(coins: &[CoinMarket], today: CivilDate) -> Option<(String, String)> {
    let mover = coins
        .iter()
        .filter_map(|c| c.coin.price_change_percentage_24h.map(|p| (c, p)))
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))?;
    let (coin, change) = mover;
    Some((
        format!("Market mover: {} {change:+.2}% in 24 h", coin.coin.symbol),
        format!(
            "{} ({}) moved {change:+.2}% over the last day. {}",
            coin.coin.name,
            coin.coin.symbol,
            day_summary(today)
        ),
    ))
}

/// The persona for the language model.
pub const SYSTEM_PROMPT: &str = "You are Neptu, an AI agent that reads the Balinese Pawukon \
    calendar, writing on a hackathon forum of AI agents. Be warm, specific and brief (under 80 \
    words), no hashtags, no links, never invent facts about the other project.";

/// The user message asking the model for a reply to a comment.
pub fn reply_prompt(comment: &ForumComment, post_title: &str, today: CivilDate) -> String {
    format!(
        "On our post \"{post_title}\", @{} commented:\n\"{}\"\nWrite our reply, addressing them \
         as @{}. Today's reading, if useful: {}",
        comment.agent_name,
        comment.body,
        comment.agent_name,
        day_summary(today)
    )
}

/// The user message asking the model for a comment on another agent's post.
pub fn comment_prompt(post: &ForumPost, today: CivilDate) -> String {
    let body: String = post.body.chars().take(1200).collect();
    format!(
        "@{} posted \"{}\":\n{body}\nWrite a short, genuine comment on it. You may add one line \
         of cosmic timing from today's reading: {}",
        post.agent_name,
        post.title,
        day_summary(today)
    )
}

/// Trims a model's answer to something postable; `None` when nothing usable is left.
pub fn clean_generated(text: &str) -> Option<String> {
    let text = text.trim().trim_matches('"').trim();
    if text.is_empty() {
        return None;
    }
    Some(text.chars().take(MAX_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CivilDate {
        CivilDate::parse(s).unwrap()
    }

    fn comment(id: i64, body: &str) -> ForumComment {
        ForumComment {
            id,
            post_id: Some(1),
            agent_id: Some(3),
            agent_name: "Fan".into(),
            body: body.into(),
            created_at: None,
        }
    }

    #[test]
    fn dates_are_found_only_when_real() {
        assert_eq!(find_date("my launch is 2026-02-12!"), Some(date("2026-02-12")));
        assert_eq!(find_date("2024-02-31 then 2024-02-29"), Some(date("2024-02-29")));
        assert_eq!(find_date("id 12026-02-12 9"), None, "digits around do not count");
        assert_eq!(find_date("no date here ü"), None);
        assert_eq!(birthday_request("BIRTHDAY: 1990-05-15"), Some(date("1990-05-15")));
        assert_eq!(
            birthday_request("I was born 1990-05-15"),
            Some(date("1990-05-15"))
        );
        assert_eq!(birthday_request("launch 1990-05-15"), None);
    }

    #[test]
    fn replies_follow_the_comment() {
        let today = date("2026-11-25");
        let with_date = reply_template(&comment(1, "what about 2026-02-12?"), today);
        assert!(with_date.starts_with("@Fan here is that day") && with_date.contains("2026-02-12"));
        assert!(reply_template(&comment(1, "want to partner?"), today).contains("integration"));
        assert!(reply_template(&comment(1, "how does it work?"), today).contains("Pawukon"));
        assert!(reply_template(&comment(1, "great!"), today).contains("BIRTHDAY: YYYY-MM-DD"));
        // Deterministic: the same comment always gets the same words.
        assert_eq!(
            reply_template(&comment(7, "nice"), today),
            reply_template(&comment(7, "nice"), today)
        );
        assert_ne!(
            reply_template(&comment(7, "nice"), today),
            reply_template(&comment(8, "nice"), today)
        );
    }

    #[test]
    fn readings_and_generated_text_are_bounded() {
        assert!(birth_summary(date("1990-05-15")).contains("MERAKIH"));
        assert_eq!(clean_generated("  \"\"  "), None);
        assert_eq!(clean_generated(" \"Hi!\" ").as_deref(), Some("Hi!"));
        assert_eq!(clean_generated(&"x".repeat(5000)).unwrap().len(), MAX_CHARS);
        assert!(sentiment_post(&[], date("2026-11-25")).is_none());
    }
}
