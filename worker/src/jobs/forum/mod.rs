//! The forum heartbeat (Colosseum agents API): three scheduled jobs whose slot decides the
//! phases (`neptu_shared::domain::forum::phases`). What was already done lives in the cache
//! under the original's key names; a phase claims each key atomically *before* it writes to
//! the forum, so a repeated run never comments or votes twice. Without a cache that answers
//! the phase does nothing (and the run is retried): acting blind could duplicate posts.
//!
//! Scope: the phases' core behaviour. The original's marketing campaigns (cosmic profiles,
//! final-day forecasts, URL rewrites) are not carried over.

mod agent;
mod engage;
mod posts;
mod replies;
mod votes;

use std::sync::Arc;

use async_trait::async_trait;
use neptu_shared::config::ScheduledJob;
use neptu_shared::domain::forum::{Phase, phases};
use serde_json::{Value, json};

pub use self::agent::ForumAgent;
use super::{Job, JobError, Outcome, Queue, RunContext};

/// One scheduled forum job (replies, comments, or posts).
pub struct ForumJob {
    job: ScheduledJob,
    agent: Arc<ForumAgent>,
}

impl ForumJob {
    pub fn new(job: ScheduledJob, agent: Arc<ForumAgent>) -> Self {
        Self { job, agent }
    }
}

/// One step of a heartbeat, as the original reported it in `neptu:last_heartbeat`.
fn task(name: &str, result: Result<Value, JobError>) -> (Value, Option<JobError>) {
    match result {
        Ok(result) => (json!({ "name": name, "success": true, "result": result }), None),
        Err(error) => (
            json!({ "name": name, "success": false, "error": error.to_string() }),
            Some(error),
        ),
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::ReplyComments => "reply_comments",
        Phase::CommentOthers => "comment_others",
        Phase::Vote => "vote",
        Phase::PostThread => "post_thread",
        Phase::OtherActivity => "other_activity",
    }
}

#[async_trait]
impl Job for ForumJob {
    fn name(&self) -> &'static str {
        self.job.name()
    }

    fn queue(&self) -> Queue {
        Queue::Forum
    }

    async fn run(&self, run: &RunContext) -> Result<Outcome, JobError> {
        let agent = &self.agent;
        if !agent.forum.configured() {
            return Ok(Outcome::Skipped("COLOSSEUM_API_KEY is not set".into()));
        }
        agent.cache.ping().await.map_err(|e| {
            anyhow::anyhow!("the cache is unavailable, so done work cannot be told apart: {e}")
        })?;

        let mut tasks = Vec::new();
        // Status first, as every heartbeat of the original did; its failure is reported but
        // does not stop the phases.
        let (status, _) = task("check_status", agent.check_status().await);
        tasks.push(status);
        let mut failures = Vec::new();
        let phases = phases(self.job, run.slot);
        for phase in &phases {
            let result = match phase {
                Phase::ReplyComments => replies::reply_comments(agent, run.slot).await,
                Phase::CommentOthers => engage::comment_others(agent, run.slot).await,
                Phase::Vote => votes::vote(agent, run.slot).await,
                Phase::PostThread => posts::post_thread(agent, run).await,
                Phase::OtherActivity => engage::other_activity(agent, run.slot).await,
            };
            let (entry, error) = task(phase_name(*phase), result);
            tasks.push(entry);
            failures.extend(error);
        }
        let report = json!({
            "timestamp": neptu_shared::wire::format_timestamp(&run.slot),
            "phases": phases.iter().map(|p| phase_name(*p)).collect::<Vec<_>>(),
            "tasks": tasks,
        });
        agent
            .record_heartbeat(run.slot, &report, failures.is_empty())
            .await;
        // All phases failed: the forum or the cache is down; try again later. Partial
        // success is success (what was done is remembered, the rest waits for the next slot).
        if !phases.is_empty() && failures.len() == phases.len() {
            return Err(failures.remove(0));
        }
        Ok(Outcome::Done(report))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_report_like_the_original() {
        let (ok, none) = task("vote", Ok(json!({ "voted": 2 })));
        assert_eq!(
            ok,
            json!({ "name": "vote", "success": true, "result": { "voted": 2 } })
        );
        assert!(none.is_none());
        let (failed, error) = task("vote", Err(anyhow::anyhow!("Colosseum returned 503").into()));
        assert_eq!(failed["error"], "Colosseum returned 503");
        assert!(error.is_some());
    }
}
