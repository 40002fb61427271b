//! `neptu-worker`: run scheduled jobs and the worker's HTTP routes (default), or check health.

use std::process::ExitCode;

use clap::Parser;
use neptu_http::startup;
use neptu_shared::config::Service;
use neptu_worker::cli::{Cli, Command};

fn main() -> ExitCode {
    let command = Cli::parse().command.unwrap_or(Command::Serve);
    if let Command::Healthcheck = command {
        return startup::healthcheck(Service::Worker);
    }
    let (settings, _log) = match startup::load(Service::Worker) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    startup::run(Service::Worker, neptu_worker::app::run(settings))
}
