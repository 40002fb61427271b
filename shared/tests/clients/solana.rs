use axum::Router;
use axum::extract::State;
use axum::routing::post;
use neptu_shared::breaker::BreakerState;
use neptu_shared::clients::ClientError;
use neptu_shared::clients::solana::{SolanaClient, SolanaRpc};
use neptu_shared::config::SolanaSettings;
use neptu_shared::testing::FakeServer;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::{Hits, options};

fn client(server: &FakeServer) -> SolanaClient {
    let settings = SolanaSettings {
        rpc_url: Some(SecretString::from(server.url("/?api-key=k"))),
        network: "devnet".into(),
        treasury: String::new(),
        ecosystem_pool: None,
        sudigital_treasury: None,
        neptu_mint: String::new(),
        sudigital_mint: String::new(),
    };
    SolanaClient::from_settings(&settings, options())
        .unwrap()
        .unwrap()
}

/// Answers `getTransaction` with `null`, `getSignatureStatuses` with a refusal.
async fn rpc(State(hits): State<Hits>, body: axum::Json<Value>) -> axum::Json<Value> {
    hits.add();
    match body["method"].as_str().unwrap() {
        "getTransaction" => {
            assert_eq!(body["params"][1]["encoding"], "jsonParsed");
            axum::Json(json!({ "jsonrpc": "2.0", "id": 1, "result": null }))
        }
        _ => axum::Json(json!({ "jsonrpc": "2.0", "id": 1,
            "error": { "code": -32602, "message": "Invalid param: not a signature" } })),
    }
}

#[tokio::test]
async fn null_is_an_unknown_transaction_and_refusals_do_not_trip_the_breaker() {
    let hits = Hits::default();
    let server = FakeServer::start(Router::new().route("/", post(rpc)).with_state(hits.clone())).await;
    let solana = client(&server);
    assert_eq!(solana.transaction("sig").await.unwrap().map(|_| ()), None);
    for _ in 0..4 {
        let err = solana.signature_statuses(&["x".into()]).await.unwrap_err();
        assert!(matches!(err, ClientError::Rpc { code: -32602, .. }), "{err:?}");
    }
    assert_eq!(hits.get(), 5, "refusals are not retried");
    assert_eq!(solana.stats().breaker, BreakerState::Closed.as_str());
}
