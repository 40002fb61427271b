//! The forum heartbeat phases against a fake Colosseum: what is written, that nothing is
//! written twice, that the slot decides the sub-phases, and what happens when things fail.

use deadpool_redis::redis;
use neptu_shared::testing::{PrivateRedis, closed_port};
use serde_json::{Value, json};

use crate::fakes::Answer;
use crate::harness::{self, TestWorker, slot};

fn post(id: i64, agent_id: i64, agent: &str, title: &str, body: &str, extra: Value) -> Value {
    let mut post = json!({ "id": id, "agentId": agent_id, "agentName": agent, "title": title, "body": body,
        "tags": [], "score": 0, "commentCount": 0, "createdAt": "2026-11-20T00:00:00Z" });
    if let (Some(post), Some(extra)) = (post.as_object_mut(), extra.as_object()) {
        post.extend(extra.clone());
    }
    post
}

fn comment(id: i64, agent_id: i64, agent: &str, body: &str) -> Value {
    json!({ "id": id, "postId": 1, "agentId": agent_id, "agentName": agent, "body": body })
}

async fn forum_worker(overrides: &[(&str, &str)]) -> TestWorker {
    let w = harness::spawn_with(overrides).await;
    w.fake.with(|u| {
        u.my_posts = vec![post(1, 206, "Neptu", "Neptu is live", "hello", json!({}))];
        u.comments.insert(
            1,
            vec![
                comment(11, 7, "Fan", "How does the calendar work?"),
                comment(12, 206, "Neptu", "our own comment"),
                comment(13, 8, "Bday", "BIRTHDAY: 1990-05-15 please!"),
            ],
        );
        u.posts = vec![
            post(21, 8, "Builder", "Our demo is live", "code on github", json!({ "tags": ["defi"], "score": 5, "createdAt": "2026-11-25T08:30:00Z" })),
            post(22, 206, "neptu", "Ours", "mine", json!({})),
            post(23, 9, "Spammer", "Airdrop now", "free giveaway", json!({ "createdAt": "2026-11-25T09:00:00Z" })),
        ];
        u.projects = vec![
            json!({ "id": 360, "name": "Neptu", "slug": "neptu", "status": "submitted", "repoLink": "r" }),
            json!({ "id": 5, "name": "Good", "slug": "good", "status": "submitted", "repoLink": "https://github.com/x" }),
            json!({ "id": 6, "name": "Draft", "slug": "draft", "status": "draft", "repoLink": "https://github.com/y" }),
            json!({ "id": 7, "name": "Empty", "slug": "empty", "status": "submitted", "description": "an idea" }),
        ];
    });
    w
}

#[tokio::test]
async fn replies_answer_each_new_comment_once() {
    let w = forum_worker(&[]).await;
    w.run_job("forum_replies", slot(9, 3)).await.unwrap();
    let replies = w.fake.writes("comment");
    assert_eq!(replies.len(), 2, "{replies:?}");
    assert!(replies.iter().all(|(post, _)| *post == 1));
    let bodies: Vec<&str> = replies.iter().map(|(_, b)| b["body"].as_str().unwrap()).collect();
    assert!(
        bodies.contains(&"The stars favour a quiet start."),
        "model wording for the question"
    );
    assert!(
        bodies
            .iter()
            .any(|b| b.starts_with("@Bday your Balinese birth reading") && b.contains("MERAKIH"))
    );
    for id in [11, 13] {
        assert!(w.cache().get(&format!("replied_comment:{id}")).await.is_some());
        assert!(w.cache().get(&format!("processed_comment:{id}")).await.is_some());
    }
    assert!(
        w.cache().get("replied_comment:12").await.is_none(),
        "our own comment"
    );

    let run = w.run_row("forum_replies", slot(9, 3)).await;
    assert_eq!(run.status, "succeeded");
    let tasks = &run.outcome.unwrap()["tasks"];
    assert_eq!(tasks[1]["name"], "reply_comments");
    assert_eq!(tasks[1]["result"]["repliesPosted"], 2);
    let heartbeat: Value = serde_json::from_str(&w.cache().get("last_heartbeat").await.unwrap()).unwrap();
    assert_eq!(heartbeat["phases"], json!(["reply_comments"]));
    let analytics: Value =
        serde_json::from_str(&w.cache().get("analytics:2026-11-25").await.unwrap()).unwrap();
    assert_eq!(analytics["comment_posted"]["total"], 2);

    // The next slot finds nothing new.
    w.run_job("forum_replies", slot(9, 6)).await.unwrap();
    assert_eq!(w.fake.writes("comment").len(), 2);
    w.stop().await;
}

