use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use neptu_shared::http::Stopped;

use crate::{serve, settings};

fn slow(millis: u64) -> Router {
    Router::new().route(
        "/slow",
        get(move || async move {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            "finished"
        }),
    )
}

#[tokio::test]
async fn in_flight_requests_finish_after_the_signal() {
    let mut stack = settings();
    stack.request_timeout = Duration::from_secs(10);
    let s = serve(slow(1500), &stack, Duration::from_secs(10)).await;
    let url = s.url("/slow");
    let request = tokio::spawn(async move { reqwest::get(url).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(300)).await;

    s.shutdown.cancel();
    // New connections are refused once draining starts.
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(
        reqwest::get(s.url("/slow")).await.is_err(),
        "the listener is closed"
    );

    let response = request.await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "finished");
    assert_eq!(s.handle.await.unwrap().unwrap(), Stopped::Drained);
}

#[tokio::test]
async fn the_grace_period_is_a_hard_deadline() {
    let mut stack = settings();
    stack.request_timeout = Duration::from_secs(60);
    let s = serve(slow(30_000), &stack, Duration::from_millis(500)).await;
    let url = s.url("/slow");
    let _stuck = tokio::spawn(async move { reqwest::get(url).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    s.shutdown.cancel();
    assert_eq!(s.handle.await.unwrap().unwrap(), Stopped::DeadlineReached);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}
