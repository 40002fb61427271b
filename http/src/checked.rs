//! Input that must also satisfy rules of the domain: the query string or JSON body is read as
//! usual (a malformed one is a 400 naming the field), then its [`Rules`] turn it into what the
//! handler uses, or into one validation 400 listing every issue. The rules themselves live in
//! `neptu_shared::domain` (see docs/architecture.md, "Where each kind of rule lives"); an
//! implementation of [`Rules`] only hands the input to them. Both binaries' routes use these.

use crate::error::{ApiError, Issue};
use crate::extract::{Json, Query};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// What the domain makes of an input, or what is wrong with it.
pub trait Rules: Sized {
    /// The checked value the handler receives (a page request, a change to store).
    type Checked;
    fn check(self) -> Result<Self::Checked, Vec<Issue>>;
}

/// A query string `T`, checked by its rules.
pub struct CheckedQuery<T: Rules>(pub T::Checked);

impl<S, T> FromRequestParts<S> for CheckedQuery<T>
where
    T: Rules + DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Query(query) = Query::<T>::from_request_parts(parts, state).await?;
        query.check().map(Self).map_err(ApiError::validation)
    }
}

/// A JSON body `T`, checked by its rules.
pub struct CheckedJson<T: Rules>(pub T::Checked);

impl<S, T> FromRequest<S> for CheckedJson<T>
where
    T: Rules + DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let Json(body) = Json::<T>::from_request(req, state).await?;
        body.check().map(Self).map_err(ApiError::validation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::response::IntoResponse;
    use serde::Deserialize;
    use serde_json::{Value, json};

    #[derive(Deserialize)]
    struct Limit {
        limit: i64,
    }

    impl Rules for Limit {
        type Checked = i64;

        fn check(self) -> Result<i64, Vec<Issue>> {
            if self.limit > 0 {
                Ok(self.limit)
            } else {
                Err(vec![Issue::new("limit", "must be 1 or more")])
            }
        }
    }

    async fn body_of(error: ApiError) -> Value {
        let response = error.into_response();
        serde_json::from_slice(&to_bytes(response.into_body(), 1 << 16).await.unwrap()).unwrap()
    }

    #[tokio::test]
    async fn the_rules_decide_after_the_shape() {
        let (mut parts, _) = Request::builder().uri("/?limit=5").body(()).unwrap().into_parts();
        let CheckedQuery(limit) = CheckedQuery::<Limit>::from_request_parts(&mut parts, &())
            .await
            .unwrap();
        assert_eq!(limit, 5);

        let (mut parts, _) = Request::builder().uri("/?limit=0").body(()).unwrap().into_parts();
        let Err(error) = CheckedQuery::<Limit>::from_request_parts(&mut parts, &()).await else {
            panic!("a limit of 0 passed its rules");
        };
        let body = body_of(error).await;
        assert_eq!(
            body["error"]["issues"],
            json!([{"path": ["limit"], "message": "must be 1 or more"}])
        );

        let request = Request::builder().body(Body::from(r#"{"limit":-1}"#)).unwrap();
        let Err(error) = CheckedJson::<Limit>::from_request(request, &()).await else {
            panic!("a limit of -1 passed its rules");
        };
        assert_eq!(body_of(error).await["error"]["name"], "ValidationError");

        // A malformed shape is the extractor's own 400, before any rule runs.
        let request = Request::builder().body(Body::from(r#"{"limit":"x"}"#)).unwrap();
        let Err(error) = CheckedJson::<Limit>::from_request(request, &()).await else {
            panic!("a string limit was read");
        };
        assert_eq!(
            body_of(error).await["error"]["issues"][0]["path"],
            json!(["limit"])
        );
    }
}
