//! `neptu-calendar DATE [TARGET]`: prints the full Neptu reading of a birth date on a target
//! date (default: today in Bali, UTC+8) as pretty JSON.
//!
//! Exit codes: 0 on success, 2 on bad input (one line on stderr), 1 if the output cannot be
//! written.

use std::io::Write;
use std::process::ExitCode;

use neptu_wariga::{self as wariga, CivilDate, WarigaError};

const USAGE: &str = "usage: neptu-calendar DATE [TARGET]   (dates as YYYY-MM-DD, 1800-01-01..2200-12-31; TARGET defaults to today in Bali)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(json) => {
            let mut out = std::io::stdout().lock();
            if writeln!(out, "{json}").and_then(|()| out.flush()).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("neptu-calendar: {message}");
            ExitCode::from(2)
        }
    }
}

/// Parses the arguments and renders the reading, or returns the one-line error message.
fn run(args: &[String]) -> Result<String, String> {
    let (birth, target) = match args {
        [birth] => (birth, None),
        [birth, target] => (birth, Some(target)),
        _ => return Err(USAGE.to_owned()),
    };
    let parse = |what: &str, text: &str| {
        CivilDate::parse(text).map_err(|e: WarigaError| format!("{what} {text:?}: {e}"))
    };
    let birth = parse("DATE", birth)?;
    let target = match target {
        Some(text) => parse("TARGET", text)?,
        None => CivilDate::today_wita().map_err(|e| format!("today: {e}"))?,
    };
    serde_json::to_string_pretty(&wariga::full_reading(birth, target)).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::run;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn renders_the_full_reading() {
        let out = run(&args(&["1990-05-15", "2026-06-17"]));
        let value: Option<serde_json::Value> = out.ok().and_then(|s| serde_json::from_str(&s).ok());
        assert_eq!(
            value
                .as_ref()
                .map(|v| (&v["potensi"]["date"], &v["peluang"]["date"])),
            Some((&"1990-05-15".into(), &"2026-06-17".into()))
        );
    }

    #[test]
    fn bad_input_is_one_line() {
        for bad in [&[][..], &["2024-02-31"], &["1990-05-15", "x"], &["a", "b", "c"]] {
            let err = run(&args(bad)).err().unwrap_or_default();
            assert!(!err.is_empty() && !err.contains('\n'), "{bad:?}: {err:?}");
        }
    }
}
