//! comment_others (every comments slot) and other_activity (posts slots at :00/:20/:40):
//! comment on other agents' new posts and on posts mentioning us, answer birthday requests,
//! and look at the leaderboard.

use chrono::{DateTime, Utc};
use neptu_shared::clients::colosseum::{ForumPost, Sort};
use neptu_shared::domain::forum::{content, keys};
use serde_json::{Value, json};

use super::agent::{Action, ForumAgent};
use super::replies::{day_of, needs_reply, reply};
use crate::jobs::JobError;

const NEW_POSTS: u32 = 60;
const COMMENTS_PER_RUN: usize = 5;
const MENTION_QUERIES: [&str; 3] = ["neptu", "balinese", "wuku"];
const MENTIONS_PER_RUN: usize = 3;
const OWN_POSTS_FOR_BIRTHDAYS: u32 = 20;

/// Comments on `post` once ever; false when we had commented before.
async fn comment_once(agent: &ForumAgent, post: &ForumPost, text: String) -> Result<bool, JobError> {
    let key = keys::commented_post(post.id);
    if !agent.claim(&key, keys::COMMENTED_POST_TTL).await? {
        return Ok(false);
    }
    if let Err(error) = agent.forum.create_comment(post.id, &text).await {
        agent.release(&key).await;
        return Err(error.into());
    }
    Ok(true)
}

pub async fn comment_others(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<Value, JobError> {
    let today = day_of(slot)?;
    let mut posts: Vec<ForumPost> = agent
        .forum
        .posts(Sort::New, NEW_POSTS)
        .await?
        .into_iter()
        .filter(|p| !agent.me.is_me(p.agent_id, &p.agent_name))
        .collect();
    // Posts nobody answered yet come first (the original's first priority), newest first.
    posts.sort_by_key(|p| (p.comment_count > 0, std::cmp::Reverse(p.created_at)));
    let mut commented = 0;
    for post in &posts {
        if commented >= COMMENTS_PER_RUN {
            break;
        }
        if agent.is_set(&keys::commented_post(post.id)).await {
            continue;
        }
        let text = agent
            .compose(
                content::comment_prompt(post, today),
                content::comment_template(post, today),
            )
            .await;
        if comment_once(agent, post, text).await? {
            commented += 1;
            agent.pace().await;
        }
    }
    agent.count(slot, Action::CommentPosted, commented as u64).await;
    Ok(json!({ "commented": commented, "candidates": posts.len() }))
}

pub async fn other_activity(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<Value, JobError> {
    let mentions = respond_to_mentions(agent, slot).await;
    let birthdays = birthday_requests(agent, slot).await;
    let leaderboard = check_leaderboard(agent).await;
    let errors: Vec<String> = [
        mentions.as_ref().err(),
        birthdays.as_ref().err(),
        leaderboard.as_ref().err(),
    ]
    .into_iter()
    .flatten()
    .map(ToString::to_string)
    .collect();
    if errors.len() == 3 {
        return Err(anyhow::anyhow!("{}", errors.join("; ")).into());
    }
    Ok(json!({
        "mentionsAnswered": mentions.ok(),
        "birthdayReadings": birthdays.ok(),
        "leaderboard": leaderboard.ok(),
        "errors": errors,
    }))
}

async fn respond_to_mentions(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<usize, JobError> {
    let today = day_of(slot)?;
    let mut answered = 0;
    for query in MENTION_QUERIES {
        for hit in agent.forum.search(query, 10).await? {
            if answered >= MENTIONS_PER_RUN {
                break;
            }
            let post_id = hit.post_id.unwrap_or(hit.id);
            if agent.me.is_me(hit.agent_id, &hit.agent_name)
                || agent.is_set(&keys::commented_post(post_id)).await
            {
                continue;
            }
            let post = ForumPost {
                id: post_id,
                agent_id: hit.agent_id,
                agent_name: hit.agent_name.clone(),
                title: hit.title.clone().unwrap_or_else(|| query.to_owned()),
                body: hit.body.clone(),
                tags: Vec::new(),
                score: 0,
                comment_count: 0,
                created_at: None,
            };
            let text = agent
                .compose(
                    content::comment_prompt(&post, today),
                    content::comment_template(&post, today),
                )
                .await;
            if comment_once(agent, &post, text).await? {
                answered += 1;
                agent.pace().await;
            }
        }
    }
    agent.count(slot, Action::CommentPosted, answered as u64).await;
    Ok(answered)
}

async fn birthday_requests(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<usize, JobError> {
    let mut answered = 0;
    for post in agent.forum.my_posts(OWN_POSTS_FOR_BIRTHDAYS).await? {
        for comment in agent.forum.comments(post.id, 50).await? {
            let Some(birth) = content::birthday_request(&comment.body) else {
                continue;
            };
            if !needs_reply(agent, &comment).await {
                continue;
            }
            let text = content::birthday_template(&comment.agent_name, birth);
            if reply(agent, &post, &comment, text).await? {
                answered += 1;
                agent.pace().await;
            }
        }
    }
    agent.count(slot, Action::CommentPosted, answered as u64).await;
    Ok(answered)
}

/// Our place on the leaderboard (read only).
async fn check_leaderboard(agent: &ForumAgent) -> Result<Value, JobError> {
    let board = agent.forum.leaderboard().await?;
    let mine = agent.forum.my_project().await.ok();
    let rank = mine.as_ref().and_then(|project| {
        board
            .iter()
            .find(|entry| entry.project.id == project.id)
            .map(|entry| entry.rank)
    });
    Ok(json!({ "entries": board.len(), "rank": rank }))
}
