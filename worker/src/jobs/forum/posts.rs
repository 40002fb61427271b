//! post_thread (every posts slot): at most two new threads per run, in order of priority —
//! the one-time introduction, a market mood report (every 6 h at most), a market mover alert
//! (every 4 h at most). Each period's post is claimed under its key before posting.

use chrono::{DateTime, Timelike, Utc};
use neptu_shared::db::crypto_market;
use neptu_shared::domain::forum::{content, keys};
use serde_json::{Value, json};

use super::agent::{Action, ForumAgent};
use super::replies::day_of;
use crate::jobs::{JobError, RunContext};

const MAX_POSTS_PER_RUN: usize = 2;
const TAGS: [&str; 3] = ["ai", "consumer", "solana"];

/// Hours between the slot and a stored RFC 3339 time; `None` when never set (or unreadable).
async fn hours_since(agent: &ForumAgent, key: &str, slot: DateTime<Utc>) -> Option<i64> {
    let at = agent.cache.get(key).await?;
    let at = DateTime::parse_from_rfc3339(&at).ok()?;
    Some((slot - at.with_timezone(&Utc)).num_hours())
}

/// Posts under `key` unless it is set: `"pending"` while posting, then the post id.
async fn post_once(
    agent: &ForumAgent,
    key: &str,
    ttl: Option<std::time::Duration>,
    title: &str,
    body: &str,
) -> Result<bool, JobError> {
    // While posting the key says "pending", for a day at most even when the final value is
    // kept forever (as the original's tryPost): a crash mid-post must not block it for good.
    if !agent.claim(key, ttl.or(keys::PERIOD_POST_TTL)).await? {
        return Ok(false);
    }
    let _ = agent
        .cache
        .put(key, keys::PENDING, ttl.or(keys::PERIOD_POST_TTL))
        .await;
    match agent.forum.create_post(title, body, &TAGS).await {
        Ok(post) => {
            let _ = agent.cache.put(key, &post.id.to_string(), ttl).await;
            Ok(true)
        }
        Err(error) => {
            agent.release(key).await;
            Err(error.into())
        }
    }
}

pub async fn post_thread(agent: &ForumAgent, run: &RunContext) -> Result<Value, JobError> {
    let slot = run.slot;
    let today = day_of(slot)?;
    let (date, hour) = (slot.date_naive().to_string(), slot.hour());
    let mut posted = Vec::new();

    let (title, body) = content::intro_post();
    if !agent.is_set(keys::INTRO_POST_ID).await
        && post_once(agent, keys::INTRO_POST_ID, keys::INTRO_POST_TTL, &title, &body).await?
    {
        posted.push(title);
        agent.pace().await;
    }

    let coins = crypto_market::list(&run.db).await?;
    let candidates = [
        (
            keys::LAST_SENTIMENT_REPORT,
            6,
            keys::sentiment(&date, hour),
            content::sentiment_post(&coins, today),
        ),
        (
            keys::LAST_MOVER_ALERT,
            4,
            keys::mover(&date, hour),
            content::mover_post(&coins, today),
        ),
    ];
    for (throttle, min_hours, key, post) in candidates {
        if posted.len() >= MAX_POSTS_PER_RUN {
            break;
        }
        let Some((title, body)) = post else { continue };
        if hours_since(agent, throttle, slot)
            .await
            .is_some_and(|h| h < min_hours)
        {
            continue;
        }
        if post_once(agent, &key, keys::PERIOD_POST_TTL, &title, &body).await? {
            let at = neptu_shared::wire::format_timestamp(&slot);
            let _ = agent.cache.put(throttle, &at, keys::THROTTLE_TTL).await;
            posted.push(title);
            agent.pace().await;
        }
    }

    if !posted.is_empty() {
        let at = slot.timestamp_millis().to_string();
        let _ = agent
            .cache
            .put(keys::LAST_POST_TIME, &at, keys::LAST_POST_TIME_TTL)
            .await;
    }
    agent.count(slot, Action::PostCreated, posted.len() as u64).await;
    Ok(json!({ "posted": posted.len(), "titles": posted }))
}
