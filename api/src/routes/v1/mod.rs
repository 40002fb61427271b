//! `/api/v1/*`: the public API metered by developer keys (`Authorization: Bearer nptu_…`).
//! Readings need scope `neptu:read` and spend a credit; the oracle needs `neptu:ai` and spends
//! an AI credit. Every route goes through `metered::layer::meter`; none is counted by the
//! per-address limiter (each key has its plan's limit instead).

mod oracle;
mod reading;

use axum::middleware::from_fn_with_state;
use neptu_shared::domain::developer::CreditKind;
use neptu_shared::domain::enums::ApiScope;
use utoipa_axum::router::OpenApiRouter;

use crate::metered::Metering;
use crate::metered::layer::{Meter, meter};
use crate::state::AppState;

pub fn routes(metering: &Metering) -> OpenApiRouter<AppState> {
    let layer = |scope, kind| {
        from_fn_with_state(
            Meter {
                metering: metering.clone(),
                scope,
                kind,
            },
            meter,
        )
    };
    OpenApiRouter::new()
        .merge(reading::routes().route_layer(layer(ApiScope::Read, CreditKind::Basic)))
        .merge(oracle::routes().route_layer(layer(ApiScope::Ai, CreditKind::Ai)))
}
