//! The worker's router in-process (`tower::ServiceExt::oneshot`, middleware included) on
//! random requests to its routes, every outside service on the local fake: no 5xx, no panic.
//! Cases: `FUZZ_CASES` (see `neptu_shared::testing::fuzz`).

use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, header};
use neptu_http::Draining;
use neptu_shared::testing::fuzz::{self, Fuzz};
use tower::ServiceExt;

use crate::harness;

const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/api/daily/{}"),
    ("POST", "/api/oracle"),
    ("GET", "/api/oracle/daily/{}"),
    ("POST", "/api/oracle/interpret"),
    ("POST", "/api/oracle/compatibility"),
    ("GET", "/api/crypto/market"),
    ("GET", "/api/crypto/birthdays"),
    ("GET", "/api/crypto/chart/{}"),
    ("GET", "/api/crypto/cosmic/{}"),
    ("POST", "/api/crypto/refresh"),
    ("GET", "/api/colosseum/agent-stats"),
    ("GET", "/api/colosseum/project-votes"),
    ("GET", "/api/jobs"),
];

const FIELDS: &[&str] = &[
    "question",
    "birthDate",
    "targetDate",
    "language",
    "birthDate1",
    "birthDate2",
    "days",
    "limit",
];

#[tokio::test]
async fn random_requests_to_the_worker_routes_never_get_a_5xx() {
    // No limits and a large budget for untracked coins: a refusal by design is not the point.
    let w = harness::spawn_with(&[
        ("ORACLE_RATE_LIMIT_PER_HOUR", "0"),
        ("CHART_RATE_LIMIT_PER_MINUTE", "0"),
        ("CHART_UNTRACKED_PER_HOUR", "100000"),
        ("RATE_LIMIT_PUBLIC_PER_MINUTE", "0"),
    ])
    .await;
    let app = neptu_worker::app::router(w.state.clone(), Draining::default());
    let admin = w.admin_token();
    let mut fuzz = Fuzz::new(fuzz::seed(0x5eed_0301));
    let (cases, mut ok) = (fuzz::cases(200), 0);
    for case in 0..cases {
        let (method, template) = *fuzz.pick(ROUTES);
        let value = match fuzz.below(3) {
            0 => (*fuzz.pick(&["1990-05-15", "2026-02-30", "bitcoin", "no-such-coin"])).to_owned(),
            _ => fuzz.url_piece(12),
        };
        let mut uri = template.replace("{}", if value.is_empty() { "x" } else { &value });
        if !fuzz.one_in(3) {
            uri = format!("{uri}?{}", fuzz.query(FIELDS));
        }
        let mut request = Request::builder()
            .method(method.parse::<Method>().unwrap())
            .uri(&uri);
        if fuzz.one_in(3) {
            request = request.header(header::AUTHORIZATION, format!("Bearer {admin}"));
        }
        let body = if method == "POST" {
            request = request.header(header::CONTENT_TYPE, "application/json");
            Body::from(fuzz.body(FIELDS))
        } else {
            Body::empty()
        };
        let Ok(request) = request.body(body) else { continue };
        let response = app.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let body = to_bytes(response.into_body(), 1 << 22).await.unwrap();
        assert!(
            !status.is_server_error(),
            "case {case}: {method} {uri} -> {status}: {}",
            String::from_utf8_lossy(&body)
        );
        ok += usize::from(status.is_success());
    }
    if cases >= 100 {
        assert!(ok > 0, "some requests succeed");
    }
    w.stop().await;
}
