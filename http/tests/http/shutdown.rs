use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use neptu_http::Stopped;

use crate::{serve, serve_draining, settings};

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

#[tokio::test]
async fn during_the_drain_requests_are_answered_with_connection_close_then_the_listener_closes() {
    let s = serve_draining(
        slow(0),
        &settings(),
        Duration::from_millis(800),
        Duration::from_secs(5),
    )
    .await;
    let client = reqwest::Client::new();
    let before = client.get(s.url("/slow")).send().await.unwrap();
    assert!(before.headers().get("connection").is_none());

    let url = s.url("/slow");
    let signalled = Instant::now();
    s.shutdown.cancel();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let during = client.get(&url).send().await.unwrap();
    assert_eq!(during.status(), 200, "still served while draining");
    assert_eq!(during.headers()["connection"], "close");

    assert_eq!(s.handle.await.unwrap().unwrap(), Stopped::Drained);
    assert!(
        signalled.elapsed() >= Duration::from_millis(800),
        "{:?}",
        signalled.elapsed()
    );
    assert!(client.get(&url).send().await.is_err(), "the listener is closed");
}
