use neptu_shared::db::user_rewards::{self, NewReward};
use neptu_shared::domain::enums::{RewardStatus, RewardType};
use rust_decimal::Decimal;
use sqlx::PgPool;
use uuid::Uuid;

use crate::user;

async fn grant(pool: &PgPool, user_id: Uuid, tenths: i64) -> Uuid {
    let new = NewReward {
        user_id,
        reward_type: RewardType::DailyCheckIn,
        neptu_amount: Decimal::new(tenths, 1),
        description: Some("Daily check-in reward".into()),
        expires_at: None,
    };
    user_rewards::grant(pool, &new).await.unwrap().id
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn claims_only_own_pending_rewards_once(pool: PgPool) {
    let a = user(&pool, 1).await;
    let b = user(&pool, 2).await;
    let a1 = grant(&pool, a.id, 1).await;
    let a2 = grant(&pool, a.id, 10).await;
    let b1 = grant(&pool, b.id, 5).await;

    let claimed = user_rewards::claim(&pool, a.id, &[a1, b1], "claim-sig")
        .await
        .unwrap();
    assert_eq!(claimed.iter().map(|r| r.id).collect::<Vec<_>>(), [a1]);
    assert_eq!(claimed[0].status, RewardStatus::Claimed);
    assert!(claimed[0].claimed_at.is_some());
    assert!(
        user_rewards::claim(&pool, a.id, &[a1], "again")
            .await
            .unwrap()
            .is_empty()
    );

    let totals = user_rewards::totals_for_user(&pool, a.id).await.unwrap();
    assert_eq!(
        (totals.pending, totals.claimed),
        (Decimal::new(10, 1), Decimal::new(1, 1))
    );
    let pending = user_rewards::list_for_user(&pool, a.id, Some(RewardStatus::Pending), 50)
        .await
        .unwrap();
    assert_eq!(pending.iter().map(|r| r.id).collect::<Vec<_>>(), [a2]);
    let b_pending = user_rewards::list_for_user(&pool, b.id, Some(RewardStatus::Pending), 50)
        .await
        .unwrap();
    assert_eq!(b_pending.len(), 1, "another user's reward stays pending");
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn reverting_puts_claims_back_to_pending(pool: PgPool) {
    let a = user(&pool, 1).await;
    let r = grant(&pool, a.id, 3).await;
    let untouched = grant(&pool, a.id, 4).await;
    user_rewards::claim(&pool, a.id, &[r], "failed-sig")
        .await
        .unwrap();
    let reverted = user_rewards::revert_claims(&pool, a.id, &[r, untouched])
        .await
        .unwrap();
    assert_eq!(reverted, [r]);
    let all = user_rewards::list_for_user(&pool, a.id, None, 50).await.unwrap();
    assert!(
        all.iter()
            .all(|x| x.status == RewardStatus::Pending && x.claim_tx_signature.is_none())
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn amounts_must_be_positive(pool: PgPool) {
    let a = user(&pool, 1).await;
    let zero = NewReward {
        user_id: a.id,
        reward_type: RewardType::Referral,
        neptu_amount: Decimal::ZERO,
        description: None,
        expires_at: None,
    };
    assert!(user_rewards::grant(&pool, &zero).await.is_err());
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn serializes_as_the_reward_dto(pool: PgPool) {
    let a = user(&pool, 1).await;
    grant(&pool, a.id, 1).await;
    let reward = &user_rewards::list_for_user(&pool, a.id, None, 1).await.unwrap()[0];
    let dto = serde_json::to_value(reward).unwrap();
    assert_eq!(dto["neptuAmount"], serde_json::json!(0.1));
    assert_eq!(dto["rewardType"], "daily_check_in");
    assert_eq!(dto["status"], "pending");
    assert!(dto["claimedAt"].is_null());
}