#[tokio::test]
async fn the_comments_slot_votes_only_on_quarter_hours() {
    let w = forum_worker(&[]).await;
    w.run_job("forum_comments", slot(9, 5)).await.unwrap();
    let commented: Vec<i64> = w.fake.writes("comment").iter().map(|(post, _)| *post).collect();
    assert_eq!(commented.len(), 2);
    assert!(commented.contains(&21) && commented.contains(&23) && !commented.contains(&22));
    assert!(w.fake.writes("vote").is_empty(), ":05 is not a voting slot");

    w.run_job("forum_comments", slot(9, 15)).await.unwrap();
    assert_eq!(w.fake.writes("comment").len(), 2, "never twice on a thread");
    let votes: Vec<i64> = w.fake.writes("vote").iter().map(|(post, _)| *post).collect();
    assert_eq!(votes, vec![21], "the fresh demo post, not our own, not the spam");
    let projects: Vec<i64> = w.fake.writes("project_vote").iter().map(|(id, _)| *id).collect();
    assert_eq!(
        projects,
        vec![5],
        "submitted with a repository; not ours, not drafts, not empty"
    );
    assert_eq!(w.cache().get("my_project_id").await.as_deref(), Some("360"));
    assert_eq!(w.cache().get("total_votes_given").await.as_deref(), Some("2"));

    w.run_job("forum_comments", slot(9, 30)).await.unwrap();
    assert_eq!(w.fake.writes("vote").len(), 1, "a post is voted once");
    assert_eq!(w.fake.writes("project_vote").len(), 1);
    w.stop().await;
}

#[tokio::test]
async fn without_the_model_comments_use_the_templates() {
    let w = forum_worker(&[("AZURE_OPENAI_API_KEY", "")]).await;
    w.run_job("forum_comments", slot(9, 5)).await.unwrap();
    for (_, body) in w.fake.writes("comment") {
        assert!(
            body["body"]
                .as_str()
                .unwrap()
                .contains("Cosmic timing note from Neptu"),
            "{body}"
        );
    }
    assert_eq!(w.fake.hits("azure"), 0);
    w.stop().await;

    // A failing model falls back the same way.
    let w = forum_worker(&[]).await;
    w.fake
        .script("azure", vec![Answer::Status(500), Answer::Malformed]);
    w.run_job("forum_comments", slot(9, 5)).await.unwrap();
    let bodies = w.fake.writes("comment");
    assert_eq!(bodies.len(), 2);
    assert!(
        bodies
            .iter()
            .all(|(_, b)| b["body"].as_str().unwrap().contains("Cosmic timing note"))
    );
    w.stop().await;
}

