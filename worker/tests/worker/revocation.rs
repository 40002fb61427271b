//! The worker's admin routes take the API's tokens, so a demotion reaches them too.

use std::time::{Duration, Instant};

use neptu_shared::db::users;
use neptu_shared::domain::enums::Role;

use crate::harness;

#[tokio::test]
async fn a_demoted_admin_is_refused_on_the_jobs_route_within_seconds() {
    let w = harness::spawn().await;
    let wallet = "Demoted1111111111111111111111111111111111111";
    let (user, _) = users::get_or_create(&w.state.db, wallet).await.unwrap();
    users::set_role(&w.state.db, user.id, Role::Admin).await.unwrap();
    let token = w
        .state
        .auth
        .keys
        .issue_access(user.id, wallet, Role::Admin, chrono::Utc::now().timestamp());
    let jobs = || w.client.get(w.url("/api/jobs")).bearer_auth(&token).send();
    assert_eq!(jobs().await.unwrap().status(), 200, "an admin");

    // Demoted by the API (any writer of `users.role`): the token still says admin.
    users::set_role(&w.state.db, user.id, Role::User).await.unwrap();
    let started = Instant::now();
    loop {
        let status = jobs().await.unwrap().status();
        if status == 403 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "still {status} after 5 s"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    w.stop().await;
}
