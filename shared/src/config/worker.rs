//! Worker-only settings: job schedules and runtime, outbound HTTP, oracle rate limit.

use std::str::FromStr;
use std::time::Duration;

use super::ConfigError;
use super::raw::Raw;

/// The scheduled jobs, by the variable that holds each one's cron expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduledJob {
    ForumReplies,
    ForumComments,
    ForumPosts,
    MarketRefresh,
    DailyTasks,
    DeveloperMaintenance,
    Backup,
}

impl ScheduledJob {
    pub const ALL: [ScheduledJob; 7] = [
        ScheduledJob::ForumReplies,
        ScheduledJob::ForumComments,
        ScheduledJob::ForumPosts,
        ScheduledJob::MarketRefresh,
        ScheduledJob::DailyTasks,
        ScheduledJob::DeveloperMaintenance,
        ScheduledJob::Backup,
    ];

    /// The job's name in `cron_runs` and `/api/jobs`.
    pub fn name(self) -> &'static str {
        match self {
            ScheduledJob::ForumReplies => "forum_replies",
            ScheduledJob::ForumComments => "forum_comments",
            ScheduledJob::ForumPosts => "forum_posts",
            ScheduledJob::MarketRefresh => "market_refresh",
            ScheduledJob::DailyTasks => "daily_tasks",
            ScheduledJob::DeveloperMaintenance => "developer_maintenance",
            ScheduledJob::Backup => "backup",
        }
    }

    pub fn var(self) -> &'static str {
        match self {
            ScheduledJob::ForumReplies => "SCHEDULE_FORUM_REPLIES",
            ScheduledJob::ForumComments => "SCHEDULE_FORUM_COMMENTS",
            ScheduledJob::ForumPosts => "SCHEDULE_FORUM_POSTS",
            ScheduledJob::MarketRefresh => "SCHEDULE_MARKET_REFRESH",
            ScheduledJob::DailyTasks => "SCHEDULE_DAILY_TASKS",
            ScheduledJob::DeveloperMaintenance => "SCHEDULE_DEVELOPER_MAINTENANCE",
            ScheduledJob::Backup => "SCHEDULE_BACKUP",
        }
    }
}

#[derive(Debug, Clone)]
pub struct JobSettings {
    /// Normalised (6- or 7-field, seconds first) cron expression per job; `None` = switched off.
    pub schedules: Vec<(ScheduledJob, Option<String>)>,
    /// Attempts per run, the first included.
    pub max_attempts: u32,
    /// Delay before the first retry; it doubles for each further retry, up to a minute.
    pub retry_backoff: Duration,
    /// Longest one attempt may take.
    pub timeout: Duration,
    /// Jobs run at once by this replica (forum phases: always one at a time, all replicas).
    pub concurrency: usize,
    /// Queue heartbeat; a replica silent for three of them has its running jobs re-queued.
    pub heartbeat: Duration,
    /// Consecutive failed restarts of a job worker before the process gives up.
    pub restart_limit: u32,
    /// Pause between two forum writes (the platform limits posting rates).
    pub forum_pacing: Duration,
}

impl JobSettings {
    pub fn schedule(&self, job: ScheduledJob) -> Option<&str> {
        self.schedules
            .iter()
            .find(|(j, _)| *j == job)
            .and_then(|(_, expr)| expr.as_deref())
    }
}

/// Calls to outside APIs (Azure OpenAI, CoinGecko, Colosseum).
#[derive(Debug, Clone)]
pub struct OutboundSettings {
    pub connect_timeout: Duration,
    /// Whole request, body included.
    pub timeout: Duration,
}

/// Request limits, counted in the cache so every replica shares them; 0 switches one off.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitSettings {
    /// Per client address, on `/api/auth/*` except `/api/auth/refresh`.
    pub auth_per_minute: u32,
    /// Per client address, on `/api/auth/refresh`.
    pub refresh_per_minute: u32,
    /// Per client address, without a valid token.
    pub public_per_minute: u32,
    /// Per signed-in wallet.
    pub signed_in_per_minute: u32,
    /// Oracle requests per caller (the wallet, or the address without one) per hour.
    pub oracle_per_hour: u32,
    /// Chart proxy requests per caller per minute.
    pub chart_per_minute: u32,
    /// Upstream chart lookups per hour for coins outside the tracked list, all callers.
    pub chart_untracked_per_hour: u32,
    /// Oracle requests per client address per hour, whoever is signed in: one address with
    /// many wallets gets this much, not one wallet's quota per wallet.
    pub oracle_per_address_per_hour: u32,
    /// Distinct wallets completing a sign-in from one client address per hour.
    pub sign_ins_per_hour: u32,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind a proxy
    /// that appends it).
    pub trust_proxy: bool,
}

