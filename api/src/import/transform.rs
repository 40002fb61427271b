//! Turns SQLite values into Postgres values, the transforms of the data migration:
//! 0/1 → boolean; `2026-02-10 14:03:22` (SQLite `datetime('now')`, UTC) and ISO-8601 text →
//! timestamptz; JSON text → jsonb (JSON stored as a string inside a string is unwrapped); real →
//! numeric (through the shortest decimal that round-trips, so 0.1 stays 0.1).

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

use super::mapping::{Fallback, Kind, Sign};
use super::source::SourceValue;

/// A value ready to be bound for Postgres.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetValue {
    Null,
    Uuid(Uuid),
    Text(String),
    Bool(bool),
    Int(i32),
    BigInt(i64),
    Numeric(Decimal),
    Double(f64),
    Timestamp(DateTime<Utc>),
    Date(NaiveDate),
    Json(serde_json::Value),
}

impl TargetValue {
    /// A stable text form, for uniqueness checks and reports.
    pub fn key(&self) -> String {
        match self {
            TargetValue::Null => "NULL".into(),
            TargetValue::Uuid(u) => u.to_string(),
            TargetValue::Text(t) => t.clone(),
            TargetValue::Bool(b) => b.to_string(),
            TargetValue::Int(i) => i.to_string(),
            TargetValue::BigInt(i) => i.to_string(),
            TargetValue::Numeric(d) => d.to_string(),
            TargetValue::Double(f) => f.to_string(),
            TargetValue::Timestamp(t) => t.to_rfc3339(),
            TargetValue::Date(d) => d.to_string(),
            TargetValue::Json(j) => j.to_string(),
        }
    }
}

/// Converts one value; `Err` says why it cannot be imported.
pub fn convert(
    value: &SourceValue,
    kind: Kind,
    fallback: Fallback,
    now: DateTime<Utc>,
) -> Result<TargetValue, String> {
    let blank = matches!(value, SourceValue::Text(t) if t.trim().is_empty())
        && matches!(kind, Kind::Text { min, .. } if min > 0)
        && fallback == Fallback::Null;
    if matches!(value, SourceValue::Null) || blank {
        return fallback_value(fallback, kind, now);
    }
    match kind {
        Kind::Uuid => uuid(value),
        Kind::Text { min, max } => text(value, min, max),
        Kind::Enum(allowed) => {
            let t = plain_text(value)?;
            if allowed.contains(&t.as_str()) {
                Ok(TargetValue::Text(t))
            } else {
                Err(format!("{t:?} is not one of {}", allowed.join(", ")))
            }
        }
        // `is_admin` 0/1, also as text (a column declared without integer affinity).
        Kind::Role => match value {
            SourceValue::Integer(0) => Ok(TargetValue::Text("user".into())),
            SourceValue::Integer(1) => Ok(TargetValue::Text("admin".into())),
            SourceValue::Text(t) if t == "0" => Ok(TargetValue::Text("user".into())),
            SourceValue::Text(t) if t == "1" => Ok(TargetValue::Text("admin".into())),
            other => convert(other, Kind::Enum(&["admin", "developer", "user"]), fallback, now),
        },
        Kind::Bool => boolean(value),
        Kind::Int => {
            let n = integer(value)?;
            i32::try_from(n)
                .map(TargetValue::Int)
                .map_err(|_| format!("{n} does not fit an integer column"))
        }
        Kind::BigInt => integer(value).map(TargetValue::BigInt),
        Kind::Numeric(sign) => numeric(value, sign),
        Kind::Double => double(value).map(TargetValue::Double),
        Kind::Timestamp => timestamp(value).map(TargetValue::Timestamp),
        Kind::Date => date(value).map(TargetValue::Date),
        Kind::JsonArray => json(value, true),
        Kind::JsonObject => json(value, false),
    }
}

