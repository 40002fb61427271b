//! Colosseum agents API: the forum the heartbeat jobs act on, and the project stats the web
//! app shows. Authenticated with `Authorization: Bearer COLOSSEUM_API_KEY`; the project page
//! (`GET /projects/{slug}`) is public and works without a key.

mod types;

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};

pub use self::types::{ForumComment, ForumPost, LeaderboardEntry, OwnerClaim, Project, SearchHit};
use super::http::{ClientError, ClientOptions, ClientStats, HttpClient, url_with_segments, with_query};
use crate::config::ColosseumSettings;

const SERVICE: &str = "Colosseum";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    Hot,
    New,
    Top,
}

impl Sort {
    fn as_str(self) -> &'static str {
        match self {
            Sort::Hot => "hot",
            Sort::New => "new",
            Sort::Top => "top",
        }
    }
}

#[async_trait]
pub trait Forum: Send + Sync {
    /// Whether an API key is configured (every call but [`Forum::project`] needs one).
    fn configured(&self) -> bool;
    async fn status(&self) -> Result<Value, ClientError>;
    async fn posts(&self, sort: Sort, limit: u32) -> Result<Vec<ForumPost>, ClientError>;
    async fn my_posts(&self, limit: u32) -> Result<Vec<ForumPost>, ClientError>;
    async fn comments(&self, post_id: i64, limit: u32) -> Result<Vec<ForumComment>, ClientError>;
    async fn create_post(&self, title: &str, body: &str, tags: &[&str]) -> Result<ForumPost, ClientError>;
    async fn create_comment(&self, post_id: i64, body: &str) -> Result<ForumComment, ClientError>;
    async fn vote_post(&self, post_id: i64) -> Result<(), ClientError>;
    async fn search(&self, query: &str, limit: u32) -> Result<Vec<SearchHit>, ClientError>;
    async fn leaderboard(&self) -> Result<Vec<LeaderboardEntry>, ClientError>;
    async fn my_project(&self) -> Result<Project, ClientError>;
    async fn projects(&self) -> Result<Vec<Project>, ClientError>;
    async fn vote_project(&self, project_id: i64) -> Result<(), ClientError>;
    /// A project's public page; no key needed.
    async fn project(&self, slug: &str) -> Result<Project, ClientError>;
    fn stats(&self) -> ClientStats;
}

pub struct Colosseum {
    http: HttpClient,
    base: String,
    api_key: Option<SecretString>,
}

impl Colosseum {
    pub fn new(settings: &ColosseumSettings, options: ClientOptions) -> anyhow::Result<Self> {
        Ok(Self {
            http: HttpClient::new(SERVICE, options)?,
            base: settings.api_url.clone(),
            api_key: settings.api_key.clone(),
        })
    }

    fn url(&self, segments: &[&str]) -> Result<reqwest::Url, ClientError> {
        url_with_segments(SERVICE, &self.base, segments)
    }

    fn key(&self) -> Result<&str, ClientError> {
        self.api_key
            .as_ref()
            .map(|k| k.expose_secret())
            .ok_or(ClientError::NotConfigured(SERVICE))
    }

    async fn get<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        query: &[(&str, &str)],
    ) -> Result<T, ClientError> {
        let (url, key) = (with_query(self.url(segments)?, query), self.key()?);
        self.http
            .json(true, |client| client.get(url.clone()).bearer_auth(key))
            .await
    }

    async fn post<T: serde::de::DeserializeOwned>(
        &self,
        segments: &[&str],
        body: &Value,
    ) -> Result<T, ClientError> {
        let (url, key) = (self.url(segments)?, self.key()?);
        // Creating content is not idempotent: a retry after a lost answer could post twice.
        self.http
            .json(false, |client| {
                client.post(url.clone()).bearer_auth(key).json(body)
            })
            .await
    }

    async fn vote(&self, segments: &[&str], body: Option<Value>) -> Result<(), ClientError> {
        let (url, key) = (self.url(segments)?, self.key()?);
        // A vote sets state (voting twice is one vote), so it may be retried.
        self.http
            .send_only(true, |client| {
                let request = client.post(url.clone()).bearer_auth(key);
                match &body {
                    Some(body) => request.json(body),
                    None => request,
                }
            })
            .await
    }
}

