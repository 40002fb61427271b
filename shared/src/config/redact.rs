//! Printable forms of secret URLs for logs: scheme, host, port and path only.

use secrecy::{ExposeSecret, SecretString};

/// `postgres://user:pw@db:5432/app?sslmode=require` → `postgres://user:***@db:5432/app`.
/// The query string is dropped because providers put API keys there.
pub fn redact_url(url: &SecretString) -> String {
    match url::Url::parse(url.expose_secret()) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => "<invalid url>".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_password_and_query() {
        let url = SecretString::from("postgres://app:hunter2@db:5432/neptu?sslmode=require&key=abc");
        let shown = redact_url(&url);
        assert_eq!(shown, "postgres://app:***@db:5432/neptu");
    }

    #[test]
    fn keeps_urls_without_credentials() {
        let url = SecretString::from("redis://127.0.0.1:6379/0");
        assert_eq!(redact_url(&url), "redis://127.0.0.1:6379/0");
    }
}