fn fallback_value(fallback: Fallback, kind: Kind, now: DateTime<Utc>) -> Result<TargetValue, String> {
    Ok(match fallback {
        Fallback::Zero if matches!(kind, Kind::Numeric(_)) => TargetValue::Numeric(Decimal::ZERO),
        Fallback::Null => TargetValue::Null,
        Fallback::Required => return Err("missing a required value".into()),
        Fallback::Now => TargetValue::Timestamp(now),
        Fallback::False => TargetValue::Bool(false),
        Fallback::True => TargetValue::Bool(true),
        Fallback::Zero => TargetValue::Int(0),
        Fallback::Text(t) => TargetValue::Text(t.into()),
        Fallback::EmptyArray => TargetValue::Json(serde_json::json!([])),
    })
}

fn plain_text(value: &SourceValue) -> Result<String, String> {
    match value {
        SourceValue::Text(t) => Ok(t.clone()),
        SourceValue::Integer(i) => Ok(i.to_string()),
        SourceValue::Real(r) => Ok(r.to_string()),
        SourceValue::Blob(b) => {
            String::from_utf8(b.clone()).map_err(|_| "binary data where text is expected".into())
        }
        SourceValue::Null => Err("missing".into()),
    }
}

fn text(value: &SourceValue, min: usize, max: usize) -> Result<TargetValue, String> {
    let t = plain_text(value)?;
    let length = t.chars().count();
    if length < min || length > max {
        return Err(format!("text of {length} characters, expected {min} to {max}"));
    }
    if t.contains('\0') {
        return Err("text contains a NUL character".into());
    }
    Ok(TargetValue::Text(t))
}

fn uuid(value: &SourceValue) -> Result<TargetValue, String> {
    match value {
        SourceValue::Blob(b) if b.len() == 16 => Uuid::from_slice(b)
            .map(TargetValue::Uuid)
            .map_err(|e| e.to_string()),
        other => {
            let t = plain_text(other)?;
            Uuid::parse_str(t.trim())
                .map(TargetValue::Uuid)
                .map_err(|_| format!("{t:?} is not a UUID"))
        }
    }
}

fn boolean(value: &SourceValue) -> Result<TargetValue, String> {
    match value {
        SourceValue::Integer(0) => Ok(TargetValue::Bool(false)),
        SourceValue::Integer(1) => Ok(TargetValue::Bool(true)),
        SourceValue::Real(r) if *r == 0.0 || *r == 1.0 => Ok(TargetValue::Bool(*r == 1.0)),
        SourceValue::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
            "0" | "false" => Ok(TargetValue::Bool(false)),
            "1" | "true" => Ok(TargetValue::Bool(true)),
            _ => Err(format!("{t:?} is not a boolean")),
        },
        other => Err(format!("{other:?} is not a boolean (0 or 1)")),
    }
}

fn integer(value: &SourceValue) -> Result<i64, String> {
    match value {
        SourceValue::Integer(i) => Ok(*i),
        SourceValue::Real(r) if r.fract() == 0.0 && r.is_finite() && r.abs() < 9.0e15 => Ok(*r as i64),
        SourceValue::Text(t) => t.trim().parse().map_err(|_| format!("{t:?} is not an integer")),
        other => Err(format!("{other:?} is not an integer")),
    }
}

fn double(value: &SourceValue) -> Result<f64, String> {
    let f = match value {
        SourceValue::Integer(i) => *i as f64,
        SourceValue::Real(r) => *r,
        SourceValue::Text(t) => t.trim().parse().map_err(|_| format!("{t:?} is not a number"))?,
        other => return Err(format!("{other:?} is not a number")),
    };
    if f.is_finite() {
        Ok(f)
    } else {
        Err(format!("{f} is not a finite number"))
    }
}

