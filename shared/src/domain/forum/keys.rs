//! The heartbeat's cache keys and lifetimes, so that state carries over from the original
//! service: it stored `neptu:replied_comment:{id}` and so on with no further namespace. Names
//! here leave out that `neptu:`; the cache puts `CACHE_PREFIX` in front of every key, and its
//! default is exactly `neptu:`, so the stored keys are the original's (README, "Jobs
//! (worker)"). Keys without a lifetime never expire (the original's Redis shim silently gave
//! them an hour; the one-time intro post was then re-posted hourly).

use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);
const YEAR: Duration = Duration::from_secs(31_536_000);

/// Never reply twice to a comment (both names are checked; both are written).
pub fn replied_comment(comment_id: i64) -> String {
    format!("replied_comment:{comment_id}")
}
pub fn processed_comment(comment_id: i64) -> String {
    format!("processed_comment:{comment_id}")
}
pub const COMMENT_TTL: Option<Duration> = Some(YEAR);

/// Never comment twice on a thread.
pub fn commented_post(post_id: i64) -> String {
    format!("commented_post:{post_id}")
}
pub const COMMENTED_POST_TTL: Option<Duration> = Some(YEAR);

/// Votes for posts (a week) and projects (ten days).
pub fn voted(post_id: i64) -> String {
    format!("voted:{post_id}")
}
pub const VOTED_TTL: Option<Duration> = Some(Duration::from_secs(604_800));
pub fn voted_project(project_id: i64) -> String {
    format!("voted_project:{project_id}")
}
pub const VOTED_PROJECT_TTL: Option<Duration> = Some(Duration::from_secs(864_000));
pub const MY_PROJECT_ID: &str = "my_project_id";
pub const MY_PROJECT_ID_TTL: Option<Duration> = Some(DAY);

/// One-time introduction post: kept forever.
pub const INTRO_POST_ID: &str = "intro_post_id";
pub const INTRO_POST_TTL: Option<Duration> = None;

/// Per-period post dedup: `"pending"` while posting, then the post id.
pub fn sentiment(date: &str, hour: u32) -> String {
    format!("sentiment:{date}:{hour}")
}
pub fn mover(date: &str, hour: u32) -> String {
    format!("mover:{date}:{hour}")
}
pub const PERIOD_POST_TTL: Option<Duration> = Some(DAY);

/// "Hours since" throttles: the time of the last such post, kept forever.
pub const LAST_SENTIMENT_REPORT: &str = "last_sentiment_report";
pub const LAST_MOVER_ALERT: &str = "last_mover_alert";
pub const THROTTLE_TTL: Option<Duration> = None;
pub const LAST_POST_TIME: &str = "last_post_time";
pub const LAST_POST_TIME_TTL: Option<Duration> = Some(DAY);

/// Daily counters per action (`{action: {success, fail, total}}`), a week.
pub fn analytics(date: &str) -> String {
    format!("analytics:{date}")
}
pub const ANALYTICS_TTL: Option<Duration> = Some(Duration::from_secs(604_800));
pub const TOTAL_VOTES_GIVEN: &str = "total_votes_given";
pub const LAST_HEARTBEAT: &str = "last_heartbeat";
pub const LAST_HEARTBEAT_TTL: Option<Duration> = Some(DAY);
pub const LATEST_ANNOUNCEMENT: &str = "latest_announcement";
pub const LATEST_ANNOUNCEMENT_TTL: Option<Duration> = Some(DAY);

/// The web app's stats routes, cached five minutes (under `CACHE_PREFIX` like every key).
pub const PROJECT_VOTES: &str = "colosseum:project:neptu:votes";
pub const AGENT_STATS: &str = "colosseum:agent:neptu:stats";
pub const STATS_TTL: Option<Duration> = Some(Duration::from_secs(300));

/// Value of a per-period key while its post is being made.
pub const PENDING: &str = "pending";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::vars;

    /// What the original stored: the key under the default `CACHE_PREFIX`.
    fn stored(key: &str) -> String {
        let prefix = vars::find("CACHE_PREFIX").and_then(|v| v.default).unwrap();
        format!("{prefix}{key}")
    }

    #[test]
    fn names_and_lifetimes_match_the_original() {
        assert_eq!(stored(&replied_comment(5)), "neptu:replied_comment:5");
        assert_eq!(stored(&processed_comment(5)), "neptu:processed_comment:5");
        assert_eq!(stored(&commented_post(9)), "neptu:commented_post:9");
        assert_eq!(stored(&voted(9)), "neptu:voted:9");
        assert_eq!(stored(&voted_project(9)), "neptu:voted_project:9");
        assert_eq!(
            stored(&sentiment("2026-11-25", 9)),
            "neptu:sentiment:2026-11-25:9"
        );
        assert_eq!(stored(INTRO_POST_ID), "neptu:intro_post_id");
        assert_eq!(stored(TOTAL_VOTES_GIVEN), "neptu:total_votes_given");
        assert_eq!(COMMENT_TTL, Some(Duration::from_secs(31_536_000)));
        assert_eq!(VOTED_PROJECT_TTL, Some(Duration::from_secs(864_000)));
        assert_eq!(INTRO_POST_TTL, None, "the intro post marker never expires");
        assert_eq!(THROTTLE_TTL, None);
    }
}
