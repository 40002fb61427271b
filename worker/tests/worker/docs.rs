//! `GET /openapi.json` documents exactly the routes the worker serves, and `GET /docs` reads it.

use serde_json::Value;

use crate::harness;

/// Every operation the worker serves: its routes and the probes.
const SERVED: [(&str, &str); 16] = [
    ("/", "get"),
    ("/health", "get"),
    ("/ready", "get"),
    ("/api/daily/{date}", "get"),
    ("/api/oracle", "post"),
    ("/api/oracle/daily/{birthDate}", "get"),
    ("/api/oracle/interpret", "post"),
    ("/api/oracle/compatibility", "post"),
    ("/api/crypto/market", "get"),
    ("/api/crypto/birthdays", "get"),
    ("/api/crypto/refresh", "post"),
    ("/api/crypto/chart/{id}", "get"),
    ("/api/crypto/cosmic/{birthDate}", "get"),
    ("/api/colosseum/project-votes", "get"),
    ("/api/colosseum/agent-stats", "get"),
    ("/api/jobs", "get"),
];

#[tokio::test]
async fn openapi_documents_every_route_the_worker_serves() {
    let w = harness::spawn().await;
    let r = w.get("/openapi.json").await;
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Neptu Worker");
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in SERVED {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is served but not documented"
        );
    }
    let documented: Vec<(String, String)> = paths
        .iter()
        .flat_map(|(path, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |method| (path.clone(), method.clone()))
        })
        .collect();
    assert_eq!(
        documented.len(),
        SERVED.len(),
        "documented operations beyond the served ones: {documented:?}"
    );

    // And every documented operation is served: the router answers it, not its fallback.
    for (path, method) in &documented {
        let url = w.url(
            &path
                .replace("{date}", "2026-11-26")
                .replace("{birthDate}", "1990-05-15")
                .replace("{id}", "bitcoin"),
        );
        let request = match method.as_str() {
            "get" => w.client.get(url),
            "post" => w.client.post(url).json(&serde_json::json!({})),
            other => panic!("unexpected method {other} on {path}"),
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(status, 405, "{method} {path}");
        assert_ne!(
            body["message"], "Route not found",
            "{method} {path} is documented but not served"
        );
    }
    w.stop().await;
}

/// Nothing in `routes/` is added with a bare `.route(...)`: every route goes through
/// `routes!`, which documents it, so the list above cannot miss one.
#[test]
fn worker_routes_are_registered_with_their_documentation() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/routes");
    let mut files = vec![std::path::PathBuf::from(dir)];
    let mut checked = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        assert!(
            !source.contains(".route("),
            "{} registers a route without its documentation",
            path.display()
        );
        checked += 1;
    }
    assert!(checked > 5, "read only {checked} files");
}

#[tokio::test]
async fn the_reference_page_is_served_under_a_strict_policy() {
    let w = harness::spawn().await;
    let page = w.get("/docs").await;
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(
        page.text()
            .await
            .unwrap()
            .contains(r#"<script src="/docs/docs.js""#)
    );
    for asset in ["/docs/docs.js", "/docs/docs.css"] {
        assert_eq!(w.get(asset).await.status(), 200, "{asset}");
    }
    w.stop().await;
}
