//! Request extractors: `SignedIn` (a valid access token), `MaybeSignedIn` (a valid token or
//! none at all, for routes that also serve a public view) and `AdminCaller` (an admin's).
//!
//! The handler states what it needs in its signature, so a route cannot forget to check.
//! Wallet-scoped routes also call `Caller::authorize_wallet` with the wallet in the path:
//! a token for wallet A on a route for wallet B is a 403 unless the caller is an admin.

use std::sync::Arc;

use axum::extract::{FromRef, FromRequestParts};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use neptu_shared::auth::{Auth, Caller};

use crate::ApiError;

/// A request with a valid access token (or, in development legacy mode, a wallet header).
#[derive(Debug, Clone)]
pub struct SignedIn(pub Caller);

/// A request that may come without a token (`None`). A token that is sent must be valid:
/// a stale one is a 401 as everywhere, so the client refreshes instead of silently getting
/// the public view.
#[derive(Debug, Clone)]
pub struct MaybeSignedIn(pub Option<Caller>);

/// A request from an admin: role `admin` or the configured `ADMIN_WALLET_ADDRESS`.
#[derive(Debug, Clone)]
pub struct AdminCaller(pub Caller);

impl<S> FromRequestParts<S> for SignedIn
where
    Arc<Auth>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Arc::<Auth>::from_ref(state);
        caller(parts, &auth).map(SignedIn)
    }
}

impl<S> FromRequestParts<S> for MaybeSignedIn
where
    Arc<Auth>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Arc::<Auth>::from_ref(state);
        let identified = parts.extensions.get::<Caller>().is_some()
            || parts.headers.contains_key(AUTHORIZATION)
            || (auth.legacy_wallet_header && parts.headers.contains_key("x-wallet-address"));
        if !identified {
            return Ok(MaybeSignedIn(None));
        }
        caller(parts, &auth).map(|c| MaybeSignedIn(Some(c)))
    }
}

impl<S> FromRequestParts<S> for AdminCaller
where
    Arc<Auth>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = Arc::<Auth>::from_ref(state);
        let caller = caller(parts, &auth)?;
        if caller.is_admin() {
            Ok(AdminCaller(caller))
        } else {
            Err(ApiError::forbidden("Admin access required"))
        }
    }
}

