//! Local stand-ins for the outside APIs, whose answers each test sets: CoinGecko, Azure
//! OpenAI and the Colosseum agents API, all on one server.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use neptu_shared::testing::FakeServer;
use serde_json::{Value, json};

/// How an endpoint answers.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with the normal body.
    Ok,
    /// This status with a short text body.
    Status(u16),
    /// 429 with `Retry-After` of this many seconds.
    Limited(u64),
    /// 200 with a body that is not the expected JSON.
    Malformed,
    /// Waits this long, then answers normally.
    Slow(Duration),
}

#[derive(Default)]
pub struct Upstream {
    /// Answers to use, in order, before falling back to `Ok` (per endpoint name).
    pub script: HashMap<&'static str, Vec<Answer>>,
    pub hits: HashMap<&'static str, usize>,
    /// Forum state.
    pub posts: Vec<Value>,
    pub my_posts: Vec<Value>,
    pub comments: HashMap<i64, Vec<Value>>,
    pub projects: Vec<Value>,
    /// Forum writes received: (kind, target id, body).
    pub writes: Vec<(String, i64, Value)>,
    pub azure_answer: String,
}

#[derive(Clone, Default)]
pub struct Fake(pub Arc<Mutex<Upstream>>);

impl Fake {
    pub fn script(&self, endpoint: &'static str, answers: Vec<Answer>) {
        self.0.lock().unwrap().script.insert(endpoint, answers);
    }

    pub fn hits(&self, endpoint: &str) -> usize {
        self.0.lock().unwrap().hits.get(endpoint).copied().unwrap_or(0)
    }

    pub fn writes(&self, kind: &str) -> Vec<(i64, Value)> {
        let upstream = self.0.lock().unwrap();
        upstream
            .writes
            .iter()
            .filter(|(k, _, _)| k == kind)
            .map(|(_, id, body)| (*id, body.clone()))
            .collect()
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Upstream) -> T) -> T {
        f(&mut self.0.lock().unwrap())
    }

    /// Counts the hit and takes the next scripted answer.
    fn next(&self, endpoint: &'static str) -> Answer {
        let mut upstream = self.0.lock().unwrap();
        *upstream.hits.entry(endpoint).or_default() += 1;
        match upstream.script.get_mut(endpoint) {
            Some(answers) if !answers.is_empty() => answers.remove(0),
            _ => Answer::Ok,
        }
    }

    /// Applies the scripted answer; `Some(response)` short-circuits the handler.
    async fn gate(&self, endpoint: &'static str) -> Option<Response> {
        match self.next(endpoint) {
            Answer::Ok => None,
            Answer::Slow(delay) => {
                tokio::time::sleep(delay).await;
                None
            }
            Answer::Status(code) => {
                Some((StatusCode::from_u16(code).unwrap(), "upstream says no").into_response())
            }
            Answer::Limited(secs) => Some(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", secs.to_string())],
                    "slow down",
                )
                    .into_response(),
            ),
            Answer::Malformed => Some("{\"half\": [1, 2".into_response()),
        }
    }
}

pub fn coin(id: &str, symbol: &str, price: f64, change: f64) -> Value {
    json!({
        "id": id, "symbol": symbol, "name": id, "image": format!("https://img/{id}.png"),
        "current_price": price, "market_cap": price * 1e7, "market_cap_rank": 1,
        "total_volume": 1.0e8, "high_24h": price * 1.1, "low_24h": price * 0.9,
        "price_change_24h": price * change / 100.0, "price_change_percentage_24h": change,
        "circulating_supply": 1.0e7, "total_supply": 2.0e7, "max_supply": null,
        "ath": price * 2.0, "ath_change_percentage": -50.0, "ath_date": "2025-10-06T18:57:42.558Z",
        "atl": 0.5, "atl_change_percentage": 1000.0, "atl_date": "2015-10-20T00:00:00.000Z",
        "last_updated": "2026-11-25T10:00:00.000Z"
    })
}

/// The 13 tracked coins, as CoinGecko would list them.
pub fn all_coins() -> Vec<Value> {
    neptu_shared::domain::crypto::COINS
        .iter()
        .enumerate()
        .map(|(i, c)| {
            coin(
                c.coingecko_id,
                &c.symbol.to_lowercase(),
                10.0 + i as f64,
                i as f64 - 5.0,
            )
        })
        .collect()
}

async fn markets(State(fake): State<Fake>) -> Response {
    if let Some(r) = fake.gate("markets").await {
        return r;
    }
    axum::Json(all_coins()).into_response()
}

async fn chart(
    State(fake): State<Fake>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = fake.gate("chart").await {
        return r;
    }
    // CoinGecko's answer for an id it does not know.
    if id.starts_with("no-such-") {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({ "error": "coin not found" })),
        )
            .into_response();
    }
    axum::Json(json!({ "prices": [[1_700_000_000_000_i64, 1.0]], "id": id, "days": q.get("days") }))
        .into_response()
}

