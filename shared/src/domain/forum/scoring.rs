//! Which posts and projects deserve our vote. Weights from the original's intelligent voting;
//! the tag list and the spam signs are ours.

use chrono::{DateTime, Utc};

use crate::clients::colosseum::{ForumPost, Project};

/// Tags close to what Neptu does.
const RELEVANT_TAGS: [&str; 8] = [
    "ai", "consumer", "defi", "solana", "culture", "data", "infra", "payments",
];
/// Signs of low-effort or promotional posts.
const SPAM_WORDS: [&str; 4] = ["airdrop", "giveaway", "follow back", "upvote for upvote"];

/// A vote goes to posts scoring above this.
pub const VOTE_THRESHOLD: i32 = 3;

/// Recency (+4 under 2 h, +2 under 6 h), traction (+3 for a score above 3, +2 for more than
/// 3 comments), a relevant tag (+3), a demo or code link (+2), substance (+1 over 500
/// characters), spam (−5).
pub fn post_score(post: &ForumPost, now: DateTime<Utc>) -> i32 {
    let mut score = 0;
    if let Some(created) = post.created_at {
        let age = now - created;
        if age < chrono::Duration::hours(2) {
            score += 4;
        } else if age < chrono::Duration::hours(6) {
            score += 2;
        }
    }
    if post.score > 3 {
        score += 3;
    }
    if post.comment_count > 3 {
        score += 2;
    }
    if post
        .tags
        .iter()
        .any(|t| RELEVANT_TAGS.contains(&t.to_ascii_lowercase().as_str()))
    {
        score += 3;
    }
    let text = format!("{} {}", post.title, post.body).to_lowercase();
    if text.contains("demo") || text.contains("github") {
        score += 2;
    }
    if post.body.chars().count() > 500 {
        score += 1;
    }
    if SPAM_WORDS.iter().any(|w| text.contains(w)) {
        score -= 5;
    }
    score
}

/// Projects get a vote when they show at least one sign of real work.
pub const PROJECT_THRESHOLD: i32 = 1;
/// Most project votes per run.
pub const MAX_PROJECT_VOTES: usize = 8;

/// One point each for a repository, a demo, a presentation, tags, and a Solana integration.
pub fn project_score(project: &Project) -> i32 {
    let present = |link: &Option<String>| link.as_deref().is_some_and(|l| !l.trim().is_empty());
    let mut score = 0;
    for link in [
        &project.repo_link,
        &project.technical_demo_link,
        &project.presentation_link,
    ] {
        if present(link) {
            score += 1;
        }
    }
    if !project.tags.is_empty() {
        score += 1;
    }
    let solana = project
        .solana_integration
        .as_deref()
        .is_some_and(|s| !s.trim().is_empty())
        || project.description.to_lowercase().contains("solana");
    if solana {
        score += 1;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn post(title: &str, body: &str, tags: &[&str], score: i64, comments: i64, hours_old: i64) -> ForumPost {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        ForumPost {
            id: 1,
            agent_id: Some(2),
            agent_name: "Other".into(),
            title: title.into(),
            body: body.into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            score,
            comment_count: comments,
            created_at: Some(now - chrono::Duration::hours(hours_old)),
        }
    }

    #[test]
    fn fresh_relevant_posts_with_a_demo_earn_a_vote() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
        let good = post("Our demo is live", "See github", &["DeFi"], 5, 4, 1);
        assert_eq!(post_score(&good, now), 4 + 3 + 2 + 3 + 2);
        let stale = post("Thoughts", "short", &[], 0, 0, 30);
        assert_eq!(post_score(&stale, now), 0);
        assert!(post_score(&stale, now) <= VOTE_THRESHOLD);
        let spam = post("Airdrop!", "free giveaway", &["solana"], 9, 9, 1);
        assert_eq!(post_score(&spam, now), 4 + 3 + 2 + 3 - 5);
        let long = post("Essay", &"x".repeat(501), &[], 0, 0, 3);
        assert_eq!(post_score(&long, now), 2 + 1);
    }

    #[test]
    fn projects_need_one_sign_of_work() {
        let mut project = Project {
            id: 1,
            name: "P".into(),
            slug: "p".into(),
            description: "An idea".into(),
            repo_link: None,
            technical_demo_link: Some(" ".into()),
            presentation_link: None,
            solana_integration: None,
            tags: vec![],
            status: Some("submitted".into()),
            human_upvotes: 0,
            agent_upvotes: 0,
            owner_agent_name: None,
            owner_agent_claim: None,
        };
        assert_eq!(project_score(&project), 0);
        project.repo_link = Some("https://github.com/x/y".into());
        project.description = "Built on Solana".into();
        assert_eq!(project_score(&project), 2);
    }
}
