use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use neptu_shared::clients::ClientError;
use neptu_shared::clients::colosseum::{Colosseum, Forum, Sort};
use neptu_shared::config::ColosseumSettings;
use neptu_shared::testing::FakeServer;
use secrecy::SecretString;
use serde_json::{Value, json};

use crate::{Hits, options};

fn client(server: &FakeServer, key: Option<&str>) -> Colosseum {
    let settings = ColosseumSettings {
        api_key: key.map(|k| SecretString::from(k.to_owned())),
        api_url: server.url("/api"),
        agent_id: "206".into(),
        agent_name: "Neptu".into(),
    };
    Colosseum::new(&settings, options()).unwrap()
}

fn authorized(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer forum-key")
}

#[tokio::test]
async fn reads_posts_and_comments_with_the_key() {
    let router = Router::new()
        .route(
            "/api/forum/posts",
            get(|headers: HeaderMap, axum::extract::RawQuery(q): axum::extract::RawQuery| async move {
                assert!(authorized(&headers));
                assert_eq!(q.as_deref(), Some("sort=new&limit=60"));
                axum::Json(json!({ "posts": [
                    { "id": 7, "agentId": 12, "agentName": "Other", "title": "Hello", "body": "b",
                      "tags": ["defi"], "score": 4, "commentCount": 0, "createdAt": "2026-11-25T10:00:00Z",
                      "upvotes": 4, "isDeleted": false }
                ]}))
            }),
        )
        .route(
            "/api/forum/posts/{id}/comments",
            get(|Path(id): Path<i64>| async move {
                axum::Json(json!({ "comments": [{ "id": 99, "postId": id, "agentId": 3, "agentName": "Fan", "body": "hi" }] }))
            }),
        );
    let server = FakeServer::start(router).await;
    let forum = client(&server, Some("forum-key"));
    assert!(forum.configured());
    let posts = forum.posts(Sort::New, 60).await.unwrap();
    assert_eq!(posts[0].id, 7);
    assert_eq!(posts[0].tags, vec!["defi"]);
    assert_eq!(posts[0].comment_count, 0);
    let comments = forum.comments(7, 50).await.unwrap();
    assert_eq!((comments[0].id, comments[0].post_id), (99, Some(7)));
}

#[tokio::test]
async fn without_a_key_only_the_public_project_page_is_called() {
    let hits = Hits::default();
    let router = Router::new()
        .route(
            "/api/projects/{slug}",
            get(
                |State(hits): State<Hits>, headers: HeaderMap, Path(slug): Path<String>| async move {
                    hits.add();
                    assert!(headers.get("authorization").is_none());
                    axum::Json(json!({ "project": { "id": 360, "name": "Neptu", "slug": slug,
                    "humanUpvotes": 10, "agentUpvotes": 5, "ownerAgentName": "neptu",
                    "ownerAgentClaim": { "xUsername": "sudiarth" } }, "teamMembers": [] }))
                },
            ),
        )
        .with_state(hits.clone());
    let server = FakeServer::start(router).await;
    let forum = client(&server, None);
    assert!(!forum.configured());
    assert_eq!(
        forum.my_posts(5).await,
        Err(ClientError::NotConfigured("Colosseum"))
    );
    let project = forum.project("neptu").await.unwrap();
    assert_eq!(
        (project.id, project.human_upvotes, project.agent_upvotes),
        (360, 10, 5)
    );
    assert_eq!(
        project.owner_agent_claim.unwrap().x_username.as_deref(),
        Some("sudiarth")
    );
    assert_eq!(hits.get(), 1);
}

/// Comment hits, vote hits, vote bodies.
type VoteState = (Hits, Hits, Arc<Mutex<Vec<Value>>>);

#[tokio::test]
async fn posting_is_never_retried_but_voting_is() {
    let comment_hits = Hits::default();
    let vote_hits = Hits::default();
    let bodies = Arc::new(Mutex::new(Vec::<Value>::new()));
    let router = Router::new()
        .route(
            "/api/forum/posts/{id}/comments",
            post(|State((hits, _, _)): State<VoteState>| async move {
                hits.add();
                StatusCode::BAD_GATEWAY
            }),
        )
        .route(
            "/api/forum/posts/{id}/vote",
            post(
                |State((_, hits, bodies)): State<VoteState>, axum::Json(body): axum::Json<Value>| async move {
                    bodies.lock().unwrap().push(body);
                    if hits.add() == 1 {
                        StatusCode::SERVICE_UNAVAILABLE.into_response()
                    } else {
                        axum::Json(json!({ "ok": true })).into_response()
                    }
                },
            ),
        )
        .with_state((comment_hits.clone(), vote_hits.clone(), Arc::clone(&bodies)));
    let server = FakeServer::start(router).await;
    let forum = client(&server, Some("forum-key"));
    assert_eq!(
        forum.create_comment(7, "hello").await.unwrap_err().status(),
        Some(502)
    );
    assert_eq!(
        comment_hits.get(),
        1,
        "a lost answer must not become a double comment"
    );
    forum.vote_post(7).await.unwrap();
    assert_eq!(vote_hits.get(), 2);
    assert_eq!(bodies.lock().unwrap()[0], json!({ "value": 1 }));
}

#[tokio::test]
async fn leaderboard_accepts_either_name() {
    let router = Router::new().route(
        "/api/leaderboard",
        get(|| async {
            axum::Json(json!({ "entries": [{ "rank": 1, "totalVotes": 9,
                "project": { "id": 1, "name": "Top", "slug": "top" } }] }))
        }),
    );
    let server = FakeServer::start(router).await;
    let board = client(&server, Some("forum-key")).leaderboard().await.unwrap();
    assert_eq!((board[0].rank, board[0].project.slug.as_str()), (1, "top"));
}
