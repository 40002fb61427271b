//! The layered, untyped view of the configuration and the typed readers on top of it.
//!
//! Layers, lowest first: the defaults of [`super::vars::VARS`] ← an optional TOML file ←
//! the process environment. Every value is read as a string and parsed here, so that a bad
//! value always produces an error naming the environment variable, never a serde path.

use std::collections::HashMap;
use std::str::FromStr;

use ::config::{Config, Environment, File, FileFormat};
use secrecy::SecretString;

use super::ConfigError;
use super::vars::{self, VARS};

/// Name of the file read when `CONFIG_FILE` is not set. Missing is fine; a broken one is not.
const DEFAULT_FILE: &str = "neptu.toml";

pub(super) struct Raw {
    values: HashMap<String, String>,
}

impl Raw {
    /// Builds the layers. `env` holds environment variables by their upper-case names; only
    /// names from the variable table are looked at.
    pub(super) fn layer(
        env: &HashMap<String, String>,
        extra_defaults: &[(&str, &str)],
    ) -> Result<Self, ConfigError> {
        let build = || -> Result<HashMap<String, String>, ::config::ConfigError> {
            let mut builder = Config::builder();
            for var in VARS {
                if let Some(default) = var.default {
                    builder = builder.set_default(var.name.to_ascii_lowercase(), default)?;
                }
            }
            for (name, default) in extra_defaults {
                builder = builder.set_default(name.to_ascii_lowercase(), *default)?;
            }
            let (path, required) = match env.get("CONFIG_FILE").filter(|p| !p.trim().is_empty()) {
                Some(path) => (path.as_str(), true),
                None => (DEFAULT_FILE, false),
            };
            builder = builder.add_source(File::new(path, FileFormat::Toml).required(required));
            let known: HashMap<String, String> = env
                .iter()
                .filter(|(name, value)| vars::find(name).is_some() && !value.trim().is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            builder = builder.add_source(Environment::default().source(Some(known)));
            builder.build()?.try_deserialize()
        };
        let values = build().map_err(|e| ConfigError::invalid("CONFIG_FILE", e.to_string()))?;
        Ok(Self { values })
    }

    /// The trimmed value. Blank environment values were dropped when layering, so they fall
    /// back to the default (container env files often leave variables blank).
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        debug_assert!(vars::find(name).is_some(), "{name} is not in the variable table");
        self.values
            .get(&name.to_ascii_lowercase())
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub(super) fn required(&self, name: &'static str) -> Result<&str, ConfigError> {
        self.get(name).ok_or(ConfigError::Missing { var: name })
    }

    pub(super) fn string(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    pub(super) fn secret(&self, name: &str) -> Option<SecretString> {
        self.get(name).map(|v| SecretString::from(v.to_owned()))
    }

    /// Parses a number or similar; `expected` completes "must be …" in the error.
    pub(super) fn parse<T: FromStr>(
        &self,
        name: &'static str,
        expected: &str,
    ) -> Result<Option<T>, ConfigError> {
        match self.get(name) {
            None => Ok(None),
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| ConfigError::invalid(name, format!("must be {expected}, got {v:?}"))),
        }
    }

    /// Like [`Raw::parse`] but the table gives a default, so the value is always present.
    pub(super) fn parse_or<T: FromStr>(
        &self,
        name: &'static str,
        expected: &str,
        fallback: T,
    ) -> Result<T, ConfigError> {
        Ok(self.parse(name, expected)?.unwrap_or(fallback))
    }

    /// A positive integer in a range (timeouts, sizes).
    pub(super) fn bounded(
        &self,
        name: &'static str,
        range: std::ops::RangeInclusive<u64>,
    ) -> Result<u64, ConfigError> {
        let expected = format!("an integer from {} to {}", range.start(), range.end());
        let value: u64 = self
            .parse(name, &expected)?
            .ok_or(ConfigError::Missing { var: name })?;
        if range.contains(&value) {
            Ok(value)
        } else {
            Err(ConfigError::invalid(
                name,
                format!("must be {expected}, got {value}"),
            ))
        }
    }

    pub(super) fn bool(&self, name: &'static str) -> Result<Option<bool>, ConfigError> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(None),
            Some("1" | "true" | "yes" | "on") => Ok(Some(true)),
            Some("0" | "false" | "no" | "off") => Ok(Some(false)),
            Some(other) => Err(ConfigError::invalid(
                name,
                format!("must be true or false, got {other:?}"),
            )),
        }
    }
}
