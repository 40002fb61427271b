use neptu_shared::db::users::{self, ListQuery, ProfileUpdate, SortBy};
use neptu_shared::db::{PageRequest, is_unique_violation};
use neptu_shared::domain::enums::{Interest, Role};
use sqlx::PgPool;

use crate::{user, wallet};

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn get_or_create_creates_once(pool: PgPool) {
    let (first, created) = users::get_or_create(&pool, &wallet(1)).await.unwrap();
    assert!(created);
    assert_eq!(first.role, Role::User);
    assert!(!first.is_admin && !first.onboarded);
    assert!(first.interests.is_empty());
    let (again, created) = users::get_or_create(&pool, &wallet(1)).await.unwrap();
    assert!(!created);
    assert_eq!(again, first);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn concurrent_get_or_create_yields_one_user(pool: PgPool) {
    let calls = (0..20).map(|_| {
        let pool = pool.clone();
        tokio::spawn(async move { users::get_or_create(&pool, &wallet(7)).await })
    });
    let results: Vec<_> = futures::future::join_all(calls).await;
    let results: Vec<_> = results.into_iter().map(|r| r.unwrap().unwrap()).collect();
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1);
    assert!(results.iter().all(|(u, _)| u.id == results[0].0.id));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn profile_update_changes_only_given_fields(pool: PgPool) {
    let u = user(&pool, 1).await;
    let update = ProfileUpdate {
        display_name: Some("Made".into()),
        interests: Some(vec![Interest::Love, Interest::Crypto]),
        birth_date: Some("1990-05-17".parse().unwrap()),
        onboarded: Some(true),
        ..Default::default()
    };
    let updated = users::update_profile(&pool, &u.wallet_address, &update)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(updated.display_name.as_deref(), Some("Made"));
    assert_eq!(updated.interests, vec![Interest::Love, Interest::Crypto]);
    assert_eq!(updated.birth_date.unwrap().to_string(), "1990-05-17");
    assert!(updated.onboarded);
    assert!(updated.updated_at >= u.updated_at);

    let email_only = ProfileUpdate {
        email: Some("made@example.com".into()),
        ..Default::default()
    };
    let again = users::update_profile(&pool, &u.wallet_address, &email_only)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.display_name.as_deref(), Some("Made"));
    assert_eq!(again.email.as_deref(), Some("made@example.com"));
    assert!(again.onboarded, "an update never un-onboards");

    let missing = users::update_profile(&pool, &wallet(99), &email_only)
        .await
        .unwrap();
    assert!(missing.is_none());
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn role_drives_the_admin_flag(pool: PgPool) {
    let u = user(&pool, 1).await;
    let admin = users::set_role(&pool, u.id, Role::Admin).await.unwrap().unwrap();
    assert!(admin.is_admin);
    let back = users::set_role(&pool, u.id, Role::Developer)
        .await
        .unwrap()
        .unwrap();
    assert!(!back.is_admin);
    assert_eq!(
        users::find_by_id(&pool, u.id).await.unwrap().unwrap().role,
        Role::Developer
    );
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn schema_rejects_bad_rows(pool: PgPool) {
    let short = sqlx::query("INSERT INTO users (wallet_address) VALUES ('short')")
        .execute(&pool)
        .await;
    assert!(short.is_err());
    let bad_role = sqlx::query("INSERT INTO users (wallet_address, role) VALUES ($1, 'root')")
        .bind(wallet(2))
        .execute(&pool)
        .await;
    assert!(bad_role.is_err());
    user(&pool, 3).await;
    let dup = sqlx::query("INSERT INTO users (wallet_address) VALUES ($1)")
        .bind(wallet(3))
        .execute(&pool)
        .await;
    assert!(is_unique_violation(&dup.unwrap_err(), "users_wallet_address_key"));
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn admin_list_searches_sorts_and_pages(pool: PgPool) {
    for n in 1..=5 {
        let u = user(&pool, n).await;
        let name = ProfileUpdate {
            display_name: Some(format!("name_{n}")),
            ..Default::default()
        };
        users::update_profile(&pool, &u.wallet_address, &name)
            .await
            .unwrap();
    }
    let page = PageRequest::new(1, 2).unwrap();
    let query = ListQuery {
        page,
        search: None,
        sort_by: SortBy::DisplayName,
        descending: false,
    };
    let first = users::list(&pool, &query).await.unwrap();
    assert_eq!(first.total, 5);
    assert_eq!(first.total_pages, 3);
    let names: Vec<_> = first
        .data
        .iter()
        .map(|u| u.display_name.clone().unwrap())
        .collect();
    assert_eq!(names, ["name_1", "name_2"]);

    let third = users::list(
        &pool,
        &ListQuery {
            page: PageRequest::new(3, 2).unwrap(),
            ..query.clone()
        },
    )
    .await
    .unwrap();
    assert_eq!(third.data.len(), 1);

    let search = ListQuery {
        search: Some("NAME_4".into()),
        ..query.clone()
    };
    let found = users::list(&pool, &search).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.data[0].display_name.as_deref(), Some("name_4"));

    // `_` is a LIKE wildcard; it must match only a literal underscore.
    let literal = ListQuery {
        search: Some("e_3".into()),
        ..query
    };
    assert_eq!(users::list(&pool, &literal).await.unwrap().total, 1);
}

#[sqlx::test(migrator = "neptu_shared::db::MIGRATOR")]
async fn stats_count_by_kind(pool: PgPool) {
    let a = user(&pool, 1).await;
    let b = user(&pool, 2).await;
    user(&pool, 3).await;
    users::set_role(&pool, a.id, Role::Admin).await.unwrap();
    users::set_role(&pool, b.id, Role::Developer).await.unwrap();
    let onboard = ProfileUpdate {
        onboarded: Some(true),
        ..Default::default()
    };
    users::update_profile(&pool, &b.wallet_address, &onboard)
        .await
        .unwrap();
    sqlx::query("UPDATE users SET created_at = now() - interval '2 days' WHERE id = $1")
        .bind(a.id)
        .execute(&pool)
        .await
        .unwrap();
    let stats = users::stats(&pool).await.unwrap();
    assert_eq!(
        (
            stats.total,
            stats.onboarded,
            stats.admins,
            stats.developers,
            stats.today_new
        ),
        (3, 1, 1, 1, 2)
    );
}
