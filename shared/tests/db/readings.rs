use neptu_shared::db::PageRequest;
use neptu_shared::db::readings::{self, NewReading};
use neptu_shared::domain::enums::ReadingKind;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::user;

fn reading(user_id: Uuid, kind: ReadingKind, day: u32) -> NewReading {
    NewReading {
        user_id,
        kind,
        target_date: format!("2026-03-{day:02}").parse().unwrap(),
        birth_date: Some("1990-01-01".parse().unwrap()),
        birth_date2: None,
        reading_data: json!({"day": day}),
        tx_signature: None,
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn history_is_newest_first_and_limited(pool: PgPool) {
    let u = user(&pool, 1).await;
    let other = user(&pool, 2).await;
    for day in 1..=4 {
        let r = readings::insert(&pool, &reading(u.id, ReadingKind::Potensi, day))
            .await
            .unwrap();
        crate::set_created_at(&pool, "readings", r.id, i64::from(day)).await;
    }
    readings::insert(&pool, &reading(other.id, ReadingKind::Peluang, 9))
        .await
        .unwrap();

    let latest = readings::list_for_user(&pool, u.id, 3).await.unwrap();
    let days: Vec<_> = latest
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(r.reading_data.get()).unwrap()["day"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(days, [4, 3, 2]);
    assert!(latest.iter().all(|r| r.user_id == u.id));

    let page = readings::list(&pool, Some(other.id), PageRequest::new(1, 10).unwrap())
        .await
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.data[0].kind, ReadingKind::Peluang);
    let all = readings::list(&pool, None, PageRequest::new(2, 2).unwrap())
        .await
        .unwrap();
    assert_eq!((all.total, all.data.len()), (5, 2));

    let stats = readings::stats(&pool).await.unwrap();
    assert_eq!(
        (
            stats.total,
            stats.potensi,
            stats.peluang,
            stats.compatibility,
            stats.today_new
        ),
        (5, 4, 1, 0, 1)
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn history_by_wallet_in_one_query(pool: PgPool) {
    let u = user(&pool, 1).await;
    let empty = user(&pool, 2).await;
    for day in 1..=3 {
        let r = readings::insert(&pool, &reading(u.id, ReadingKind::Potensi, day))
            .await
            .unwrap();
        crate::set_created_at(&pool, "readings", r.id, i64::from(day)).await;
    }
    let list = readings::list_for_wallet(&pool, &u.wallet_address, 2)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].reading_data.get(), r#"{"day": 3}"#);
    assert_eq!(
        readings::list_for_wallet(&pool, &empty.wallet_address, 10)
            .await
            .unwrap()
            .unwrap()
            .len(),
        0
    );
    assert!(
        readings::list_for_wallet(&pool, &crate::wallet(9), 10)
            .await
            .unwrap()
            .is_none()
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn reading_data_must_be_an_object(pool: PgPool) {
    let u = user(&pool, 1).await;
    let mut bad = reading(u.id, ReadingKind::Potensi, 1);
    bad.reading_data = json!("{\"double\": \"encoded\"}");
    assert!(readings::insert(&pool, &bad).await.is_err());
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn readings_go_with_their_user(pool: PgPool) {
    let u = user(&pool, 1).await;
    readings::insert(&pool, &reading(u.id, ReadingKind::Compatibility, 1))
        .await
        .unwrap();
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(u.id)
        .execute(&pool)
        .await
        .unwrap();
    assert!(readings::list_for_user(&pool, u.id, 10).await.unwrap().is_empty());
}
