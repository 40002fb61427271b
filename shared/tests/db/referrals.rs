use neptu_shared::db::referrals;
use neptu_shared::domain::enums::PayoutStatus;
use rust_decimal::Decimal;
use sqlx::PgPool;

use crate::user;

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn a_user_is_referred_once(pool: PgPool) {
    let (a, b, c) = (user(&pool, 1).await, user(&pool, 2).await, user(&pool, 3).await);
    let r = referrals::create_once(&pool, a.id, c.id, Decimal::from(10), Decimal::from(2))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(r.referrer_reward_paid, PayoutStatus::Pending);
    assert!(
        referrals::create_once(&pool, b.id, c.id, Decimal::from(10), Decimal::from(2))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        referrals::find_by_referee(&pool, c.id)
            .await
            .unwrap()
            .unwrap()
            .referrer_id,
        a.id
    );
    assert!(
        referrals::create_once(&pool, a.id, a.id, Decimal::ONE, Decimal::ONE)
            .await
            .is_err(),
        "self-referral"
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn stats_follow_payouts(pool: PgPool) {
    let a = user(&pool, 1).await;
    let mut ids = Vec::new();
    for n in 2..=4 {
        let referee = user(&pool, n).await;
        ids.push(
            referrals::create_once(&pool, a.id, referee.id, Decimal::from(10), Decimal::from(2))
                .await
                .unwrap()
                .unwrap()
                .id,
        );
    }
    let paid = referrals::mark_paid(&pool, ids[0], "sig-a", "sig-b")
        .await
        .unwrap()
        .unwrap();
    assert!(paid.completed_at.is_some());
    let stats = referrals::stats_for_referrer(&pool, a.id).await.unwrap();
    assert_eq!((stats.total, stats.successful, stats.pending), (3, 1, 2));
    assert_eq!(
        stats.earned,
        Decimal::ZERO,
        "nothing earned before the referees are active"
    );
    // Rewards granted for two referees (once they showed activity) count as earned; a second
    // grant changes nothing.
    for n in [2, 3] {
        let referee = user(&pool, n).await;
        assert!(
            referrals::mark_rewarded(&pool, referee.id)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            referrals::mark_rewarded(&pool, referee.id)
                .await
                .unwrap()
                .is_none()
        );
    }
    let stats = referrals::stats_for_referrer(&pool, a.id).await.unwrap();
    assert_eq!(stats.earned, Decimal::from(20));
}
