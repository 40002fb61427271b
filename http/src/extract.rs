//! Extractors whose rejections are our JSON errors: malformed input is always a 400 (413 for
//! an oversized body, 415 for a non-JSON content type), never a 500 or a plain-text reply.
//!
//! They are also the one place text input is checked for what Postgres cannot store: a NUL
//! character (`%00` in a path or query, `\u0000` in a JSON string or key) is a 400 validation
//! error naming the field, whatever the route, before any handler or query sees it.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use super::error::{ApiError, Issue};

/// A JSON body. An empty body reads as `{}` so that missing fields are reported one by one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(kind) = req.headers().get(header::CONTENT_TYPE) {
            let is_json = kind.to_str().is_ok_and(|k| {
                let essence = k.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            });
            if !is_json {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "Expected a JSON body (Content-Type: application/json)",
                ));
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
            } else {
                ApiError::bad_request("Could not read the request body")
            }
        })?;
        let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
            b"{}"
        } else {
            &bytes
        };
        if has_nul_escape(bytes) {
            return Err(nul_in_json(bytes));
        }
        let mut de = serde_json::Deserializer::from_slice(bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(json_error)?;
        // Anything after the JSON value (`{} trailing`) makes the body malformed.
        de.end().map_err(|_| malformed())?;
        Ok(Json(value))
    }
}

const NUL_MESSAGE: &str = "must not contain the NUL character (\\u0000)";

/// Whether the JSON text has a `\u0000` escape. A raw NUL byte is already malformed JSON,
/// and a backslash can only appear inside strings, so an escape starts wherever `u0000`
/// follows an odd run of backslashes (`\\u0000` is a backslash and the text "u0000").
fn has_nul_escape(bytes: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"u0000").map(|i| i + from) {
        let backslashes = bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 1 {
            return true;
        }
        from = at + 1;
    }
    false
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The validation error for a body with a NUL, naming the first string (or key) that has it.
fn nul_in_json(bytes: &[u8]) -> ApiError {
    fn locate(value: &serde_json::Value, path: &mut Vec<serde_json::Value>) -> bool {
        match value {
            serde_json::Value::String(s) => s.contains('\0'),
            serde_json::Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                path.push(i.into());
                locate(item, path) || {
                    path.pop();
                    false
                }
            }),
            serde_json::Value::Object(map) => map.iter().any(|(key, item)| {
                path.push(key.as_str().into());
                key.contains('\0') || locate(item, path) || {
                    path.pop();
                    false
                }
            }),
            _ => false,
        }
    }
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return malformed();
    };
    let mut path = Vec::new();
    locate(&value, &mut path);
    ApiError::validation(vec![Issue {
        path,
        message: NUL_MESSAGE.to_owned(),
    }])
}

fn nul_in(name: &str) -> ApiError {
    ApiError::validation(vec![Issue {
        path: vec![serde_json::Value::from(name)],
        message: NUL_MESSAGE.to_owned(),
    }])
}

fn json_error(error: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    use serde_json::error::Category;
    let path = segments(error.path());
    let inner = error.into_inner();
    match inner.classify() {
        Category::Syntax | Category::Eof | Category::Io => malformed(),
        Category::Data => ApiError::validation(vec![Issue {
            path,
            message: strip_position(&inner.to_string()),
        }]),
    }
}

/// `interests[1]` as `["interests", 1]`, the issue path format.
fn segments(path: &serde_path_to_error::Path) -> Vec<serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter()
        .filter_map(|segment| match segment {
            Segment::Seq { index } => Some(serde_json::Value::from(*index)),
            Segment::Map { key } => Some(serde_json::Value::from(key.as_str())),
            Segment::Enum { variant } => Some(serde_json::Value::from(variant.as_str())),
            Segment::Unknown => None,
        })
        .collect()
}

fn malformed() -> ApiError {
    ApiError::bad_request("Malformed JSON in request body")
}

/// A query string; a malformed one is a validation error naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        if let Some((name, _)) =
            form_urlencoded::parse(query.as_bytes()).find(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(nul_in(&name));
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(Query).map_err(|error| {
            let path = segments(error.path());
            ApiError::validation(vec![Issue {
                path,
                message: error.into_inner().to_string(),
            }])
        })
    }
}

