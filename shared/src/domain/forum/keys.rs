//! The heartbeat's cache keys and lifetimes, named exactly as the original's (spec §F.4) so
//! state carries over. Keys without a lifetime never expire (the original's Redis shim
//! silently gave them an hour; the one-time intro post was then re-posted hourly).

use std::time::Duration;

const DAY: Duration = Duration::from_secs(86_400);
const YEAR: Duration = Duration::from_secs(31_536_000);

/// Never reply twice to a comment (both names are checked; both are written).
pub fn replied_comment(comment_id: i64) -> String {
    format!("neptu:replied_comment:{comment_id}")
}
pub fn processed_comment(comment_id: i64) -> String {
    format!("neptu:processed_comment:{comment_id}")
}
pub const COMMENT_TTL: Option<Duration> = Some(YEAR);

/// Never comment twice on a thread.
pub fn commented_post(post_id: i64) -> String {
    format!("neptu:commented_post:{post_id}")
}
pub const COMMENTED_POST_TTL: Option<Duration> = Some(YEAR);

/// Votes for posts (a week) and projects (ten days).
pub fn voted(post_id: i64) -> String {
    format!("neptu:voted:{post_id}")
}
pub const VOTED_TTL: Option<Duration> = Some(Duration::from_secs(604_800));
pub fn voted_project(project_id: i64) -> String {
    format!("neptu:voted_project:{project_id}")
}
pub const VOTED_PROJECT_TTL: Option<Duration> = Some(Duration::from_secs(864_000));
pub const MY_PROJECT_ID: &str = "neptu:my_project_id";
pub const MY_PROJECT_ID_TTL: Option<Duration> = Some(DAY);

/// One-time introduction post: kept forever.
pub const INTRO_POST_ID: &str = "neptu:intro_post_id";
pub const INTRO_POST_TTL: Option<Duration> = None;

/// Per-period post dedup: `"pending"` while posting, then the post id.
pub fn sentiment(date: &str, hour: u32) -> String {
    format!("neptu:sentiment:{date}:{hour}")
}
pub fn mover(date: &str, hour: u32) -> String {
    format!("neptu:mover:{date}:{hour}")
}
pub const PERIOD_POST_TTL: Option<Duration> = Some(DAY);

/// "Hours since" throttles: the time of the last such post, kept forever.
pub const LAST_SENTIMENT_REPORT: &str = "neptu:last_sentiment_report";
pub const LAST_MOVER_ALERT: &str = "neptu:last_mover_alert";
pub const THROTTLE_TTL: Option<Duration> = None;
pub const LAST_POST_TIME: &str = "neptu:last_post_time";
pub const LAST_POST_TIME_TTL: Option<Duration> = Some(DAY);

/// Daily counters per action (`{action: {success, fail, total}}`), a week.
pub fn analytics(date: &str) -> String {
    format!("neptu:analytics:{date}")
}
pub const ANALYTICS_TTL: Option<Duration> = Some(Duration::from_secs(604_800));
pub const TOTAL_VOTES_GIVEN: &str = "neptu:total_votes_given";
pub const LAST_HEARTBEAT: &str = "neptu:last_heartbeat";
pub const LAST_HEARTBEAT_TTL: Option<Duration> = Some(DAY);
pub const LATEST_ANNOUNCEMENT: &str = "neptu:latest_announcement";
pub const LATEST_ANNOUNCEMENT_TTL: Option<Duration> = Some(DAY);

/// The web app's stats routes, cached five minutes.
pub const PROJECT_VOTES: &str = "colosseum:project:neptu:votes";
pub const AGENT_STATS: &str = "colosseum:agent:neptu:stats";
pub const STATS_TTL: Option<Duration> = Some(Duration::from_secs(300));

/// Value of a per-period key while its post is being made.
pub const PENDING: &str = "pending";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_lifetimes_match_the_original() {
        assert_eq!(replied_comment(5), "neptu:replied_comment:5");
        assert_eq!(commented_post(9), "neptu:commented_post:9");
        assert_eq!(voted(9), "neptu:voted:9");
        assert_eq!(sentiment("2026-11-25", 9), "neptu:sentiment:2026-11-25:9");
        assert_eq!(COMMENT_TTL, Some(Duration::from_secs(31_536_000)));
        assert_eq!(VOTED_PROJECT_TTL, Some(Duration::from_secs(864_000)));
        assert_eq!(INTRO_POST_TTL, None, "the intro post marker never expires");
        assert_eq!(THROTTLE_TTL, None);
    }
}