#[async_trait]
impl Forum for Colosseum {
    fn configured(&self) -> bool {
        self.api_key.is_some()
    }

    async fn status(&self) -> Result<Value, ClientError> {
        self.get(&["agents", "status"], &[]).await
    }

    async fn posts(&self, sort: Sort, n: u32) -> Result<Vec<ForumPost>, ClientError> {
        let n = n.to_string();
        let query = [("sort", sort.as_str()), ("limit", n.as_str())];
        Ok(self.get::<types::Posts>(&["forum", "posts"], &query).await?.posts)
    }

    async fn my_posts(&self, n: u32) -> Result<Vec<ForumPost>, ClientError> {
        let n = n.to_string();
        let query = [("sort", "new"), ("limit", n.as_str())];
        Ok(self
            .get::<types::Posts>(&["forum", "me", "posts"], &query)
            .await?
            .posts)
    }

    async fn comments(&self, post_id: i64, n: u32) -> Result<Vec<ForumComment>, ClientError> {
        let (id, n) = (post_id.to_string(), n.to_string());
        let query = [("sort", "new"), ("limit", n.as_str())];
        Ok(self
            .get::<types::Comments>(&["forum", "posts", &id, "comments"], &query)
            .await?
            .comments)
    }

    async fn create_post(&self, title: &str, body: &str, tags: &[&str]) -> Result<ForumPost, ClientError> {
        let payload = json!({ "title": title, "body": body, "tags": tags });
        Ok(self
            .post::<types::OnePost>(&["forum", "posts"], &payload)
            .await?
            .post)
    }

    async fn create_comment(&self, post_id: i64, body: &str) -> Result<ForumComment, ClientError> {
        let id = post_id.to_string();
        let payload = json!({ "body": body });
        Ok(self
            .post::<types::OneComment>(&["forum", "posts", &id, "comments"], &payload)
            .await?
            .comment)
    }

    async fn vote_post(&self, post_id: i64) -> Result<(), ClientError> {
        let id = post_id.to_string();
        self.vote(&["forum", "posts", &id, "vote"], Some(json!({ "value": 1 })))
            .await
    }

    async fn search(&self, query: &str, n: u32) -> Result<Vec<SearchHit>, ClientError> {
        let n = n.to_string();
        let params = [("q", query), ("limit", n.as_str())];
        Ok(self
            .get::<types::SearchResults>(&["forum", "search"], &params)
            .await?
            .results)
    }

    async fn leaderboard(&self) -> Result<Vec<LeaderboardEntry>, ClientError> {
        Ok(self
            .get::<types::Leaderboard>(&["leaderboard"], &[])
            .await?
            .leaderboard)
    }

    async fn my_project(&self) -> Result<Project, ClientError> {
        Ok(self.get::<types::OneProject>(&["my-project"], &[]).await?.project)
    }

    async fn projects(&self) -> Result<Vec<Project>, ClientError> {
        Ok(self.get::<types::Projects>(&["projects"], &[]).await?.projects)
    }

    async fn vote_project(&self, project_id: i64) -> Result<(), ClientError> {
        let id = project_id.to_string();
        self.vote(&["projects", &id, "vote"], None).await
    }

    async fn project(&self, slug: &str) -> Result<Project, ClientError> {
        let url = self.url(&["projects", slug])?;
        let found: types::OneProject = self.http.json(true, |client| client.get(url.clone())).await?;
        Ok(found.project)
    }

    fn stats(&self) -> ClientStats {
        self.http.stats()
    }
}
