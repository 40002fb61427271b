use neptu_shared::db::daily_readings;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn upsert_replaces_data_and_keeps_creation_time(pool: PgPool) {
    let date = "2026-03-01".parse().unwrap();
    assert!(daily_readings::find(&pool, date).await.unwrap().is_none());
    let first = daily_readings::upsert(&pool, date, &json!({"v": 1}))
        .await
        .unwrap();
    let second = daily_readings::upsert(&pool, date, &json!({"v": 2}))
        .await
        .unwrap();
    assert_eq!(second.created_at, first.created_at);
    assert_eq!(second.kind, "peluang");
    let found = daily_readings::find(&pool, date).await.unwrap().unwrap();
    assert_eq!(found.reading_data, json!({"v": 2}));
    let dto = serde_json::to_value(&found).unwrap();
    assert_eq!(dto["date"], "2026-03-01");
    assert_eq!(dto["type"], "peluang");
    assert!(dto["createdAt"].as_str().unwrap().ends_with('Z'));
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn concurrent_upserts_of_one_day_do_not_collide(pool: PgPool) {
    let date = "2026-03-02".parse().unwrap();
    let tasks = (0..8).map(|i| {
        let pool = pool.clone();
        tokio::spawn(async move { daily_readings::upsert(&pool, date, &json!({"v": i})).await })
    });
    for result in futures::future::join_all(tasks).await {
        result.unwrap().unwrap();
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM daily_readings")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}
