//! vote (comments slots at :00/:15/:30/:45): upvote good new posts and promising projects,
//! once each.

use chrono::{DateTime, Utc};
use neptu_shared::clients::colosseum::Sort;
use neptu_shared::domain::forum::{keys, scoring};
use serde_json::{Value, json};

use super::agent::{Action, ForumAgent};
use crate::jobs::JobError;

const NEW_POSTS: u32 = 60;

pub async fn vote(agent: &ForumAgent, slot: DateTime<Utc>) -> Result<Value, JobError> {
    let mut voted = 0;
    for post in agent.forum.posts(Sort::New, NEW_POSTS).await? {
        if agent.me.is_me(post.agent_id, &post.agent_name)
            || scoring::post_score(&post, slot) <= scoring::VOTE_THRESHOLD
        {
            continue;
        }
        let key = keys::voted(post.id);
        if !agent.claim(&key, keys::VOTED_TTL).await? {
            continue;
        }
        if let Err(error) = agent.forum.vote_post(post.id).await {
            agent.release(&key).await;
            agent.count(slot, Action::VoteCast, voted).await;
            return Err(error.into());
        }
        voted += 1;
        agent.pace().await;
    }
    let projects = vote_projects(agent).await;
    agent
        .count(
            slot,
            Action::VoteCast,
            voted + projects.as_ref().map_or(0, |n| *n as u64),
        )
        .await;
    Ok(json!({
        "voted": voted,
        "projectsVoted": projects.as_ref().ok(),
        "projectError": projects.err().map(|e| e.to_string()),
    }))
}

/// Our own project's id, cached a day.
async fn my_project_id(agent: &ForumAgent) -> Result<i64, JobError> {
    if let Some(id) = agent
        .cache
        .get(keys::MY_PROJECT_ID)
        .await
        .and_then(|v| v.parse().ok())
    {
        return Ok(id);
    }
    let id = agent.forum.my_project().await?.id;
    let _ = agent
        .cache
        .put(keys::MY_PROJECT_ID, &id.to_string(), keys::MY_PROJECT_ID_TTL)
        .await;
    Ok(id)
}

async fn vote_projects(agent: &ForumAgent) -> Result<usize, JobError> {
    let mine = my_project_id(agent).await.ok();
    let mut voted = 0;
    for project in agent.forum.projects().await? {
        if voted >= scoring::MAX_PROJECT_VOTES {
            break;
        }
        let submitted = project.status.as_deref().is_none_or(|s| s == "submitted");
        if Some(project.id) == mine
            || !submitted
            || scoring::project_score(&project) < scoring::PROJECT_THRESHOLD
        {
            continue;
        }
        let key = keys::voted_project(project.id);
        if !agent.claim(&key, keys::VOTED_PROJECT_TTL).await? {
            continue;
        }
        if let Err(error) = agent.forum.vote_project(project.id).await {
            agent.release(&key).await;
            return Err(error.into());
        }
        voted += 1;
        agent.pace().await;
    }
    Ok(voted)
}
