use chrono::Utc;
use neptu_shared::db::user_streaks;
use sqlx::PgPool;

use crate::user;

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn lock_creates_then_saves(pool: PgPool) {
    let a = user(&pool, 1).await;
    assert!(user_streaks::find(&pool, a.id).await.unwrap().is_none());
    let mut tx = pool.begin().await.unwrap();
    let fresh = user_streaks::lock_or_create(&mut tx, a.id).await.unwrap();
    assert_eq!(
        (fresh.current_streak, fresh.longest_streak, fresh.total_check_ins),
        (0, 0, 0)
    );
    let now = Utc::now();
    let saved = user_streaks::save(&mut *tx, a.id, 1, 1, 1, now).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(saved.current_streak, 1);
    let found = user_streaks::find(&pool, a.id).await.unwrap().unwrap();
    assert_eq!(
        found.last_check_in.unwrap().timestamp_micros(),
        now.timestamp_micros()
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn the_lock_serializes_concurrent_updates(pool: PgPool) {
    let a = user(&pool, 1).await;
    // Twenty concurrent read-increment-write cycles: without the row lock some would be lost.
    let tasks = (0..20).map(|_| {
        let pool = pool.clone();
        tokio::spawn(async move {
            let mut tx = pool.begin().await.unwrap();
            let s = user_streaks::lock_or_create(&mut tx, a.id).await.unwrap();
            let total = s.total_check_ins + 1;
            user_streaks::save(&mut *tx, a.id, 1, s.longest_streak.max(1), total, Utc::now())
                .await
                .unwrap();
            tx.commit().await.unwrap();
        })
    });
    for t in futures::future::join_all(tasks).await {
        t.unwrap();
    }
    assert_eq!(
        user_streaks::find(&pool, a.id)
            .await
            .unwrap()
            .unwrap()
            .total_check_ins,
        20
    );
}