fn caller(parts: &Parts, auth: &Auth) -> Result<Caller, ApiError> {
    // The rate limiter may already have checked the token of this request.
    if let Some(caller) = parts.extensions.get::<Caller>() {
        return Ok(caller.clone());
    }
    let Some(header) = parts.headers.get(AUTHORIZATION) else {
        if auth.legacy_wallet_header
            && let Some(wallet) = parts
                .headers
                .get("x-wallet-address")
                .and_then(|v| v.to_str().ok())
        {
            return Ok(auth.caller_of_wallet_header(wallet));
        }
        return Err(ApiError::unauthorized("Authorization header required"));
    };
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("Invalid authorization format. Use: Bearer <token>"))?;
    auth.caller_of_token(token)
        .map_err(|_| ApiError::unauthorized("Invalid or expired token"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{Request, StatusCode};
    use neptu_shared::auth::TokenKeys;
    use neptu_shared::domain::enums::Role;
    use uuid::Uuid;

    fn auth(legacy: bool) -> Arc<Auth> {
        Arc::new(Auth {
            keys: TokenKeys::new(b"0123456789abcdef0123456789abcdef"),
            admin_wallet: Some("AdminWallet".into()),
            legacy_wallet_header: legacy,
            revocations: Default::default(),
        })
    }

    async fn signed_in(auth: &Arc<Auth>, headers: &[(&str, &str)]) -> Result<Caller, StatusCode> {
        let mut req = Request::builder();
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let (mut parts, _) = req.body(()).unwrap().into_parts();
        SignedIn::from_request_parts(&mut parts, auth)
            .await
            .map(|s| s.0)
            .map_err(|e| e.status())
    }

    fn bearer(auth: &Auth, wallet: &str, role: Role) -> String {
        format!(
            "Bearer {}",
            auth.keys
                .issue_access(Uuid::new_v4(), wallet, role, chrono::Utc::now().timestamp())
        )
    }

    #[tokio::test]
    async fn tokens_identify_the_wallet() {
        let a = auth(false);
        let token = bearer(&a, "alice", Role::User);
        let caller = signed_in(&a, &[("authorization", &token)]).await.unwrap();
        assert_eq!(caller.wallet, "alice");
        assert!(caller.authorize_wallet("alice").is_ok());
        assert_eq!(
            ApiError::from(caller.authorize_wallet("bob").unwrap_err()).status(),
            StatusCode::FORBIDDEN
        );
        assert!(!caller.is_admin());
    }

    #[tokio::test]
    async fn admins_by_role_or_configured_wallet() {
        let a = auth(false);
        let by_role = signed_in(&a, &[("authorization", &bearer(&a, "carol", Role::Admin))])
            .await
            .unwrap();
        assert!(by_role.is_admin() && by_role.authorize_wallet("anyone").is_ok());
        let by_wallet = signed_in(&a, &[("authorization", &bearer(&a, "AdminWallet", Role::User))])
            .await
            .unwrap();
        assert!(by_wallet.is_admin());
    }

    #[tokio::test]
    async fn a_token_is_optional_but_must_be_valid_when_sent() {
        let a = auth(false);
        let maybe = |headers: Vec<(&'static str, String)>| {
            let a = Arc::clone(&a);
            async move {
                let mut req = Request::builder();
                for (k, v) in headers {
                    req = req.header(k, v);
                }
                let (mut parts, _) = req.body(()).unwrap().into_parts();
                MaybeSignedIn::from_request_parts(&mut parts, &a)
                    .await
                    .map(|m| m.0.map(|c| c.wallet))
                    .map_err(|e| e.status())
            }
        };
        assert_eq!(maybe(vec![]).await, Ok(None));
        let token = bearer(&a, "alice", Role::User);
        assert_eq!(
            maybe(vec![("authorization", token)]).await,
            Ok(Some("alice".to_owned()))
        );
        assert_eq!(
            maybe(vec![("authorization", "Bearer nope".into())]).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        // Without the legacy mode the bare header is not an identity: the public view.
        assert_eq!(maybe(vec![("x-wallet-address", "alice".into())]).await, Ok(None));
    }

    #[tokio::test]
    async fn revoked_sessions_and_changed_roles_are_looked_up_in_memory() {
        use neptu_shared::db::auth_revocations::Revocation;
        let a = auth(false);
        let now = chrono::Utc::now();
        let (user, session) = (Uuid::new_v4(), Uuid::new_v4());
        let token = a
            .keys
            .issue_session_access(user, "dave", Role::Admin, session, now.timestamp());
        let header = format!("Bearer {token}");
        let admin = |a: Arc<Auth>, header: String| async move {
            let (mut parts, _) = Request::builder()
                .header("authorization", header)
                .body(())
                .unwrap()
                .into_parts();
            AdminCaller::from_request_parts(&mut parts, &a)
                .await
                .map(|c| c.0.role)
                .map_err(|e| e.status())
        };
        assert_eq!(admin(Arc::clone(&a), header.clone()).await, Ok(Role::Admin));

        // Demoted: the token still says admin, the caller is not one any more.
        let demoted = Revocation {
            user_id: user,
            family_id: None,
            role: Some(Role::User),
            created_at: now,
        };
        a.revocations.apply(&[demoted], now);
        assert_eq!(
            admin(Arc::clone(&a), header.clone()).await,
            Err(StatusCode::FORBIDDEN)
        );
        assert_eq!(
            signed_in(&a, &[("authorization", &header)]).await.unwrap().role,
            Role::User
        );

        // The session revoked: refused everywhere.
        let revoked = Revocation {
            user_id: user,
            family_id: Some(session),
            role: None,
            created_at: now,
        };
        a.revocations.apply(&[revoked], now);
        assert_eq!(
            signed_in(&a, &[("authorization", &header)]).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        // Another session of the same user is not affected.
        let other = a
            .keys
            .issue_session_access(user, "dave", Role::User, Uuid::new_v4(), now.timestamp());
        assert!(
            signed_in(&a, &[("authorization", &format!("Bearer {other}"))])
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn missing_or_bad_tokens_are_401() {
        let a = auth(false);
        assert_eq!(signed_in(&a, &[]).await, Err(StatusCode::UNAUTHORIZED));
        assert_eq!(
            signed_in(&a, &[("authorization", "Basic abc")]).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        assert_eq!(
            signed_in(&a, &[("authorization", "Bearer not.a.token")]).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        // The legacy header is ignored unless the development mode is on.
        assert_eq!(
            signed_in(&a, &[("x-wallet-address", "alice")]).await,
            Err(StatusCode::UNAUTHORIZED)
        );
        let legacy = auth(true);
        assert_eq!(
            signed_in(&legacy, &[("x-wallet-address", "alice")])
                .await
                .unwrap()
                .wallet,
            "alice"
        );
    }
}