#[tokio::test]
async fn posts_introduce_once_then_report_the_market() {
    let w = forum_worker(&[]).await;
    w.run_job("forum_posts", slot(9, 10)).await.unwrap();
    let posts = w.fake.writes("post");
    assert_eq!(posts.len(), 1, "only the introduction: no market data yet");
    let intro_id = w.cache().get("intro_post_id").await.expect("kept");
    assert_ne!(intro_id, "pending");

    w.run_job("market_refresh", slot(9, 11)).await.unwrap();
    w.run_job("forum_posts", slot(9, 20)).await.unwrap();
    let titles: Vec<String> = w
        .fake
        .writes("post")
        .iter()
        .map(|(_, b)| b["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles.len(), 3, "{titles:?}");
    assert!(titles[1].starts_with("Market mood 2026-11-25"));
    assert!(
        titles[2].starts_with("Market mover: AVAX"),
        "the largest 24 h move: {}",
        titles[2]
    );
    assert!(w.cache().get("sentiment:2026-11-25:9").await.is_some());
    assert!(w.cache().get("last_sentiment_report").await.is_some());
    // :20 also ran other activity: the birthday request got its reading.
    let run = w.run_row("forum_posts", slot(9, 20)).await;
    let phases = run.outcome.unwrap()["phases"].clone();
    assert_eq!(phases, json!(["post_thread", "other_activity"]));
    assert!(
        w.fake
            .writes("comment")
            .iter()
            .any(|(_, b)| b["body"].as_str().unwrap().contains("MERAKIH"))
    );

    // Throttled: another market report waits six hours.
    w.run_job("forum_posts", slot(9, 30)).await.unwrap();
    assert_eq!(w.fake.writes("post").len(), 3);
    w.stop().await;
}

#[tokio::test]
async fn a_failing_forum_fails_the_run_and_leaves_no_claim_behind() {
    let w = forum_worker(&[]).await;
    w.fake.script("create_comment", vec![Answer::Status(502); 10]);
    let error = w.run_job("forum_comments", slot(9, 5)).await.unwrap_err();
    assert!(error.contains("Colosseum returned 502"), "{error}");
    let run = w.run_row("forum_comments", slot(9, 5)).await;
    assert_eq!((run.status.as_str(), run.attempts), ("retrying", 1));
    assert!(
        w.cache().get("commented_post:21").await.is_none(),
        "the claim was given back"
    );
    assert!(w.cache().get("commented_post:23").await.is_none());

    // Once the forum answers again the retry does the work.
    w.fake.script("create_comment", vec![]);
    w.attempt("forum_comments", slot(9, 5)).await.unwrap();
    assert_eq!(w.fake.writes("comment").len(), 2);
    w.stop().await;
}

#[tokio::test]
async fn without_a_cache_the_forum_does_nothing_rather_than_repeat_itself() {
    let down = format!("redis://{}", closed_port());
    let w = forum_worker(&[("REDIS_URL", &down)]).await;
    let error = w.run_job("forum_replies", slot(9, 3)).await.unwrap_err();
    assert!(error.contains("cache is unavailable"), "{error}");
    assert!(w.fake.writes("comment").is_empty());
    w.stop().await;
}

/// With the default `CACHE_PREFIX` the heartbeat's keys are the original's own names, so the
/// markers the original left are honoured and ours are what it would read. Checked in a Redis
/// of this test's own, where every key can be listed and the real names used.
#[tokio::test]
async fn dedup_markers_are_kept_under_the_originals_key_names() {
    let redis = PrivateRedis::start().await;
    let url = redis.url("127.0.0.1");
    let client = redis::Client::open(url.as_str()).unwrap();
    let mut raw = client.get_multiplexed_async_connection().await.unwrap();
    // As the original left them: comment 11 answered, thread 21 commented on.
    for key in ["neptu:replied_comment:11", "neptu:commented_post:21"] {
        let _: () = redis::cmd("SET")
            .arg(key)
            .arg("1")
            .query_async(&mut raw)
            .await
            .unwrap();
    }

    // An empty value unsets the harness's test prefix: the default applies.
    let w = forum_worker(&[("REDIS_URL", &url), ("CACHE_PREFIX", "")]).await;
    w.run_job("forum_replies", slot(9, 3)).await.unwrap();
    let replies = w.fake.writes("comment");
    assert_eq!(replies.len(), 1, "only comment 13 is new: {replies:?}");
    assert!(replies[0].1["body"].as_str().unwrap().starts_with("@Bday"));
    w.run_job("forum_comments", slot(9, 5)).await.unwrap();
    let commented: Vec<i64> = w.fake.writes("comment")[1..]
        .iter()
        .map(|(post, _)| *post)
        .collect();
    assert_eq!(commented, vec![23], "thread 21 was commented on before");

    let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query_async(&mut raw).await.unwrap();
    keys.sort();
    for key in [
        "neptu:replied_comment:13",
        "neptu:processed_comment:13",
        "neptu:commented_post:23",
        "neptu:last_heartbeat",
    ] {
        assert!(keys.iter().any(|k| k == key), "{key} missing from {keys:?}");
    }
    assert!(
        keys.iter()
            .all(|k| k.starts_with("neptu:") && !k.starts_with("neptu:neptu:")),
        "{keys:?}"
    );
    w.stop().await;
}
