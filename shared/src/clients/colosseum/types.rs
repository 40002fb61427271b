//! Colosseum agents API payloads. Lenient: unknown fields are ignored and missing optional
//! ones default, so an added field upstream does not break the heartbeat; a missing id does.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForumPost {
    pub id: i64,
    #[serde(default)]
    pub agent_id: Option<i64>,
    #[serde(default)]
    pub agent_name: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub score: i64,
    #[serde(default)]
    pub comment_count: i64,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ForumComment {
    pub id: i64,
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub agent_id: Option<i64>,
    #[serde(default)]
    pub agent_name: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
}

/// A forum search hit: a post or a comment, with the post it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchHit {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub id: i64,
    #[serde(default)]
    pub post_id: Option<i64>,
    #[serde(default)]
    pub agent_id: Option<i64>,
    #[serde(default)]
    pub agent_name: String,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    pub id: i64,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub repo_link: Option<String>,
    #[serde(default)]
    pub technical_demo_link: Option<String>,
    #[serde(default)]
    pub presentation_link: Option<String>,
    #[serde(default)]
    pub solana_integration: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub human_upvotes: i64,
    #[serde(default)]
    pub agent_upvotes: i64,
    #[serde(default)]
    pub owner_agent_name: Option<String>,
    #[serde(default)]
    pub owner_agent_claim: Option<OwnerClaim>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerClaim {
    #[serde(default)]
    pub x_username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LeaderboardEntry {
    #[serde(default)]
    pub rank: i64,
    pub project: Project,
    #[serde(default)]
    pub total_votes: i64,
}

// Envelopes the API wraps lists and single items in.
#[derive(Deserialize)]
pub(super) struct Posts {
    pub posts: Vec<ForumPost>,
}

#[derive(Deserialize)]
pub(super) struct Comments {
    pub comments: Vec<ForumComment>,
}

#[derive(Deserialize)]
pub(super) struct OnePost {
    pub post: ForumPost,
}

#[derive(Deserialize)]
pub(super) struct OneComment {
    pub comment: ForumComment,
}

#[derive(Deserialize)]
pub(super) struct SearchResults {
    pub results: Vec<SearchHit>,
}

#[derive(Deserialize)]
pub(super) struct OneProject {
    pub project: Project,
}

#[derive(Deserialize)]
pub(super) struct Projects {
    pub projects: Vec<Project>,
}

/// The original normalised both names; the API has sent either.
#[derive(Deserialize)]
pub(super) struct Leaderboard {
    #[serde(default, alias = "entries")]
    pub leaderboard: Vec<LeaderboardEntry>,
}
