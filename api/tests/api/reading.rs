use reqwest::Method;
use serde_json::json;

use crate::spawn_app;

#[tokio::test]
async fn readings_have_the_original_shapes() {
    let app = spawn_app().await;
    let (status, body) = app
        .call(Method::GET, "/api/reading/potensi?date=1995-06-15", None, None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        (
            body["success"].as_bool(),
            body["type"].as_str(),
            body["date"].as_str()
        ),
        (Some(true), Some("potensi"), Some("1995-06-15"))
    );
    let reading = &body["reading"];
    for key in [
        "sapta_wara",
        "panca_wara",
        "wuku",
        "sad_wara",
        "total_urip",
        "frekuensi",
        "lahir_untuk",
        "afirmasi",
    ] {
        assert!(!reading[key].is_null(), "potensi.{key} missing: {reading}");
    }
    assert_eq!(
        reading["sapta_wara"]["name"], "THURSDAY",
        "1995-06-15 was a Thursday"
    );

    let (_, body) = app
        .call(Method::GET, "/api/reading/peluang?date=2026-03-01", None, None)
        .await;
    assert_eq!(body["type"], "peluang");
    assert!(!body["reading"]["diberi_hak_untuk"].is_null());

    let (_, body) = app.call(Method::GET, "/api/reading/today", None, None).await;
    assert_eq!(body["date"], chrono::Utc::now().date_naive().to_string());

    let (_, body) = app
        .call(
            Method::GET,
            "/api/reading/full?birthDate=1990-05-15&targetDate=2026-06-17",
            None,
            None,
        )
        .await;
    assert_eq!(
        (body["type"].as_str(), body["targetDate"].as_str()),
        (Some("full"), Some("2026-06-17"))
    );
    assert!(body["reading"]["potensi"].is_object() && body["reading"]["peluang"].is_object());
    let (_, body) = app
        .call(Method::GET, "/api/reading/full?birthDate=1990-05-15", None, None)
        .await;
    assert_eq!(body["targetDate"], chrono::Utc::now().date_naive().to_string());

    let body2 = json!({ "birthDate1": "1990-05-15", "birthDate2": "1992-11-03" });
    let (status, body) = app
        .call(Method::POST, "/api/reading/compatibility", None, Some(body2))
        .await;
    assert_eq!(status, 200);
    for key in ["person1", "person2", "mitraSatru", "dimensions", "scores"] {
        assert!(!body["reading"][key].is_null(), "{key}");
    }
    assert_eq!(body["birthDate2"], "1992-11-03");

    let batch = json!({ "birthDates": ["1990-05-15", "1992-11-03", "2000-01-01", "1985-07-20"] });
    let (status, body) = app
        .call(
            Method::POST,
            "/api/reading/compatibility/batch",
            None,
            Some(batch),
        )
        .await;
    assert_eq!(status, 200);
    let pairs: Vec<(u64, u64)> = body["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["personA"].as_u64().unwrap(), p["personB"].as_u64().unwrap()))
        .collect();
    assert_eq!(pairs, [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]);
    app.stop().await;
}

#[tokio::test]
async fn bad_input_is_a_validation_error() {
    let app = spawn_app().await;
    for path in [
        "/api/reading/potensi",
        "/api/reading/potensi?date=2024-02-31",
        "/api/reading/potensi?date=15-06-1995",
        "/api/reading/peluang?date=1700-01-01",
        "/api/reading/full?targetDate=2026-01-01",
        "/api/reading/full?birthDate=1990-05-15&targetDate=tomorrow",
    ] {
        let (status, body) = app.call(Method::GET, path, None, None).await;
        assert_eq!(status, 400, "{path}");
        assert_eq!(body["error"]["name"], "ValidationError", "{path}");
        assert!(body["error"]["issues"][0]["path"].is_array(), "{path}");
    }
    for birth_dates in [json!(["1990-05-15"]), json!(vec!["1990-05-15"; 6]), json!([])] {
        let (status, body) = app
            .call(
                Method::POST,
                "/api/reading/compatibility/batch",
                None,
                Some(json!({ "birthDates": birth_dates })),
            )
            .await;
        assert_eq!(
            (status, body["error"]["issues"][0]["path"][0].as_str()),
            (400, Some("birthDates"))
        );
    }
    let (status, body) = app
        .call(
            Method::POST,
            "/api/reading/compatibility",
            None,
            Some(json!({ "birthDate1": "1990-05-15" })),
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["issues"][0]["message"],
        "missing field `birthDate2`"
    );
    let r = app
        .client
        .post(app.url("/api/reading/compatibility"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    app.stop().await;
}
