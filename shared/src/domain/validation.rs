//! The shape of a validation problem. Rules live next to the data they check (profile, pricing,
//! developer catalog); each returns a list of these, which the HTTP layer answers as one 400.

use serde::Serialize;
use serde_json::Value;

/// One validation problem: where (`["limits", "dailyReadings"]`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub path: Vec<Value>,
    pub message: String,
}

impl Issue {
    pub fn new(path: &str, message: impl Into<String>) -> Self {
        let path = if path.is_empty() {
            Vec::new()
        } else {
            path.split('.')
                .map(|segment| match segment.parse::<u64>() {
                    Ok(index) => Value::from(index),
                    Err(_) => Value::from(segment),
                })
                .collect()
        };
        Self {
            path,
            message: message.into(),
        }
    }
}