/// Path parameters; a value of the wrong shape is a 400.
#[derive(Debug, Clone, Copy, Default)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = axum::extract::RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        if let Some((name, _)) = raw.iter().find(|(_, value)| value.contains('\0')) {
            return Err(nul_in(name));
        }
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Path(value))
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
    }
}

/// serde_json appends " at line 1 column 12", which means nothing to a client.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::{Body, to_bytes};
    use axum::response::IntoResponse;
    use serde::Deserialize;
    use serde_json::Value;

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Input {
        wallet_address: String,
        limit: Option<u32>,
    }

    async fn json(content_type: Option<&str>, body: &'static str) -> Result<Input, (StatusCode, Value)> {
        let mut req = Request::builder().method("POST").uri("/");
        if let Some(kind) = content_type {
            req = req.header(header::CONTENT_TYPE, kind);
        }
        let req = req.body(Body::from(body)).unwrap();
        match Json::<Input>::from_request(req, &()).await {
            Ok(Json(input)) => Ok(input),
            Err(e) => {
                let r = e.into_response();
                let status = r.status();
                let bytes = to_bytes(r.into_body(), 1 << 16).await.unwrap();
                Err((status, serde_json::from_slice(&bytes).unwrap()))
            }
        }
    }

    #[tokio::test]
    async fn json_rejections_are_400_json() {
        assert!(
            json(Some("application/json"), r#"{"walletAddress":"w"}"#)
                .await
                .is_ok()
        );
        assert!(json(None, r#"{"walletAddress":"w"}"#).await.is_ok());

        let (status, body) = json(Some("application/json"), "{not json").await.unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"], "Malformed JSON in request body");

        let (status, body) = json(Some("application/json"), "").await.unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(
            body["error"]["issues"][0]["message"],
            "missing field `walletAddress`"
        );

        let (_, body) = json(Some("application/json"), r#"{"walletAddress":"w","limit":-1}"#)
            .await
            .unwrap_err();
        assert_eq!(body["error"]["issues"][0]["path"], serde_json::json!(["limit"]));

        let (status, _) = json(Some("text/plain"), "{}").await.unwrap_err();
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let (status, _) = json(Some("application/json"), r#"{"walletAddress":"w"} trailing"#)
            .await
            .unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn nul_escapes_are_found_only_where_they_are_escapes() {
        assert!(has_nul_escape(br#"{"a":"x\u0000"}"#));
        assert!(
            has_nul_escape(br#"{"a":"\\\u0000"}"#),
            "an escaped backslash, then the escape"
        );
        assert!(
            !has_nul_escape(br#"{"a":"\\u0000"}"#),
            "a backslash and the text u0000"
        );
        assert!(!has_nul_escape(br#"{"a":"u0000","b":"\u0001"}"#));
    }

    #[tokio::test]
    async fn nul_characters_are_validation_errors_naming_the_field() {
        let (status, body) = json(
            Some("application/json"),
            r#"{"walletAddress":"w","x":[{"ok":"a"},{"name":"a\u0000b"}]}"#,
        )
        .await
        .unwrap_err();
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["name"], "ValidationError");
        assert_eq!(
            body["error"]["issues"][0]["path"],
            serde_json::json!(["x", 1, "name"])
        );

        let (mut parts, _) = Request::builder()
            .uri("/?walletAddress=a%00b")
            .body(())
            .unwrap()
            .into_parts();
        let err = Query::<Input>::from_request_parts(&mut parts, &())
            .await
            .unwrap_err();
        assert_eq!(err.status(), StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn query_rejections_name_the_parameter() {
        let (mut parts, _) = Request::builder()
            .uri("/?walletAddress=w&limit=abc")
            .body(())
            .unwrap()
            .into_parts();
        let err = Query::<Input>::from_request_parts(&mut parts, &())
            .await
            .unwrap_err();
        let r = err.into_response();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST);
        let body: Value = serde_json::from_slice(&to_bytes(r.into_body(), 1 << 16).await.unwrap()).unwrap();
        assert_eq!(body["error"]["issues"][0]["path"], serde_json::json!(["limit"]));

        let (mut parts, _) = Request::builder()
            .uri("/?walletAddress=w&limit=5")
            .body(())
            .unwrap()
            .into_parts();
        let Query(input) = Query::<Input>::from_request_parts(&mut parts, &()).await.unwrap();
        assert_eq!(input.limit, Some(5));
    }
}