async fn completions(State(fake): State<Fake>, axum::Json(body): axum::Json<Value>) -> Response {
    if let Some(r) = fake.gate("azure").await {
        return r;
    }
    fake.with(|u| u.writes.push(("completion".into(), 0, body)));
    let answer = fake.with(|u| u.azure_answer.clone());
    axum::Json(json!({ "choices": [{ "message": { "content": answer } }], "usage": { "total_tokens": 42 } }))
        .into_response()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer forum-key")
}

async fn forum_get(State(fake): State<Fake>, headers: HeaderMap, Path(path): Path<String>) -> Response {
    let endpoint: &'static str = match path.as_str() {
        "agents/status" => "status",
        "forum/posts" => "posts",
        "forum/me/posts" => "my_posts",
        "leaderboard" => "leaderboard",
        "my-project" => "my_project",
        "projects" => "projects",
        "forum/search" => "search",
        "projects/neptu" => "project_page",
        p if p.starts_with("forum/posts/") && p.ends_with("/comments") => "comments",
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if endpoint != "project_page" && !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if let Some(r) = fake.gate(endpoint).await {
        return r;
    }
    let u = fake.0.lock().unwrap();
    let body = match endpoint {
        "status" => json!({ "agent": { "id": 206, "name": "Neptu" }, "nextSteps": ["keep going"] }),
        "posts" => json!({ "posts": u.posts }),
        "my_posts" => json!({ "posts": u.my_posts }),
        "comments" => {
            let id: i64 = path.split('/').nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
            json!({ "comments": u.comments.get(&id).cloned().unwrap_or_default() })
        }
        "leaderboard" => {
            json!({ "leaderboard": [{ "rank": 4, "totalVotes": 9, "project": { "id": 360, "name": "Neptu", "slug": "neptu" } }] })
        }
        "my_project" => json!({ "project": { "id": 360, "name": "Neptu", "slug": "neptu" } }),
        "projects" => json!({ "projects": u.projects }),
        "search" => json!({ "results": [] }),
        _ => json!({ "project": { "id": 360, "name": "Neptu", "slug": "neptu", "humanUpvotes": 12,
            "agentUpvotes": 30, "ownerAgentName": "neptu", "ownerAgentClaim": { "xUsername": "sudiarth" } } }),
    };
    axum::Json(body).into_response()
}

async fn forum_post(
    State(fake): State<Fake>,
    headers: HeaderMap,
    Path(path): Path<String>,
    body: Option<axum::Json<Value>>,
) -> Response {
    if !authorized(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let parts: Vec<&str> = path.split('/').collect();
    let (endpoint, kind, id): (&'static str, &str, i64) = match parts.as_slice() {
        ["forum", "posts"] => ("create_post", "post", 0),
        ["forum", "posts", id, "comments"] => ("create_comment", "comment", id.parse().unwrap_or(0)),
        ["forum", "posts", id, "vote"] => ("vote_post", "vote", id.parse().unwrap_or(0)),
        ["projects", id, "vote"] => ("vote_project", "project_vote", id.parse().unwrap_or(0)),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    if let Some(r) = fake.gate(endpoint).await {
        return r;
    }
    let body = body.map(|b| b.0).unwrap_or(Value::Null);
    let mut u = fake.0.lock().unwrap();
    u.writes.push((kind.to_owned(), id, body.clone()));
    let new_id = 1000 + u.writes.len() as i64;
    match kind {
        "post" => {
            axum::Json(json!({ "post": { "id": new_id, "title": body["title"], "body": body["body"] } }))
                .into_response()
        }
        "comment" => axum::Json(json!({ "comment": { "id": new_id, "postId": id, "body": body["body"] } }))
            .into_response(),
        _ => axum::Json(json!({ "ok": true })).into_response(),
    }
}

/// Serves all three fake APIs. Base URLs: CoinGecko `/gecko/api/v3`, Azure `/azure`,
/// Colosseum `/colosseum/api`.
pub async fn start() -> (FakeServer, Fake) {
    let fake = Fake::default();
    fake.with(|u| u.azure_answer = "The stars favour a quiet start.".into());
    let router = Router::new()
        .route("/gecko/api/v3/coins/markets", get(markets))
        .route("/gecko/api/v3/coins/{id}/market_chart", get(chart))
        .route(
            "/azure/openai/deployments/test-model/chat/completions",
            post(completions),
        )
        .route("/colosseum/api/{*path}", get(forum_get).post(forum_post))
        .with_state(fake.clone());
    (FakeServer::start(router).await, fake)
}

/// Settings pointing every outside service at the fake.
pub fn settings_for(server: &FakeServer) -> Vec<(String, String)> {
    vec![
        ("COINGECKO_API_URL".into(), server.url("/gecko/api/v3")),
        ("AZURE_OPENAI_API_KEY".into(), "azure-key".into()),
        ("AZURE_OPENAI_ENDPOINT".into(), server.url("/azure")),
        ("AZURE_OPENAI_DEPLOYMENT".into(), "test-model".into()),
        ("COLOSSEUM_API_KEY".into(), "forum-key".into()),
        ("COLOSSEUM_API_URL".into(), server.url("/colosseum/api")),
    ]
}
