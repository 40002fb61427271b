use neptu_shared::db::is_unique_violation;
use neptu_shared::db::pricing_plans::{self, PlanFields, PlanLimits, PlanUpdate, SLUG_CONSTRAINT};
use rust_decimal::Decimal;
use sqlx::PgPool;

fn plan(slug: &str, sort_order: i32, is_active: bool) -> PlanFields {
    PlanFields {
        name: slug.to_uppercase(),
        slug: slug.to_owned(),
        description: None,
        price_usd: Decimal::new(999, 2),
        price_sol: Some(Decimal::new(5, 2)),
        price_neptu: None,
        price_sudigital: Some(Decimal::from(7)),
        features: vec!["one".into(), "two".into()],
        limits: PlanLimits {
            daily_readings: -1,
            oracle_chats: 5,
            custom_readings: 0,
            advanced_insights: true,
            priority_support: false,
        },
        is_active,
        is_popular: false,
        sort_order,
    }
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn crud_round_trip(pool: PgPool) {
    let created = pricing_plans::create(&pool, &plan("basic", 1, true))
        .await
        .unwrap();
    assert_eq!(
        created.price_sudigital,
        Some(Decimal::from(7)),
        "priceSudigital is persisted"
    );
    assert_eq!(created.limits.daily_readings, -1);
    assert_eq!(
        pricing_plans::find_by_slug(&pool, "basic")
            .await
            .unwrap()
            .unwrap(),
        created
    );

    let dup = pricing_plans::create(&pool, &plan("basic", 2, true))
        .await
        .unwrap_err();
    assert!(is_unique_violation(&dup, SLUG_CONSTRAINT));

    let update = PlanUpdate {
        name: Some("Basic+".into()),
        price_sudigital: Some(Decimal::from(8)),
        ..Default::default()
    };
    let updated = pricing_plans::update(&pool, created.id, &update)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.name, "Basic+");
    assert_eq!(updated.price_sudigital, Some(Decimal::from(8)));
    assert_eq!(updated.features, created.features, "untouched fields stay");

    assert!(pricing_plans::delete(&pool, created.id).await.unwrap());
    assert!(!pricing_plans::delete(&pool, created.id).await.unwrap());
    assert!(
        pricing_plans::update(&pool, created.id, &update)
            .await
            .unwrap()
            .is_none()
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn listing_orders_and_filters(pool: PgPool) {
    pricing_plans::create(&pool, &plan("premium", 2, true))
        .await
        .unwrap();
    pricing_plans::create(&pool, &plan("hidden", 0, false))
        .await
        .unwrap();
    pricing_plans::create(&pool, &plan("free", 0, true))
        .await
        .unwrap();
    let active: Vec<_> = pricing_plans::list(&pool, true)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.slug)
        .collect();
    assert_eq!(active, ["free", "premium"]);
    assert_eq!(pricing_plans::list(&pool, false).await.unwrap().len(), 3);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn seeding_only_fills_an_empty_table(pool: PgPool) {
    let defaults = [
        plan("free", 0, true),
        plan("basic", 1, true),
        plan("premium", 2, true),
    ];
    let tasks = (0..4).map(|_| {
        let (pool, defaults) = (pool.clone(), defaults.clone());
        tokio::spawn(async move { pricing_plans::seed_if_empty(&pool, &defaults).await.unwrap() })
    });
    let inserted: u64 = futures::future::join_all(tasks)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .sum();
    assert_eq!(inserted, 3);
    let all = pricing_plans::list(&pool, false).await.unwrap();
    assert_eq!(all.len(), 3);
    assert_eq!(all[1].price_usd, Decimal::new(999, 2));
    assert_eq!(all[1].limits, defaults[1].limits);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn slugs_are_checked(pool: PgPool) {
    assert!(
        pricing_plans::create(&pool, &plan("Not A Slug", 0, true))
            .await
            .is_err()
    );
}
