//! Sign-in refuses signatures that verify only under lax ed25519 rules: a small-order public
//! key (the identity point, the System Program's `1111…1`) with `R` the identity and `S = 0`
//! satisfies the plain equation for every (or every fourth) message, without a private key.

use serde_json::Value;

use crate::auth::{nonce, verify};
use crate::spawn_app;

/// `R` = the identity point's encoding, `S` = 0.
fn forged_signature() -> String {
    let mut signature = [0u8; 64];
    signature[0] = 1;
    bs58::encode(signature).into_string()
}

#[tokio::test]
async fn small_order_addresses_cannot_sign_in_with_a_forged_signature() {
    let app = spawn_app().await;
    let mut identity = [0u8; 32];
    identity[0] = 1;
    let addresses = [
        bs58::encode(identity).into_string(),
        "11111111111111111111111111111111".to_owned(),
    ];
    for address in &addresses {
        // Two nonces each (within the sign-in limit of one address): the identity key is
        // fooled by every message, a key of order 4 by every fourth.
        for _ in 0..2 {
            let (status, issued): (u16, Value) = nonce(&app, address).await;
            assert_eq!(status, 200, "{issued}");
            let (status, body) = verify(&app, address, &forged_signature()).await;
            assert_eq!(
                (status, body["error"].as_str()),
                (401, Some("Signature verification failed")),
                "{address}: {body}"
            );
        }
    }
    let sessions: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "no session was opened");
    app.stop().await;
}
