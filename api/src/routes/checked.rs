//! Input that must also satisfy rules of the domain: the query string or JSON body is read as
//! usual (a malformed one is a 400 naming the field), then its [`Rules`] turn it into what the
//! handler uses, or into one validation 400 listing every issue. The rules themselves live in
//! `neptu_shared::domain` (see docs/architecture.md, "Where each kind of rule lives"); an
//! implementation of [`Rules`] only hands the input to them.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use neptu_http::{ApiError, Issue, Json, Query};
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
