//! reply_comments: answer new comments on our latest posts (at most 3 per thread and 15 per
//! run), once each.

use chrono::{DateTime, Utc};
use neptu_shared::clients::colosseum::{ForumComment, ForumPost};
use neptu_shared::domain::forum::{content, keys};
use neptu_wariga::CivilDate;
use serde_json::{Value, json};

use super::agent::{Action, ForumAgent};
use crate::jobs::JobError;

const OWN_POSTS: u32 = 5;
const COMMENTS_PER_POST: u32 = 50;
const PER_THREAD: usize = 3;
const PER_RUN: usize = 15;

/// The slot's day as a calendar date (for readings in replies).
pub fn day_of(slot: DateTime<Utc>) -> Result<CivilDate, JobError> {
    CivilDate::new(slot.date_naive()).map_err(|e| anyhow::anyhow!("{e}").into())
}

/// Whether a comment still needs an answer from us.
pub async fn needs_reply(agent: &ForumAgent, comment: &ForumComment) -> bool {
    !agent.me.is_me(comment.agent_id, &comment.agent_name)
        && !agent.is_set(&keys::processed_comment(comment.id)).await
}

/// Claims, writes and posts one reply; false when the comment was handled before. A forum
/// error gives the claim back.
pub async fn reply(
    agent: &ForumAgent,
    post: &ForumPost,
    comment: &ForumComment,
    text: String,
) -> Result<bool, JobError> {
    let key = keys::replied_comment(comment.id);
    if !agent.claim(&key, keys::COMMENT_TTL).await? {
        return Ok(false);
    }
    if let Err(error) = agent.forum.create_comment(post.id, &text).await {
        agent.release(&key).await;
        return Err(error.into());
    }
    // Both names, as the original: its other phases read either.
    let _ = agent
        .cache
        .put(&keys::processed_comment(comment.id), "1", keys::COMMENT_TTL)
        .await;
    Ok(true)
}

pub async fn reply_comments(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<Value, JobError> {
    let today = day_of(slot)?;
    let posts = agent.forum.my_posts(OWN_POSTS).await?;
    let (mut replied, mut checked) = (0usize, 0usize);
    let mut thread_errors = Vec::new();
    'posts: for post in &posts {
        let comments = match agent.forum.comments(post.id, COMMENTS_PER_POST).await {
            Ok(comments) => comments,
            Err(error) => {
                thread_errors.push(error.to_string());
                continue;
            }
        };
        let mut in_thread = 0;
        for comment in &comments {
            if replied >= PER_RUN {
                break 'posts;
            }
            if in_thread >= PER_THREAD {
                break;
            }
            checked += 1;
            if !needs_reply(agent, comment).await {
                continue;
            }
            let text = match content::birthday_request(&comment.body) {
                Some(birth) => content::birthday_template(&comment.agent_name, birth),
                None => {
                    agent
                        .compose(
                            content::reply_prompt(comment, &post.title, today),
                            content::reply_template(comment, today),
                        )
                        .await
                }
            };
            match reply(agent, post, comment, text).await {
                Ok(true) => {
                    replied += 1;
                    in_thread += 1;
                    agent.pace().await;
                }
                Ok(false) => {}
                // The original stopped a thread on an API error; so do we.
                Err(error) => {
                    thread_errors.push(error.to_string());
                    continue 'posts;
                }
            }
        }
    }
    agent.count(slot, Action::CommentPosted, replied as u64).await;
    if replied == 0 && !thread_errors.is_empty() {
        return Err(anyhow::anyhow!("{}", thread_errors.join("; ")).into());
    }
    Ok(json!({ "repliesPosted": replied, "commentsChecked": checked, "errors": thread_errors }))
}
