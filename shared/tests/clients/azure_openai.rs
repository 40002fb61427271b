use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::azure_openai::{AzureOpenAi, ChatModel, Completion};
use neptu_shared::config::AzureOpenAiSettings;
use neptu_shared::testing::FakeServer;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::{Hits, options};

fn settings(endpoint: String) -> AzureOpenAiSettings {
    AzureOpenAiSettings {
        api_key: Some(SecretString::from("azure-key".to_owned())),
        endpoint: Some(endpoint),
        deployment: Some("gpt-4o-mini".into()),
        api_version: "2024-10-21".into(),
    }
}

#[tokio::test]
async fn sends_a_chat_completion_and_reads_the_answer() {
    let router = Router::new().route(
        "/openai/deployments/gpt-4o-mini/chat/completions",
        post(
            |headers: HeaderMap,
             Query(q): Query<HashMap<String, String>>,
             axum::Json(body): axum::Json<Value>| async move {
                assert_eq!(q["api-version"], "2024-10-21");
                assert_eq!(headers["api-key"], "azure-key");
                assert_eq!(body["messages"][0]["role"], "system");
                assert_eq!(body["messages"][1]["content"], "When should I travel?");
                assert_eq!(body["max_completion_tokens"], 500);
                axum::Json(json!({
                    "choices": [{ "message": { "role": "assistant", "content": "On a \"Beteng\" day." } }],
                    "usage": { "total_tokens": 321 }
                }))
            },
        ),
    );
    let server = FakeServer::start(router).await;
    let model = AzureOpenAi::from_settings(&settings(server.url("/")), options())
        .unwrap()
        .unwrap();
    let answer = model
        .complete("You are Neptu.", "When should I travel?")
        .await
        .unwrap();
    assert_eq!(
        answer,
        Completion {
            text: "On a \"Beteng\" day.".into(),
            tokens_used: Some(321)
        }
    );
}

#[tokio::test]
async fn missing_settings_mean_not_configured() {
    let mut s = settings("http://127.0.0.1:9".into());
    s.api_key = None;
    assert!(AzureOpenAi::from_settings(&s, options()).unwrap().is_none());
    let mut s = settings("http://127.0.0.1:9".into());
    s.deployment = None;
    assert!(AzureOpenAi::from_settings(&s, options()).unwrap().is_none());
}

#[tokio::test]
async fn completions_are_not_retried_and_odd_answers_are_handled() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/openai/deployments/gpt-4o-mini/chat/completions",
            post(|State(hits): State<Hits>| async move {
                match hits.add() {
                    1 => (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response(),
                    2 => axum::Json(json!({ "choices": [] })).into_response(),
                    _ => "not json".into_response(),
                }
            }),
        )
        .with_state(hits.clone());
    let server = FakeServer::start(router).await;
    let model = AzureOpenAi::from_settings(&settings(server.url("")), options())
        .unwrap()
        .unwrap();
    let error = model.complete("s", "u").await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(hits.get(), 1, "a completion costs money: no automatic retry");
    let empty = model.complete("s", "u").await.unwrap();
    assert_eq!(
        empty.text, "",
        "no choice is an empty answer, as the original treated it"
    );
    assert!(matches!(
        model.complete("s", "u").await.unwrap_err(),
        ClientError::Malformed { .. }
    ));
}
