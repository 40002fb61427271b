//! Three replicas on one database fire the same per-second schedule: every slot is claimed
//! by exactly one of them and run exactly once, and killing a replica loses no slot.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use neptu_shared::db::cron_runs;
use neptu_shared::testing::TestDatabase;
use neptu_worker::jobs::{Queue, Registry};

use crate::runtime::{Attempt, Probe, Replica, config, every_second, pool, start};

const SLOTS: i64 = 20;

#[tokio::test]
async fn three_replicas_run_each_slot_exactly_once_and_survive_losing_one() {
    let db = TestDatabase::migrated().await;
    let log: Arc<std::sync::Mutex<Vec<Attempt>>> = Arc::default();
    let mut replicas: Vec<Replica> = Vec::new();
    let mut pools = Vec::new();
    for name in ["replica-a", "replica-b", "replica-c"] {
        // Each run takes a while, so the replica killed below dies in the middle of one.
        let mut tick = Probe::new("tick", Queue::General, Duration::from_millis(400), 0);
        tick.log = Arc::clone(&log);
        let registry = Registry::default().with(Arc::new(tick));
        let pool = pool(&db.url).await;
        pools.push(pool.clone());
        replicas.push(start(config(name), pool, registry, vec![every_second("tick")]).await);
    }

    // The first slot any replica claimed starts the count.
    let first = loop {
        let runs = cron_runs::recent(&db.pool, 1).await.unwrap();
        if let Some(run) = runs.first() {
            break run.slot;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let last = first + chrono::Duration::seconds(SLOTS - 1);

    // Kill one replica a third of the way in: its tasks are aborted mid-flight, nothing is
    // shut down cleanly (its connections close, its queue heartbeat stops).
    let kill_at = first + chrono::Duration::seconds(SLOTS / 3);
    while chrono::Utc::now() < kill_at {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let killed = replicas.remove(0);
    drop(killed);
    pools.remove(0).close().await;

    // Wait for every slot to have run (a slot the dead replica held is re-run elsewhere
    // once its heartbeat is 3 s stale).
    let deadline = Instant::now() + Duration::from_secs(SLOTS as u64 + 30);
    let runs = loop {
        let runs = cron_runs::between(&db.pool, "tick", first, last).await.unwrap();
        if runs.len() == SLOTS as usize && runs.iter().all(|r| r.status == "succeeded") {
            break runs;
        }
        assert!(
            Instant::now() < deadline,
            "not every slot ran: {:?}",
            runs.iter()
                .map(|r| (r.slot.timestamp(), r.status.clone()))
                .collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };

    // Every second from the first to the last, once each: no gap, no duplicate row.
    let slots: Vec<i64> = runs.iter().map(|r| r.slot.timestamp()).collect();
    let expected: Vec<i64> = (0..SLOTS).map(|i| first.timestamp() + i).collect();
    assert_eq!(slots, expected);
    // Each slot's job completed exactly once, whoever ran it.
    let mut completions: BTreeMap<i64, usize> = BTreeMap::new();
    for attempt in log.lock().unwrap().iter().filter(|a| a.finished.is_some()) {
        *completions.entry(attempt.slot).or_default() += 1;
    }
    for slot in &expected {
        assert_eq!(
            completions.get(slot),
            Some(&1),
            "slot {slot} completed {:?} times",
            completions.get(slot)
        );
    }
    let claimers: HashSet<&str> = runs.iter().map(|r| r.claimed_by.as_str()).collect();
    assert!(
        claimers.len() >= 2,
        "the replicas raced for the claims: {claimers:?}"
    );
    let retried: Vec<i64> = runs
        .iter()
        .filter(|r| r.attempts > 1)
        .map(|r| r.slot.timestamp())
        .collect();
    println!("slots re-run after the kill: {retried:?}; claimed by {claimers:?}");

    for replica in replicas {
        assert!(replica.stop().await);
    }
    for pool in pools {
        pool.close().await;
    }
    db.drop_database().await;
}