fn numeric(value: &SourceValue, sign: Sign) -> Result<TargetValue, String> {
    let d = match value {
        SourceValue::Integer(i) => Decimal::from(*i),
        // Rust prints the shortest decimal that reads back as the same double.
        SourceValue::Real(r) if r.is_finite() => Decimal::from_str(&r.to_string())
            .or_else(|_| Decimal::from_scientific(&format!("{r:e}")))
            .map_err(|_| format!("{r} does not fit a numeric"))?,
        SourceValue::Text(t) => Decimal::from_str(t.trim())
            .or_else(|_| Decimal::from_scientific(t.trim()))
            .map_err(|_| format!("{t:?} is not a number"))?,
        other => return Err(format!("{other:?} is not a number")),
    };
    match sign {
        Sign::NonNegative if d.is_sign_negative() && !d.is_zero() => Err(format!("{d} is negative")),
        Sign::Positive if d <= Decimal::ZERO => Err(format!("{d} is not positive")),
        _ => Ok(TargetValue::Numeric(d.normalize())),
    }
}

/// SQLite `datetime('now')` text, ISO-8601 with or without zone (no zone means UTC), or
/// epoch seconds / milliseconds.
pub fn timestamp(value: &SourceValue) -> Result<DateTime<Utc>, String> {
    match value {
        SourceValue::Integer(n) => epoch(*n),
        SourceValue::Real(r) if r.fract() == 0.0 => epoch(*r as i64),
        other => {
            let t = plain_text(other)?;
            let t = t.trim();
            if let Ok(at) = DateTime::parse_from_rfc3339(t) {
                return Ok(at.with_timezone(&Utc));
            }
            for format in [
                "%Y-%m-%d %H:%M:%S%.f",
                "%Y-%m-%dT%H:%M:%S%.f",
                "%Y-%m-%d %H:%M",
                "%Y-%m-%dT%H:%M",
            ] {
                if let Ok(at) = NaiveDateTime::parse_from_str(t, format) {
                    return Ok(Utc.from_utc_datetime(&at));
                }
            }
            if let Ok(day) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
                return Ok(Utc.from_utc_datetime(&day.and_time(chrono::NaiveTime::MIN)));
            }
            Err(format!("{t:?} is not a date-time"))
        }
    }
}

fn epoch(n: i64) -> Result<DateTime<Utc>, String> {
    // Values past the year 5138 in seconds are milliseconds (JavaScript `Date.now()`).
    let at = if n.abs() > 100_000_000_000 {
        DateTime::from_timestamp_millis(n)
    } else {
        DateTime::from_timestamp(n, 0)
    };
    at.ok_or_else(|| format!("{n} is not a valid epoch time"))
}

fn date(value: &SourceValue) -> Result<NaiveDate, String> {
    let t = plain_text(value)?;
    let t = t.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| timestamp(value).map(|at| at.date_naive()))
        .map_err(|_| format!("{t:?} is not a date"))
}

/// JSON text (or JSON text inside a JSON string, as the original sometimes stored it).
fn json(value: &SourceValue, array: bool) -> Result<TargetValue, String> {
    let t = plain_text(value)?;
    let mut parsed: serde_json::Value = serde_json::from_str(&t).map_err(|e| format!("not JSON: {e}"))?;
    for _ in 0..2 {
        match parsed {
            serde_json::Value::String(inner) => {
                parsed = serde_json::from_str(&inner)
                    .map_err(|e| format!("a JSON string that is not JSON: {e}"))?
            }
            _ => break,
        }
    }
    // jsonb refuses a NUL character in any string (as text does).
    if has_nul(&parsed) {
        return Err("JSON holding a NUL character (\\u0000)".into());
    }
    match (&parsed, array) {
        (serde_json::Value::Array(_), true) | (serde_json::Value::Object(_), false) => {
            Ok(TargetValue::Json(parsed))
        }
        _ => Err(format!(
            "expected a JSON {}, got {}",
            if array { "array" } else { "object" },
            kind_of(&parsed)
        )),
    }
}

fn has_nul(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::String(s) => s.contains('\0'),
        serde_json::Value::Array(items) => items.iter().any(has_nul),
        serde_json::Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests;