pub(super) fn jobs(raw: &Raw) -> Result<JobSettings, ConfigError> {
    let mut schedules = Vec::new();
    for job in ScheduledJob::ALL {
        let value = raw.required(job.var())?;
        let expr = parse_schedule(value).map_err(|message| ConfigError::invalid(job.var(), message))?;
        schedules.push((job, expr));
    }
    Ok(JobSettings {
        schedules,
        max_attempts: raw.bounded("JOB_MAX_ATTEMPTS", 1..=20)? as u32,
        retry_backoff: Duration::from_millis(raw.bounded("JOB_RETRY_BACKOFF_MS", 0..=600_000)?),
        timeout: Duration::from_secs(raw.bounded("JOB_TIMEOUT_SECS", 1..=3600)?),
        concurrency: raw.bounded("JOB_CONCURRENCY", 1..=64)? as usize,
        heartbeat: Duration::from_secs(raw.bounded("JOB_HEARTBEAT_SECS", 1..=300)?),
        restart_limit: raw.bounded("JOB_RESTART_LIMIT", 1..=100)? as u32,
        forum_pacing: Duration::from_millis(raw.bounded("FORUM_PACING_MS", 0..=60_000)?),
    })
}

pub(super) fn outbound(raw: &Raw) -> Result<OutboundSettings, ConfigError> {
    Ok(OutboundSettings {
        connect_timeout: Duration::from_millis(raw.bounded("OUTBOUND_CONNECT_TIMEOUT_MS", 100..=60_000)?),
        timeout: Duration::from_secs(raw.bounded("OUTBOUND_TIMEOUT_SECS", 1..=300)?),
    })
}

pub(super) fn rate_limit(raw: &Raw) -> Result<RateLimitSettings, ConfigError> {
    let per_minute = |name| raw.bounded(name, 0..=1_000_000).map(|n| n as u32);
    Ok(RateLimitSettings {
        auth_per_minute: per_minute("RATE_LIMIT_AUTH_PER_MINUTE")?,
        refresh_per_minute: per_minute("RATE_LIMIT_REFRESH_PER_MINUTE")?,
        public_per_minute: per_minute("RATE_LIMIT_PUBLIC_PER_MINUTE")?,
        signed_in_per_minute: per_minute("RATE_LIMIT_SIGNED_IN_PER_MINUTE")?,
        oracle_per_hour: raw.bounded("ORACLE_RATE_LIMIT_PER_HOUR", 0..=1_000_000)? as u32,
        chart_per_minute: per_minute("CHART_RATE_LIMIT_PER_MINUTE")?,
        chart_untracked_per_hour: raw.bounded("CHART_UNTRACKED_PER_HOUR", 0..=100_000)? as u32,
        oracle_per_address_per_hour: raw.bounded("ORACLE_RATE_LIMIT_PER_ADDRESS_PER_HOUR", 0..=1_000_000)?
            as u32,
        sign_ins_per_hour: raw.bounded("RATE_LIMIT_SIGN_INS_PER_HOUR", 0..=1_000_000)? as u32,
        trust_proxy: raw.bool("TRUST_PROXY")?.unwrap_or(false),
    })
}

/// `off` (or `false`, `none`, `disabled`) switches a schedule off. A 5-field crontab
/// expression gets `0` seconds in front: the cron crate wants seconds first.
pub fn parse_schedule(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if ["off", "false", "none", "disabled"].contains(&value.to_ascii_lowercase().as_str()) {
        return Ok(None);
    }
    let fields = value.split_whitespace().count();
    let normalised = match fields {
        5 => format!("0 {value}"),
        6 | 7 => value.split_whitespace().collect::<Vec<_>>().join(" "),
        _ if value.starts_with('@') => value.to_owned(),
        _ => {
            return Err(format!(
                "must be a cron expression (5, 6 or 7 fields) or off, got {value:?}"
            ));
        }
    };
    cron::Schedule::from_str(&normalised)
        .map_err(|e| format!("is not a valid cron expression ({e}), got {value:?}"))?;
    Ok(Some(normalised))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_normalised_or_switched_off() {
        assert_eq!(
            parse_schedule("*/5 * * * *").unwrap().as_deref(),
            Some("0 */5 * * * *")
        );
        assert_eq!(
            parse_schedule(" 0  */3 * * * * ").unwrap().as_deref(),
            Some("0 */3 * * * *")
        );
        assert_eq!(parse_schedule("@hourly").unwrap().as_deref(), Some("@hourly"));
        assert_eq!(parse_schedule("off").unwrap(), None);
        assert_eq!(parse_schedule("Disabled").unwrap(), None);
        assert!(parse_schedule("every minute").is_err());
        assert!(parse_schedule("0 61 * * * *").is_err());
        assert!(parse_schedule("* *").is_err());
    }
}
