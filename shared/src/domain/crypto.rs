//! The tracked coins and their "cosmic" readings: each coin's genesis day is read as a birth
//! date with the wariga engine.
//!
//! Formulas from the original: the market alignment score and the ATH/ATL
//! readings. Ours, where the original's was private or degenerate: the cosmic messages, the
//! coin descriptions, and the personal alignment's weekday matches, which compare the coin's
//! and the person's *birth* pancawara and saptawara (comparing two readings of the same day,
//! as the original's code literally did, always matches).

use std::time::Duration;

use chrono::Datelike;
use serde::Serialize;

use neptu_wariga::{self as wariga, CivilDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Coin {
    pub symbol: &'static str,
    pub name: &'static str,
    /// Genesis (or launch) day, `YYYY-MM-DD`.
    pub birthday: &'static str,
    pub description: &'static str,
    pub coingecko_id: &'static str,
}

const fn coin(
    symbol: &'static str,
    name: &'static str,
    birthday: &'static str,
    coingecko_id: &'static str,
    description: &'static str,
) -> Coin {
    Coin {
        symbol,
        name,
        birthday,
        description,
        coingecko_id,
    }
}

/// The 13 coins of the original's `TOP_CRYPTO_COINS`, in its order.
pub const COINS: [Coin; 13] = [
    coin(
        "BTC",
        "Bitcoin",
        "2009-01-03",
        "bitcoin",
        "The first blockchain, mined from its genesis block.",
    ),
    coin(
        "ETH",
        "Ethereum",
        "2015-07-30",
        "ethereum",
        "The programmable chain of smart contracts.",
    ),
    coin(
        "USDT",
        "Tether",
        "2014-10-06",
        "tether",
        "A dollar-pegged stablecoin.",
    ),
    coin(
        "BNB",
        "BNB",
        "2017-07-08",
        "binancecoin",
        "The token of the BNB Chain ecosystem.",
    ),
    coin(
        "XRP",
        "XRP",
        "2012-06-02",
        "ripple",
        "A ledger built for fast settlement.",
    ),
    coin(
        "USDC",
        "USD Coin",
        "2018-09-26",
        "usd-coin",
        "A fully reserved dollar stablecoin.",
    ),
    coin(
        "SOL",
        "Solana",
        "2020-03-16",
        "solana",
        "A high-throughput chain with proof of history.",
    ),
    coin(
        "TRX",
        "TRON",
        "2018-07-25",
        "tron",
        "A chain for content and stablecoin transfers.",
    ),
    coin(
        "DOGE",
        "Dogecoin",
        "2013-12-08",
        "dogecoin",
        "The meme coin that stayed.",
    ),
    coin(
        "BCH",
        "Bitcoin Cash",
        "2017-08-01",
        "bitcoin-cash",
        "A Bitcoin fork with larger blocks.",
    ),
    coin(
        "ADA",
        "Cardano",
        "2017-09-27",
        "cardano",
        "A research-driven proof-of-stake chain.",
    ),
    coin(
        "LINK",
        "Chainlink",
        "2017-09-16",
        "chainlink",
        "Oracles that bring outside data on chain.",
    ),
    coin(
        "AVAX",
        "Avalanche",
        "2020-09-23",
        "avalanche-2",
        "A platform of fast, customisable subnets.",
    ),
];

/// The CoinGecko ids of every tracked coin.
pub fn coingecko_ids() -> Vec<&'static str> {
    COINS.iter().map(|c| c.coingecko_id).collect()
}

impl Coin {
    /// The birthday as a date; `None` only if the table above were wrong (a test checks it).
    pub fn birth(&self) -> Option<CivilDate> {
        CivilDate::parse(self.birthday).ok()
    }
}

