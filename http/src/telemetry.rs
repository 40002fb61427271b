//! Logging: JSON lines (production) or human-readable text, filtered by `LOG_LEVEL` /
//! `RUST_LOG`. Request spans carry the request id, so every line logged while serving a
//! request names it.
//!
//! Lines are formatted on the thread that logs and written by a background thread through a
//! buffer, so a request never waits for a `write` system call and a burst of lines costs one
//! write, not one per line. The buffer is bounded and blocks when full rather than drop lines.

use std::io::BufWriter;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::format::FmtSpan;

use neptu_shared::config::{LogFormat, LogSettings};

/// Keeps the log writer running; dropping it flushes what is buffered. Hold it in `main`.
#[must_use = "dropping the guard stops and flushes the log writer"]
pub struct LogGuard {
    _writer: Option<WorkerGuard>,
}

/// Installs the global subscriber and routes panics through it. Call once, first thing.
pub fn init(settings: &LogSettings) -> LogGuard {
    // The filter was validated when the configuration loaded.
    let filter = EnvFilter::try_new(&settings.filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let (writer, guard) = NonBlockingBuilder::default()
        .lossy(false)
        .finish(BufWriter::new(std::io::stdout()));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_span_events(FmtSpan::NONE)
        .with_writer(writer);
    let installed = match settings.format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .flatten_event(true)
            .try_init(),
        LogFormat::Pretty => builder.compact().try_init(),
    };
    if installed.is_err() {
        // Already installed (tests build several apps in one process).
        return LogGuard { _writer: None };
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        tracing::error!(%location, panic = %message, "panic");
        if std::env::var_os("RUST_BACKTRACE").is_some() {
            default_hook(info);
        }
    }));
    LogGuard { _writer: Some(guard) }
}
