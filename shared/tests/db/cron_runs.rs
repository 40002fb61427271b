use chrono::{DateTime, TimeZone, Utc};
use neptu_shared::db::cron_runs::{self, AttemptStart};
use serde_json::json;
use sqlx::PgPool;

fn slot(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, minute, 0).unwrap()
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn only_one_claim_per_slot_lands_even_under_concurrency(pool: PgPool) {
    let claims = (0..12).map(|replica| {
        let pool = pool.clone();
        tokio::spawn(async move {
            cron_runs::claim(&pool, "market_refresh", slot(10), &format!("r{replica}")).await
        })
    });
    let won: Vec<bool> = futures::future::join_all(claims)
        .await
        .into_iter()
        .map(|r| r.unwrap().unwrap())
        .collect();
    assert_eq!(won.iter().filter(|w| **w).count(), 1);
    // Another job or another slot is a different claim.
    assert!(
        cron_runs::claim(&pool, "daily_tasks", slot(10), "r0")
            .await
            .unwrap()
    );
    assert!(
        cron_runs::claim(&pool, "market_refresh", slot(20), "r0")
            .await
            .unwrap()
    );
    let run = cron_runs::find(&pool, "market_refresh", slot(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((run.status.as_str(), run.attempts), ("queued", 0));
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn attempts_are_counted_and_a_finished_run_is_not_restarted(pool: PgPool) {
    let (job, at) = ("market_refresh", slot(0));
    assert_eq!(
        cron_runs::start_attempt(&pool, job, at, "a").await.unwrap(),
        AttemptStart::Unknown
    );
    cron_runs::claim(&pool, job, at, "a").await.unwrap();

    assert_eq!(
        cron_runs::start_attempt(&pool, job, at, "a").await.unwrap(),
        AttemptStart::Run(1)
    );
    cron_runs::fail(&pool, job, at, 12, "CoinGecko returned 503", false)
        .await
        .unwrap();
    let run = cron_runs::find(&pool, job, at).await.unwrap().unwrap();
    assert_eq!((run.status.as_str(), run.attempts), ("retrying", 1));
    assert_eq!(run.error.as_deref(), Some("CoinGecko returned 503"));
    let first_start = run.started_at.unwrap();

    assert_eq!(
        cron_runs::start_attempt(&pool, job, at, "b").await.unwrap(),
        AttemptStart::Run(2)
    );
    assert!(
        cron_runs::succeed(&pool, job, at, 40, &json!({"coinsUpdated": 13}))
            .await
            .unwrap()
    );
    let run = cron_runs::find(&pool, job, at).await.unwrap().unwrap();
    assert_eq!((run.status.as_str(), run.attempts), ("succeeded", 2));
    assert_eq!(run.ran_by.as_deref(), Some("b"));
    assert_eq!(
        run.started_at.unwrap(),
        first_start,
        "started_at is the first attempt's"
    );
    assert_eq!(run.duration_ms, Some(40));
    assert_eq!(run.outcome, Some(json!({"coinsUpdated": 13})));
    assert_eq!(
        run.error.as_deref(),
        Some("CoinGecko returned 503"),
        "the last failure stays visible"
    );

    // A repeated delivery of a finished run does nothing.
    assert_eq!(
        cron_runs::start_attempt(&pool, job, at, "c").await.unwrap(),
        AttemptStart::AlreadyFinished
    );
    assert!(!cron_runs::succeed(&pool, job, at, 1, &json!({})).await.unwrap());
    cron_runs::fail(&pool, job, at, 1, "late", true).await.unwrap();
    let run = cron_runs::find(&pool, job, at).await.unwrap().unwrap();
    assert_eq!((run.status.as_str(), run.attempts), ("succeeded", 2));
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn final_failures_and_skips_are_terminal(pool: PgPool) {
    cron_runs::claim(&pool, "forum_posts", slot(0), "a")
        .await
        .unwrap();
    cron_runs::start_attempt(&pool, "forum_posts", slot(0), "a")
        .await
        .unwrap();
    cron_runs::fail(&pool, "forum_posts", slot(0), 5, "boom", true)
        .await
        .unwrap();
    assert_eq!(
        cron_runs::start_attempt(&pool, "forum_posts", slot(0), "a")
            .await
            .unwrap(),
        AttemptStart::AlreadyFinished
    );
    cron_runs::claim(&pool, "forum_posts", slot(10), "a")
        .await
        .unwrap();
    cron_runs::skip(&pool, "forum_posts", slot(10), "COLOSSEUM_API_KEY is not set")
        .await
        .unwrap();
    let run = cron_runs::find(&pool, "forum_posts", slot(10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(run.status, "skipped");
    assert_eq!(
        run.outcome,
        Some(json!({"skipped": "COLOSSEUM_API_KEY is not set"}))
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn recent_keeps_the_newest_runs_of_each_job(pool: PgPool) {
    for minute in 0..5 {
        cron_runs::claim(&pool, "a", slot(minute), "r").await.unwrap();
        cron_runs::claim(&pool, "b", slot(minute), "r").await.unwrap();
    }
    let recent = cron_runs::recent(&pool, 2).await.unwrap();
    let seen: Vec<(String, u32)> = recent
        .iter()
        .map(|r| (r.job.clone(), chrono::Timelike::minute(&r.slot)))
        .collect();
    assert_eq!(
        seen,
        vec![("a".into(), 4), ("a".into(), 3), ("b".into(), 4), ("b".into(), 3)]
    );
    let between = cron_runs::between(&pool, "a", slot(1), slot(3)).await.unwrap();
    assert_eq!(between.len(), 3);
    let json = serde_json::to_value(&recent[0]).unwrap();
    assert_eq!(json["slot"], "2026-03-01T12:04:00.000Z");
    assert_eq!(json["claimedBy"], "r");

    sqlx::query(
        "UPDATE cron_runs SET slot = CASE job WHEN 'b' THEN now() - interval '40 days' ELSE now() END
             - make_interval(mins => extract(minute FROM slot)::int)",
    )
    .execute(&pool)
    .await
    .unwrap();
    assert_eq!(cron_runs::prune(&pool, 30).await.unwrap(), 5);
}
