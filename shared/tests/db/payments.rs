use neptu_shared::db::payments::{self, NewPayment};
use neptu_shared::domain::enums::{PaymentStatus, PaymentType};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::user;

fn payment(user_id: Uuid, signature: &str) -> NewPayment {
    NewPayment {
        user_id,
        reading_id: None,
        payment_type: PaymentType::Sol,
        amount: Decimal::new(1, 2),
        neptu_reward: Some(Decimal::from(10)),
        neptu_burned: None,
        tx_signature: signature.to_owned(),
        status: PaymentStatus::Pending,
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn a_signature_is_recorded_once(pool: PgPool) {
    let a = user(&pool, 1).await;
    let b = user(&pool, 2).await;
    let first = payments::insert_once(&pool, &payment(a.id, "sig-1"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(first.amount, Decimal::new(1, 2));
    assert!(first.confirmed_at.is_none());
    // Replaying the signature for another user records nothing.
    assert!(
        payments::insert_once(&pool, &payment(b.id, "sig-1"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        payments::find_by_signature(&pool, "sig-1")
            .await
            .unwrap()
            .unwrap()
            .user_id,
        a.id
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn concurrent_inserts_of_one_signature_store_one_row(pool: PgPool) {
    let a = user(&pool, 1).await;
    let tasks = (0..10).map(|_| {
        let (pool, new) = (pool.clone(), payment(a.id, "sig-race"));
        tokio::spawn(async move { payments::insert_once(&pool, &new).await.unwrap() })
    });
    let stored = futures::future::join_all(tasks)
        .await
        .into_iter()
        .filter(|r| r.as_ref().unwrap().is_some())
        .count();
    assert_eq!(stored, 1);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn settling_happens_once(pool: PgPool) {
    let a = user(&pool, 1).await;
    let p = payments::insert_once(&pool, &payment(a.id, "sig-2"))
        .await
        .unwrap()
        .unwrap();
    let confirmed = payments::settle(&pool, p.id, PaymentStatus::Confirmed)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(confirmed.status, PaymentStatus::Confirmed);
    assert!(confirmed.confirmed_at.is_some());
    assert!(
        payments::settle(&pool, p.id, PaymentStatus::Failed)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(payments::list_for_user(&pool, a.id, 10).await.unwrap().len(), 1);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn amounts_must_be_positive(pool: PgPool) {
    let a = user(&pool, 1).await;
    let mut bad = payment(a.id, "sig-3");
    bad.amount = Decimal::ZERO;
    assert!(payments::insert_once(&pool, &bad).await.is_err());
}
