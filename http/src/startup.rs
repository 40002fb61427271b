//! The start-up steps both binaries share, so their exit codes and messages agree:
//! 2 with one line on stderr for bad configuration, 1 for a runtime failure, 0 otherwise.

use std::future::Future;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::probe_client;
use crate::telemetry::LogGuard;
use neptu_shared::cache::{self, Backend, CacheStore};
use neptu_shared::config::{Service, Settings};

/// Loads the configuration and starts logging; on a configuration error prints one line
/// naming the variable and returns exit code 2. Keep the guard until the process ends.
pub fn load(service: Service) -> Result<(Settings, LogGuard), ExitCode> {
    match Settings::load(service) {
        Ok(settings) => {
            let guard = crate::telemetry::init(&settings.log);
            Ok((settings, guard))
        }
        Err(error) => {
            eprintln!("{}: configuration error: {error}", service.name());
            Err(ExitCode::from(2))
        }
    }
}

/// Runs `work` on a multi-threaded runtime; an error is logged and exits 1.
pub fn run(service: Service, work: impl Future<Output = anyhow::Result<()>>) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("{}: cannot start the async runtime: {error}", service.name());
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(work) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(error = format!("{error:#}"), "{} failed", service.name());
            ExitCode::FAILURE
        }
    }
}

/// The `healthcheck` subcommand: 0 when the local server answers `/health` with 200.
pub fn healthcheck(service: Service) -> ExitCode {
    let port = probe_client::configured_port(service.default_port_number());
    let result = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt.block_on(probe_client::is_healthy(port, "/health", Duration::from_secs(3))),
        Err(e) => Err(e.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(reason) => {
            eprintln!("{}: unhealthy: {reason}", service.name());
            ExitCode::FAILURE
        }
    }
}

/// The configured cache, saying so when it is the in-memory one (not shared between replicas).
pub fn cache(settings: &Settings) -> anyhow::Result<Arc<dyn CacheStore>> {
    let cache = cache::from_settings(&settings.cache)?;
    if cache.backend() == Backend::Memory {
        tracing::info!("REDIS_URL is not set: using the in-memory cache (not shared between replicas)");
    }
    Ok(cache)
}

/// Hands the heap that start-up used and freed (configuration, route and OpenAPI assembly)
/// back to the operating system. glibc keeps freed memory for reuse, so without this the idle
/// process would hold a few megabytes it never touches again.
pub fn release_startup_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free heap pages to the kernel; live allocations are
    // left as they are.
    unsafe {
        libc::malloc_trim(0);
    }
}