/// Chart proxy cache lifetime by range, as the original (`days` ∈ 7/30/90/365); `None` for
/// any other range, which is a 400.
pub fn chart_ttl(days: u32) -> Option<Duration> {
    let secs = match days {
        7 => 600,
        30 => 3600,
        90 => 7200,
        365 => 21_600,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

/// A coin id the chart proxy may send to CoinGecko: 1 to 100 of `a-z`, `0-9`, `-` (the shape
/// of CoinGecko's ids), so a request can never put anything else in the upstream path.
pub fn valid_chart_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// One of the tracked coins (always chartable; other ids draw on a bounded hourly budget).
pub fn is_tracked(id: &str) -> bool {
    COINS.iter().any(|coin| coin.coingecko_id == id)
}

/// `min(100, round(total_urip / 30 × 100))`.
pub fn alignment_score(total_urip: u32) -> u32 {
    ((f64::from(total_urip) / 30.0 * 100.0).round() as u32).min(100)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CosmicAlignment {
    pub day_name: &'static str,
    pub panca_wara: &'static str,
    pub sapta_wara: &'static str,
    pub wuku: &'static str,
    pub alignment_score: u32,
    pub cosmic_message: &'static str,
}

/// A coin's alignment on `today`: its birth wuku's urip plus today's pancawara and saptawara
/// urip, as a score out of 100.
pub fn cosmic_alignment(coin_birth: CivilDate, today: CivilDate) -> CosmicAlignment {
    let birth = wariga::potensi(coin_birth).base;
    let day = cosmic_for_date(coin_birth, today);
    CosmicAlignment {
        day_name: day.sapta_wara,
        panca_wara: day.panca_wara,
        sapta_wara: day.sapta_wara,
        wuku: birth.wuku.name,
        alignment_score: day.score,
        cosmic_message: cosmic_message(birth.wuku.name),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CosmicForDate {
    pub score: u32,
    pub panca_wara: &'static str,
    pub sapta_wara: &'static str,
}

/// The coin's score on any day of its life (today, its all-time high or low).
pub fn cosmic_for_date(coin_birth: CivilDate, date: CivilDate) -> CosmicForDate {
    let wuku_urip = wariga::potensi(coin_birth).base.wuku.urip;
    let day = wariga::peluang(date, Some(coin_birth)).base;
    let total = u32::from(wuku_urip) + u32::from(day.panca_wara.urip) + u32::from(day.sapta_wara.urip);
    CosmicForDate {
        score: alignment_score(total),
        panca_wara: day.panca_wara.name,
        sapta_wara: day.sapta_wara.name,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Trend {
    Bullish,
    Bearish,
    Neutral,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonalAlignment {
    pub cosmic_alignment: u32,
    pub trend: Trend,
    pub coin_wuku: &'static str,
    pub coin_pancawara: &'static str,
    pub user_wuku: &'static str,
    pub user_pancawara: &'static str,
}

/// How a coin aligns with a person on `today`: 30 for the same birth wuku, 25 each for the
/// same birth pancawara and saptawara, plus `(day of month today + day of month of the coin's
/// birth) mod 20 + 1`, capped at 100. Bullish from 70, bearish up to 40.
pub fn personal_alignment(
    user_birth: CivilDate,
    coin_birth: CivilDate,
    today: CivilDate,
) -> PersonalAlignment {
    let user = wariga::potensi(user_birth).base;
    let coin = wariga::potensi(coin_birth).base;
    let mut score = 0;
    if coin.wuku.name == user.wuku.name {
        score += 30;
    }
    if coin.panca_wara.name == user.panca_wara.name {
        score += 25;
    }
    if coin.sapta_wara.name == user.sapta_wara.name {
        score += 25;
    }
    score += (today.naive().day() + coin_birth.naive().day()) % 20 + 1;
    let score = score.min(100);
    let trend = match score {
        70.. => Trend::Bullish,
        ..=40 => Trend::Bearish,
        _ => Trend::Neutral,
    };
    PersonalAlignment {
        cosmic_alignment: score,
        trend,
        coin_wuku: coin.wuku.name,
        coin_pancawara: coin.panca_wara.name,
        user_wuku: user.wuku.name,
        user_pancawara: user.panca_wara.name,
    }
}

pub const DEFAULT_COSMIC_MESSAGE: &str = "Cosmic forces are in motion";

/// One line per wuku (ours), keyed by name in any case.
pub fn cosmic_message(wuku: &str) -> &'static str {
    const MESSAGES: [(&str, &str); 30] = [
        (
            "SINTA",
            "A week of beginnings: fresh cycles favour bold first moves.",
        ),
        (
            "LANDEP",
            "Sharp minds cut through noise; clarity rewards patience.",
        ),
        ("UKIR", "Steady building: value is carved slowly and kept."),
        ("KULANTIR", "Quiet strength; a calm hand outlasts the swings."),
        ("TOLU", "Balance between risk and rest brings the best timing."),
        ("GUMBREG", "Abundance gathers where care is taken."),
        ("WARIGA", "Growth rises from deep roots; trust the long view."),
        ("WARIGADEAN", "Renewal after effort: tend what already grows."),
        (
            "JULUNGWANGI",
            "Light breaks through; hidden value comes into view.",
        ),
        ("SUNGSANG", "Turning points: reversals open new paths."),
        ("DUNGULAN", "Victory of order over chaos; discipline pays."),
        ("KUNINGAN", "Gratitude and harvest: secure what was earned."),
        ("LANGKIR", "Protection matters now; guard the treasury."),
        ("MEDANGSIA", "Courage meets caution; measured steps win."),
        ("PUJUT", "Devotion to the plan carries it through doubt."),
        ("PAHANG", "Firm foundations hold against strong winds."),
        ("KRULUT", "Bonds strengthen; community lifts the value."),
        ("MERAKIH", "Creation and design: new structures take shape."),
        ("TAMBIR", "Patience before the harvest; let it ripen."),
        ("MEDANGKUNGAN", "Steady flows; consistency beats haste."),
        ("MATAL", "Clear sight reveals the true trend."),
        ("UYE", "Movement and exchange quicken the market."),
        ("MENAIL", "Reflection before action sharpens the next move."),
        ("PERANGBAKAT", "Strong forces clash; stay centred in the storm."),
        ("BALA", "Power gathers; use it with restraint."),
        ("UGU", "Wisdom in small steps; the careful accumulate."),
        ("WAYANG", "Shadows play: look past appearances."),
        ("KELAWU", "Wealth and caution walk together this week."),
        ("DUKUT", "Nature's rhythm: growth follows its season."),
        ("WATUGUNUNG", "The cycle closes: reflect, release, prepare."),
    ];
    MESSAGES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(wuku))
        .map_or(DEFAULT_COSMIC_MESSAGE, |(_, message)| message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> CivilDate {
        CivilDate::parse(s).unwrap()
    }

    #[test]
    fn the_coin_table_is_valid() {
        assert_eq!(COINS.len(), 13);
        for coin in COINS {
            let birth = coin
                .birth()
                .unwrap_or_else(|| panic!("{} has a bad birthday", coin.symbol));
            assert_ne!(
                cosmic_message(wariga::potensi(birth).base.wuku.name),
                DEFAULT_COSMIC_MESSAGE
            );
        }
        let ids = coingecko_ids();
        assert_eq!(ids.iter().collect::<std::collections::HashSet<_>>().len(), 13);
        assert!(ids.contains(&"avalanche-2") && ids.contains(&"usd-coin"));
    }

    #[test]
    fn every_wuku_has_a_message() {
        let mut day = date("2026-01-01");
        for _ in 0..210 {
            let wuku = wariga::potensi(day).base.wuku.name;
            assert_ne!(cosmic_message(wuku), DEFAULT_COSMIC_MESSAGE, "{wuku}");
            day = day.succ().unwrap();
        }
    }

    #[test]
    fn chart_ttls_follow_the_range() {
        assert_eq!(chart_ttl(7), Some(Duration::from_secs(600)));
        assert_eq!(chart_ttl(365), Some(Duration::from_secs(21_600)));
        assert_eq!(chart_ttl(14), None);
    }

    #[test]
    fn alignment_scores_round_and_cap() {
        assert_eq!(alignment_score(15), 50);
        assert_eq!(alignment_score(16), 53);
        assert_eq!(alignment_score(45), 100);
    }

    #[test]
    fn bitcoin_on_a_known_day() {
        // Genesis 2009-01-03 is Watugunung (urip 8); 2026-11-25 is Umanis (5) and a Wednesday
        // (7): 20 / 30 -> 67.
        let a = cosmic_alignment(date("2009-01-03"), date("2026-11-25"));
        assert_eq!(
            (a.wuku, a.panca_wara, a.day_name),
            ("WATUGUNUNG", "UMANIS", "WEDNESDAY")
        );
        assert_eq!(a.alignment_score, 67);
        assert_eq!(a.cosmic_message, cosmic_message("Watugunung"));
        let ath = cosmic_for_date(date("2009-01-03"), date("2026-11-25"));
        assert_eq!((ath.score, ath.sapta_wara), (67, "WEDNESDAY"));
    }

    #[test]
    fn personal_alignment_adds_matches_and_the_day_term() {
        // Same birth date: every match counts, and the day term is added on top.
        let same = personal_alignment(date("2020-03-16"), date("2020-03-16"), date("2026-11-25"));
        assert_eq!(same.cosmic_alignment, 80 + (25 + 16) % 20 + 1);
        assert_eq!(same.trend, Trend::Bullish);
        assert_eq!(same.coin_wuku, same.user_wuku);
        // 1990-05-15 (Merakih, Pon, Tuesday) and Bitcoin (Watugunung, Umanis, Saturday) share
        // nothing: only the day term (1 + 3) mod 20 + 1 = 5 is left.
        let a = personal_alignment(date("1990-05-15"), date("2009-01-03"), date("2026-11-01"));
        assert_eq!((a.cosmic_alignment, a.trend), (5, Trend::Bearish));
        assert_eq!(
            (a.user_wuku, a.user_pancawara, a.coin_pancawara),
            ("MERAKIH", "PON", "UMANIS")
        );
    }
}
