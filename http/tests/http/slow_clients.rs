//! Slow clients against the real server loop: a header section that never completes is cut
//! off after `HEADER_READ_TIMEOUT_SECS`, and connections beyond `MAX_CONNECTIONS` wait until
//! one is freed, while the server goes on answering.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::Router;
use axum::routing::get;
use neptu_http::ShutdownTiming;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

use crate::{serve_with, settings};

fn routes() -> Router {
    Router::new().route("/ok", get(|| async { "ok" }))
}

fn timing(header_read_timeout: Duration, max_connections: usize) -> ShutdownTiming {
    ShutdownTiming {
        drain: Duration::ZERO,
        grace: Duration::from_secs(1),
        draining: Default::default(),
        header_read_timeout,
        max_connections,
    }
}

/// A connection that has sent half a request header.
async fn half_header(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /ok HTTP/1.1\r\nHost: test\r\nX-Slow: ")
        .await
        .unwrap();
    stream
}

/// Everything the server sends until it closes (a reset counts as closed).
async fn until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let _ = stream.read_to_end(&mut received).await;
    received
}

#[tokio::test]
async fn a_client_that_never_finishes_its_header_is_disconnected_after_the_timeout() {
    let served = serve_with(routes(), &settings(), timing(Duration::from_secs(1), 16)).await;
    let started = Instant::now();
    let mut slow = half_header(served.addr).await;
    // A client just as slow that does finish in time is answered.
    let mut finishing = half_header(served.addr).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    finishing
        .write_all(b"1\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let answer = timeout(Duration::from_secs(3), until_closed(&mut finishing))
        .await
        .expect("answered");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer)
    );

    let cut = timeout(Duration::from_secs(5), until_closed(&mut slow))
        .await
        .expect("the server closes the slow connection");
    let elapsed = started.elapsed();
    assert!(cut.is_empty(), "no answer to half a request");
    assert!(
        elapsed >= Duration::from_millis(900) && elapsed < Duration::from_secs(3),
        "closed after {elapsed:?}, the timeout is 1 s"
    );
    let ok = reqwest::get(served.url("/ok")).await.unwrap();
    assert_eq!(ok.status(), 200);
    served.shutdown.cancel();
}

#[tokio::test]
async fn connections_beyond_the_bound_wait_until_one_is_freed() {
    let served = serve_with(routes(), &settings(), timing(Duration::from_secs(4), 2)).await;
    let first = half_header(served.addr).await;
    let _second = half_header(served.addr).await;
    tokio::time::sleep(Duration::from_millis(200)).await;

    let started = Instant::now();
    let mut third = TcpStream::connect(served.addr).await.unwrap();
    third
        .write_all(b"GET /ok HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut byte = [0u8; 1];
    assert!(
        timeout(Duration::from_secs(1), third.read(&mut byte))
            .await
            .is_err(),
        "a third connection was served while two held the bound of 2"
    );

    // Freeing one place lets the waiting connection in, long before the others time out.
    drop(first);
    let answer = timeout(Duration::from_secs(2), until_closed(&mut third))
        .await
        .expect("served once a place is free");
    assert!(
        answer.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&answer[..answer.len().min(200)])
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    served.shutdown.cancel();
}
