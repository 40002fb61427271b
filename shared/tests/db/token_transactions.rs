use neptu_shared::db::token_transactions::{self, NewTokenTransaction};
use neptu_shared::domain::enums::{ReadingType, TransactionType};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::user;

fn tx(user_id: Uuid, signature: &str, kind: TransactionType) -> NewTokenTransaction {
    NewTokenTransaction {
        user_id,
        tx_signature: signature.to_owned(),
        transaction_type: kind,
        reading_type: Some(ReadingType::Potensi),
        sol_amount: (kind == TransactionType::SolPayment).then(|| Decimal::new(1, 2)),
        neptu_amount: (kind == TransactionType::NeptuPayment).then(|| Decimal::from(10)),
        sudigital_amount: None,
        neptu_burned: (kind == TransactionType::NeptuPayment).then(|| Decimal::from(5)),
        neptu_rewarded: (kind != TransactionType::NeptuPayment).then(|| Decimal::from(10)),
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn recorded_once_and_confirmed(pool: PgPool) {
    let a = user(&pool, 1).await;
    let t = token_transactions::insert_confirmed_once(&pool, &tx(a.id, "s1", TransactionType::SolPayment))
        .await
        .unwrap()
        .unwrap();
    assert!(t.confirmed_at.is_some());
    let again =
        token_transactions::insert_confirmed_once(&pool, &tx(a.id, "s1", TransactionType::NeptuReward))
            .await
            .unwrap();
    assert!(again.is_none());
    let found = token_transactions::find_by_signature(&pool, "s1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.transaction_type, TransactionType::SolPayment);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn history_filters_and_pages(pool: PgPool) {
    let a = user(&pool, 1).await;
    let kinds = [
        TransactionType::SolPayment,
        TransactionType::NeptuPayment,
        TransactionType::NeptuReward,
        TransactionType::SolPayment,
    ];
    for (i, kind) in kinds.iter().enumerate() {
        let t = token_transactions::insert_confirmed_once(&pool, &tx(a.id, &format!("s{i}"), *kind))
            .await
            .unwrap()
            .unwrap();
        crate::set_created_at(&pool, "token_transactions", t.id, i as i64).await;
    }
    let all = token_transactions::list_for_user(&pool, a.id, None, 10, 0)
        .await
        .unwrap();
    let sigs: Vec<_> = all.iter().map(|t| t.tx_signature.as_str()).collect();
    assert_eq!(sigs, ["s3", "s2", "s1", "s0"]);
    let sol = token_transactions::list_for_user(&pool, a.id, Some(TransactionType::SolPayment), 10, 0)
        .await
        .unwrap();
    assert_eq!(sol.len(), 2);
    let paged = token_transactions::list_for_user(&pool, a.id, None, 2, 1)
        .await
        .unwrap();
    let sigs: Vec<_> = paged.iter().map(|t| t.tx_signature.as_str()).collect();
    assert_eq!(sigs, ["s2", "s1"]);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn totals_count_each_confirmed_row_once(pool: PgPool) {
    let a = user(&pool, 1).await;
    let b = user(&pool, 2).await;
    for (i, kind) in [
        TransactionType::SolPayment,
        TransactionType::NeptuPayment,
        TransactionType::NeptuReward,
    ]
    .iter()
    .enumerate()
    {
        token_transactions::insert_confirmed_once(&pool, &tx(a.id, &format!("a{i}"), *kind))
            .await
            .unwrap();
    }
    token_transactions::insert_confirmed_once(&pool, &tx(b.id, "b0", TransactionType::SolPayment))
        .await
        .unwrap();
    sqlx::query("UPDATE token_transactions SET status = 'failed' WHERE tx_signature = 'a2'")
        .execute(&pool)
        .await
        .unwrap();
    let totals = token_transactions::totals_for_user(&pool, a.id).await.unwrap();
    assert_eq!(totals.count, 2);
    assert_eq!(totals.sol_spent, Decimal::new(1, 2));
    assert_eq!(totals.neptu_burned, Decimal::from(5));
    assert_eq!(totals.neptu_rewarded, Decimal::from(10));
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn stats_by_wallet(pool: PgPool) {
    let a = user(&pool, 1).await;
    token_transactions::insert_confirmed_once(&pool, &tx(a.id, "w1", TransactionType::SolPayment))
        .await
        .unwrap();
    token_transactions::insert_confirmed_once(&pool, &tx(a.id, "w2", TransactionType::NeptuReward))
        .await
        .unwrap();
    let stats = token_transactions::stats_for_wallet(&pool, &a.wallet_address)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stats.transaction_count, 2);
    assert_eq!(
        stats.payment_rewards,
        Decimal::from(10),
        "reward transactions mirror claims"
    );
    assert!(
        token_transactions::stats_for_wallet(&pool, &crate::wallet(9))
            .await
            .unwrap()
            .is_none()
    );
}
