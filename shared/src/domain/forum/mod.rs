//! The forum agent's rules (Colosseum heartbeat): which phases a slot runs, who
//! "we" are, the cache keys that remember what was done, how posts and projects are scored
//! for votes, and the deterministic wording used when no language model answers.

pub mod content;
pub mod keys;
pub mod scoring;

use chrono::{DateTime, Timelike, Utc};
use serde::Serialize;

use crate::config::ScheduledJob;

/// One step of the heartbeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Reply to new comments on our posts.
    ReplyComments,
    /// Comment on other agents' new posts.
    CommentOthers,
    /// Vote for good posts and projects.
    Vote,
    /// Post a thread.
    PostThread,
    /// Answer mentions and birthday requests; check the leaderboard.
    OtherActivity,
}

/// The phases a forum job runs for `slot`. Decided by the slot the run was scheduled for,
/// never by the clock when it happens to run (the original skipped votes and other activity
/// whenever a run started late).
pub fn phases(job: ScheduledJob, slot: DateTime<Utc>) -> Vec<Phase> {
    let minute = slot.minute();
    match job {
        ScheduledJob::ForumReplies => vec![Phase::ReplyComments],
        ScheduledJob::ForumComments if minute.is_multiple_of(15) => vec![Phase::CommentOthers, Phase::Vote],
        ScheduledJob::ForumComments => vec![Phase::CommentOthers],
        ScheduledJob::ForumPosts if minute.is_multiple_of(20) => {
            vec![Phase::PostThread, Phase::OtherActivity]
        }
        ScheduledJob::ForumPosts => vec![Phase::PostThread],
        ScheduledJob::MarketRefresh
        | ScheduledJob::DailyTasks
        | ScheduledJob::DeveloperMaintenance
        | ScheduledJob::Backup => Vec::new(),
    }
}

/// Our identity on the forum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agent {
    pub id: Option<i64>,
    pub name: String,
}

impl Agent {
    pub fn new(id: &str, name: &str) -> Self {
        Self {
            id: id.trim().parse().ok(),
            name: name.to_owned(),
        }
    }

    /// Whether a post or comment is ours: same agent id, or same name in any case.
    pub fn is_me(&self, agent_id: Option<i64>, agent_name: &str) -> bool {
        (self.id.is_some() && agent_id == self.id) || agent_name.eq_ignore_ascii_case(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, minute, 0).unwrap()
    }

    #[test]
    fn the_slot_decides_the_sub_phases() {
        use Phase::*;
        assert_eq!(phases(ScheduledJob::ForumReplies, at(3)), vec![ReplyComments]);
        for minute in [0, 15, 30, 45] {
            assert_eq!(
                phases(ScheduledJob::ForumComments, at(minute)),
                vec![CommentOthers, Vote]
            );
        }
        for minute in [5, 10, 20, 25, 50, 55] {
            assert_eq!(
                phases(ScheduledJob::ForumComments, at(minute)),
                vec![CommentOthers]
            );
        }
        for minute in [0, 20, 40] {
            assert_eq!(
                phases(ScheduledJob::ForumPosts, at(minute)),
                vec![PostThread, OtherActivity]
            );
        }
        for minute in [10, 30, 50] {
            assert_eq!(phases(ScheduledJob::ForumPosts, at(minute)), vec![PostThread]);
        }
        assert!(phases(ScheduledJob::MarketRefresh, at(0)).is_empty());
    }

    #[test]
    fn we_are_recognised_by_id_or_name() {
        let me = Agent::new("206", "Neptu");
        assert!(me.is_me(Some(206), "someone-renamed"));
        assert!(me.is_me(None, "neptu"));
        assert!(!me.is_me(Some(7), "Other"));
        let nameless_id = Agent::new("", "Neptu");
        assert!(
            !nameless_id.is_me(None, "Other"),
            "no id never matches a missing id"
        );
    }
}
