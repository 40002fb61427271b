//! The worker's OpenAPI document: its title, tags and sign-in scheme. `neptu_http::docs`
//! serves it at `GET /openapi.json` with the reference page at `GET /docs`.

use neptu_http::docs::BearerAuth;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Neptu Worker",
        description = "The worker's own routes: the AI oracle, crypto market readings and the chart proxy, \
                       stored daily readings, forum stats and (admins) the job schedules. Admin routes \
                       take the API's access token: `Authorization: Bearer <accessToken>`.",
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "oracle", description = "The AI oracle; fresh answers count against an hourly quota"),
        (name = "crypto", description = "Tracked coins, their market data and cosmic readings, the chart proxy"),
        (name = "daily", description = "Stored daily readings"),
        (name = "colosseum", description = "Forum stats of the project"),
        (name = "jobs", description = "Job schedules and runs (admin only)"),
        (name = "probes", description = "Liveness, readiness and what answers here"),
    )
)]
pub struct WorkerDoc;
