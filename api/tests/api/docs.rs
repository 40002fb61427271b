use reqwest::Method;

use crate::spawn_app;

#[tokio::test]
async fn openapi_documents_every_route() {
    let app = spawn_app().await;
    let (status, doc) = app.call(Method::GET, "/openapi.json", None, None).await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let expected = [
        ("/", "get"),
        ("/health", "get"),
        ("/ready", "get"),
        ("/api/auth/nonce", "post"),
        ("/api/auth/verify", "post"),
        ("/api/auth/refresh", "post"),
        ("/api/auth/logout", "post"),
        ("/api/reading/potensi", "get"),
        ("/api/reading/peluang", "get"),
        ("/api/reading/today", "get"),
        ("/api/reading/compatibility", "post"),
        ("/api/reading/compatibility/batch", "post"),
        ("/api/reading/full", "get"),
        ("/api/users", "post"),
        ("/api/users/{wallet}", "get"),
        ("/api/users/{wallet}", "put"),
        ("/api/users/{wallet}/onboard", "post"),
        ("/api/users/{wallet}/reading", "get"),
        ("/api/users/{wallet}/readings", "get"),
        ("/api/users/{wallet}/referral", "get"),
        ("/api/users/{wallet}/referral", "post"),
        ("/api/wallet/rewards/{wallet}", "get"),
        ("/api/wallet/streak/{wallet}", "get"),
        ("/api/wallet/check-in/{wallet}", "post"),
        ("/api/wallet/claim/{wallet}", "post"),
        ("/api/wallet/revert-failed-claims/{wallet}", "post"),
        ("/api/token/transactions/{wallet}", "get"),
        ("/api/token/stats/{wallet}", "get"),
        ("/api/token/price/{readingType}", "get"),
        ("/api/token/verify-payment", "post"),
        ("/api/pay/sol/build", "post"),
        ("/api/pay/neptu/build", "post"),
        ("/api/pay/sudigital/build", "post"),
        ("/api/pay/claim/build", "post"),
        ("/api/pay/verify", "post"),
        ("/api/pay/pricing", "get"),
        ("/api/pay/pricing/{readingType}", "get"),
        ("/api/wallet/balance/{wallet}", "get"),
        ("/api/wallet/balances/{wallet}", "get"),
        ("/api/pricing", "get"),
        ("/api/pricing/{slug}", "get"),
        ("/api/pricing/seed", "post"),
        ("/api/pricing/admin/all", "get"),
        ("/api/pricing/admin", "post"),
        ("/api/pricing/admin/{id}", "put"),
        ("/api/pricing/admin/{id}", "delete"),
        ("/api/admin/stats", "get"),
        ("/api/admin/users", "get"),
        ("/api/admin/users/{id}", "get"),
        ("/api/admin/users/{id}", "put"),
        ("/api/admin/readings", "get"),
        ("/api/admin/settings", "get"),
        ("/api/developer/pay/subscribe/build", "post"),
        ("/api/developer/pay/subscribe/verify", "post"),
        ("/api/developer/pay/credits/build", "post"),
        ("/api/developer/pay/credits/verify", "post"),
        ("/api/admin/subscriptions", "get"),
        ("/api/admin/subscriptions/{id}", "get"),
        ("/api/admin/subscriptions/{id}", "put"),
        ("/api/admin/analytics/usage", "get"),
        ("/api/admin/analytics/endpoints", "get"),
        ("/api/admin/plans", "get"),
        ("/api/admin/plans", "post"),
        ("/api/admin/plans/{id}", "put"),
        ("/api/admin/plans/{id}", "delete"),
        ("/api/admin/credit-packs", "get"),
        ("/api/admin/credit-packs", "post"),
        ("/api/admin/credit-packs/{id}", "put"),
        ("/api/admin/credit-packs/{id}", "delete"),
        ("/api/admin/api-keys", "get"),
        ("/api/admin/api-keys/{id}/revoke", "put"),
        ("/api/developer/keys", "get"),
        ("/api/developer/keys", "post"),
        ("/api/developer/keys/{keyId}", "put"),
        ("/api/developer/keys/{keyId}", "delete"),
        ("/api/developer/subscription", "get"),
        ("/api/developer/subscriptions", "get"),
        ("/api/developer/subscription/cancel", "post"),
        ("/api/developer/keys/{keyId}/usage", "get"),
        ("/api/developer/keys/{keyId}/summary", "get"),
        ("/api/developer/keys/{keyId}/usage/range", "get"),
        ("/api/developer/api-pricing/plans", "get"),
        ("/api/developer/api-pricing/plans/{slug}", "get"),
        ("/api/developer/api-pricing/credit-packs", "get"),
        ("/api/developer/api-pricing/credit-packs/{slug}", "get"),
        ("/api/v1/reading/potensi", "get"),
        ("/api/v1/reading/peluang", "get"),
        ("/api/v1/reading/today", "get"),
        ("/api/v1/reading/compatibility", "post"),
        ("/api/v1/oracle", "post"),
        ("/api/v1/oracle/daily/{birthDate}", "get"),
        ("/api/v1/oracle/interpret", "post"),
        ("/api/v1/oracle/compatibility", "post"),
    ];
    for (path, method) in expected {
        assert!(
            paths.get(path).and_then(|p| p.get(method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    let documented: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(
        documented,
        expected.len(),
        "documented operations beyond the known routes"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());

    let page = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    // Served from the binary under a strict policy: this origin's script and style only.
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline") && !csp.contains("http"), "{csp}");
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<script src="/docs/docs.js""#), "{html}");
    assert!(
        !html.contains("https://") && !html.contains("http://"),
        "nothing from elsewhere: {html}"
    );
    for (asset, kind) in [
        ("/docs/docs.js", "text/javascript"),
        ("/docs/docs.css", "text/css"),
    ] {
        let response = app.client.get(app.url(asset)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{asset}");
        assert!(
            response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(kind)
        );
        assert!(response.headers().contains_key("content-security-policy"));
        let text = response.text().await.unwrap();
        assert!(!text.contains("https://"), "{asset} loads nothing from elsewhere");
    }
    let script = app.client.get(app.url("/docs/docs.js")).send().await.unwrap();
    assert!(script.text().await.unwrap().contains("fetch(\"/openapi.json\")"));
    app.stop().await;
}

/// utoipa names a schema after its type and keeps only one per name, so two response types
/// with the same name in different modules would silently share (the wrong) schema.
#[test]
fn schema_type_names_are_unique_across_modules() {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut seen = std::collections::HashMap::new();
    for path in files {
        let source = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = source.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let Some(rest) = line
                .trim_start()
                .strip_prefix("pub struct ")
                .or_else(|| line.trim_start().strip_prefix("struct "))
            else {
                continue;
            };
            let derives_schema = lines[i.saturating_sub(4)..i]
                .iter()
                .any(|l| l.contains("derive(") && l.contains("ToSchema"));
            if !derives_schema {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let file = path.display().to_string();
            if let Some(other) = seen.insert(name.clone(), file.clone()) {
                panic!("schema {name} is defined in both {other} and {file}");
            }
        }
    }
    assert!(seen.len() > 20, "found only {} schemas", seen.len());
}
