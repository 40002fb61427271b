//! Azure OpenAI chat completions: the oracle's answers and the forum agent's wording.

use async_trait::async_trait;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;

use super::http::{ClientError, ClientOptions, ClientStats, HttpClient, url_with_segments};
use crate::config::AzureOpenAiSettings;

const SERVICE: &str = "Azure OpenAI";
/// The answer budget the original used (`max_completion_tokens: 500`).
pub const MAX_COMPLETION_TOKENS: u32 = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub tokens_used: Option<u64>,
}

#[async_trait]
pub trait ChatModel: Send + Sync {
    /// One completion of a system and a user message.
    async fn complete(&self, system: &str, user: &str) -> Result<Completion, ClientError>;

    fn stats(&self) -> ClientStats;
}

pub struct AzureOpenAi {
    http: HttpClient,
    url: reqwest::Url,
    api_key: SecretString,
}

impl AzureOpenAi {
    /// `None` when the key, endpoint or deployment is missing: the oracle then answers 503.
    pub fn from_settings(
        settings: &AzureOpenAiSettings,
        options: ClientOptions,
    ) -> anyhow::Result<Option<Self>> {
        let (Some(api_key), Some(endpoint), Some(deployment)) =
            (&settings.api_key, &settings.endpoint, &settings.deployment)
        else {
            return Ok(None);
        };
        let mut url = url_with_segments(
            SERVICE,
            endpoint,
            &["openai", "deployments", deployment, "chat", "completions"],
        )
        .map_err(|_| anyhow::anyhow!("AZURE_OPENAI_ENDPOINT is not a usable URL"))?;
        url.query_pairs_mut()
            .append_pair("api-version", &settings.api_version);
        Ok(Some(Self {
            http: HttpClient::new(SERVICE, options)?,
            url,
            api_key: api_key.clone(),
        }))
    }
}

#[derive(Deserialize)]
struct Response {
    choices: Vec<Choice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct Choice {
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Message {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Usage {
    total_tokens: Option<u64>,
}

#[async_trait]
impl ChatModel for AzureOpenAi {
    async fn complete(&self, system: &str, user: &str) -> Result<Completion, ClientError> {
        let body = json!({
            "messages": [
                { "role": "system", "content": system },
                { "role": "user", "content": user },
            ],
            "max_completion_tokens": MAX_COMPLETION_TOKENS,
        });
        // Not retried: a completion costs money and a slow model would only get slower.
        let response: Response = self
            .http
            .json(false, |client| {
                client
                    .post(self.url.clone())
                    .header("api-key", self.api_key.expose_secret())
                    .json(&body)
            })
            .await?;
        let text = response
            .choices
            .into_iter()
            .next()
            .and_then(|c| c.message)
            .and_then(|m| m.content)
            .unwrap_or_default();
        Ok(Completion {
            text,
            tokens_used: response.usage.and_then(|u| u.total_tokens),
        })
    }

    fn stats(&self) -> ClientStats {
        self.http.stats()
    }
}
