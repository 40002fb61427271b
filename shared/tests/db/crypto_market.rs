use chrono::{Duration, Utc};
use neptu_shared::db::crypto_market::{self, CoinSnapshot};
use sqlx::PgPool;

fn coin(id: &str, symbol: &str, rank: Option<i32>, price: f64) -> CoinSnapshot {
    CoinSnapshot {
        id: id.into(),
        symbol: symbol.into(),
        name: id.into(),
        image: None,
        current_price: Some(price),
        market_cap: Some(price * 1e6),
        market_cap_rank: rank,
        total_volume: None,
        high_24h: None,
        low_24h: None,
        price_change_24h: Some(-1.5),
        price_change_percentage_24h: Some(-0.25),
        circulating_supply: None,
        total_supply: None,
        max_supply: None,
        ath: None,
        ath_change_percentage: None,
        ath_date: Some(Utc::now() - Duration::days(400)),
        atl: None,
        atl_change_percentage: None,
        atl_date: None,
        last_updated: Some(Utc::now()),
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn refresh_upserts_appends_and_prunes(pool: PgPool) {
    let mut tx = pool.begin().await.unwrap();
    crypto_market::store_refresh(
        &mut tx,
        &[
            coin("bitcoin", "BTC", Some(1), 100.0),
            coin("solana", "SOL", Some(5), 10.0),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sqlx::query(
        "UPDATE crypto_market_history SET recorded_at = now() - interval '8 days' WHERE coin_id = 'solana'",
    )
    .execute(&pool)
    .await
    .unwrap();

    let mut tx = pool.begin().await.unwrap();
    let stored = crypto_market::store_refresh(
        &mut tx,
        &[
            coin("bitcoin", "BTC", Some(1), 120.0),
            coin("newcoin", "NEW", None, 1.0),
        ],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(stored, 2);

    let coins = crypto_market::list(&pool).await.unwrap();
    let ids: Vec<_> = coins.iter().map(|c| c.coin.id.as_str()).collect();
    assert_eq!(ids, ["bitcoin", "solana", "newcoin"], "by rank, unranked last");
    assert_eq!(coins[0].coin.current_price, Some(120.0));

    let since = Utc::now() - Duration::days(30);
    assert_eq!(
        crypto_market::history(&pool, "bitcoin", since)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        crypto_market::history(&pool, "solana", since)
            .await
            .unwrap()
            .is_empty(),
        "older than 7 days is deleted"
    );
    assert_eq!(
        crypto_market::find_by_symbol(&pool, "btc")
            .await
            .unwrap()
            .unwrap()
            .coin
            .id,
        "bitcoin"
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn a_failed_refresh_stores_nothing(pool: PgPool) {
    let mut tx = pool.begin().await.unwrap();
    crypto_market::store_refresh(&mut tx, &[coin("bitcoin", "BTC", Some(1), 100.0)])
        .await
        .unwrap();
    drop(tx); // rolled back, as when a later step fails
    assert!(crypto_market::list(&pool).await.unwrap().is_empty());
}
