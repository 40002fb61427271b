//! The middleware of every `/api/v1` route: key, scope, subscription, rate limit, credit,
//! then the handler, then the usage row (see the module doc of `metered`).

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use neptu_http::client_ip::client_ip;
use neptu_shared::db::api_subscriptions::CreditKind;
use neptu_shared::domain::enums::ApiScope;

use super::credits::SpendError;
use super::usage::Call;
use super::{MeterError, Metering, keys};

/// Longest user agent stored.
const USER_AGENT_MAX: usize = 512;

/// What a group of routes requires and spends.
#[derive(Clone)]
pub struct Meter {
    pub metering: Metering,
    pub scope: ApiScope,
    pub kind: CreditKind,
}

pub async fn meter(State(meter): State<Meter>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let m = &meter.metering;
    let grant = match keys::authenticate(&m.keys, &m.db, &m.hasher, request.headers()).await {
        Ok(grant) => grant,
        Err(error) => return error.into_response(),
    };
    if !grant.scopes.contains(&meter.scope) {
        return MeterError::Forbidden(format!(
            "Insufficient permissions. Required: {}",
            meter.scope.as_str()
        ))
        .into_response();
    }
    let (Some(subscription), Some(rate_limit)) = (grant.subscription_id, grant.rate_limit) else {
        return MeterError::NoSubscription.into_response();
    };
    let standing = m
        .limits
        .count(&*m.cache, grant.id, rate_limit.max(1) as u32)
        .await;
    if let Some(retry_after) = standing.and_then(|s| s.retry_after) {
        metrics::counter!("rate_limit_rejected_total", "tier" => "v1").increment(1);
        let mut response = MeterError::RateLimited { retry_after }.into_response();
        standing.inspect(|s| s.set_headers(response.headers_mut()));
        return response;
    }
    let unlimited = match meter.kind {
        CreditKind::Basic => grant.unlimited_basic,
        CreditKind::Ai => grant.unlimited_ai,
    };
    let charged = unlimited != Some(true);
    if charged && let Err(error) = m.credits.spend(subscription, meter.kind).await {
        let error = match error {
            SpendError::Exhausted(remaining) => MeterError::InsufficientCredits(remaining),
            SpendError::Database(error) => MeterError::Database(error),
        };
        let mut response = error.into_response();
        standing.inspect(|s| s.set_headers(response.headers_mut()));
        return response;
    }

    let endpoint = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| request.uri().path().to_owned(), |p| p.as_str().to_owned());
    let method = request.method().as_str().to_owned();
    let ip = client_ip(request.headers(), request.extensions(), m.trust_proxy);
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(USER_AGENT_MAX).collect());

    // Until the answer is recorded, a dropped call (the client hung up mid-request) gets its
    // credit back.
    let mut charge = Charge {
        metering: m,
        subscription,
        kind: meter.kind,
        pending: charged,
    };
    let mut response = next.run(request).await;

    let status = response.status();
    // A failure of ours costs nothing.
    let refunded = charged && status.is_server_error();
    // The row may wait for room in the usage buffer; a call dropped while it waits has no
    // row, so it keeps its credit too (the charge is settled only once the row is queued).
    m.usage
        .record(Call {
            api_key_id: grant.id,
            endpoint,
            method,
            credits_used: i32::from(charged && !refunded),
            is_ai_endpoint: meter.kind == CreditKind::Ai,
            response_status: status.as_u16() as i16,
            response_time_ms: started.elapsed().as_millis().min(i32::MAX as u128) as i32,
            ip_address: Some(ip),
            user_agent,
            created_at: chrono::Utc::now(),
        })
        .await;
    if !refunded {
        charge.pending = false;
    }
    drop(charge);
    standing.inspect(|s| s.set_headers(response.headers_mut()));
    response
}

/// A credit spent on a call still running; given back when dropped while `pending`.
struct Charge<'a> {
    metering: &'a Metering,
    subscription: uuid::Uuid,
    kind: CreditKind,
    pending: bool,
}

impl Drop for Charge<'_> {
    fn drop(&mut self) {
        if self.pending {
            self.metering.credits.refund(self.subscription, self.kind);
        }
    }
}
