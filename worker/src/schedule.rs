//! The schedule table: which job fires on which cron expression (UTC), from the settings.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use neptu_shared::config::{JobSettings, ScheduledJob};

use crate::jobs::{Queue, Registry};

/// One schedule: a job and its cron expression (seconds first).
#[derive(Debug, Clone)]
pub struct ScheduleEntry {
    pub job: &'static str,
    pub queue: Queue,
    pub expression: String,
    pub schedule: cron::Schedule,
}

impl ScheduleEntry {
    pub fn new(job: &'static str, queue: Queue, expression: &str) -> anyhow::Result<Self> {
        let schedule = cron::Schedule::from_str(expression)
            .map_err(|e| anyhow::anyhow!("schedule of {job} ({expression:?}): {e}"))?;
        Ok(Self {
            job,
            queue,
            expression: expression.to_owned(),
            schedule,
        })
    }

    /// The next `n` slots after `after`.
    pub fn next_fires(&self, after: DateTime<Utc>, n: usize) -> Vec<DateTime<Utc>> {
        self.schedule.after(&after).take(n).collect()
    }
}

/// A schedule the settings name but this process will not run, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disabled {
    pub job: &'static str,
    pub reason: String,
}

/// The schedules to run: every configured job the registry knows. Jobs switched off, or
/// left out of the registry (the forum without `COLOSSEUM_API_KEY`), are listed as disabled.
pub fn from_settings(
    settings: &JobSettings,
    registry: &Registry,
    missing_reason: impl Fn(ScheduledJob) -> String,
) -> anyhow::Result<(Vec<ScheduleEntry>, Vec<Disabled>)> {
    let mut entries = Vec::new();
    let mut disabled = Vec::new();
    for job in ScheduledJob::ALL {
        let name = job.name();
        match (settings.schedule(job), registry.get(name)) {
            (None, _) => disabled.push(Disabled {
                job: name,
                reason: format!("switched off ({}=off)", job.var()),
            }),
            (Some(_), None) => disabled.push(Disabled {
                job: name,
                reason: missing_reason(job),
            }),
            (Some(expression), Some(registered)) => {
                entries.push(ScheduleEntry::new(name, registered.queue(), expression)?)
            }
        }
    }
    Ok((entries, disabled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn next_fires_are_the_coming_slots() {
        let entry = ScheduleEntry::new("forum_comments", Queue::Forum, "0 */5 * * * *").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 3, 20).unwrap();
        let fires = entry.next_fires(now, 3);
        let minutes: Vec<u32> = fires.iter().map(chrono::Timelike::minute).collect();
        assert_eq!(minutes, vec![5, 10, 15]);
        assert!(ScheduleEntry::new("x", Queue::General, "nonsense").is_err());
    }
}
