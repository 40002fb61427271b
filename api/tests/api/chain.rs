//! A fake Solana JSON-RPC server for the payment tests, serving `jsonParsed` transactions
//! shaped like a real cluster's, and builders for such transactions.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use neptu_shared::testing::FakeServer;
use serde_json::{Value, json};

use crate::{TestApp, spawn_app_with, wallet_address};

pub const TREASURY: &str = "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E";
pub const NEPTU_MINT: &str = "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq";
pub const SUDIGITAL_MINT: &str = "7zsunv4pLAzVWGCQts2k266TYJuLJfMvHcMbcRSR8xqf";
pub const SPL_TOKEN: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
pub const BLOCKHASH: &str = "EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N";

/// How the fake answers every call.
#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Normal,
    /// Answers after this long (longer than the client's timeout: a timeout).
    Slow(Duration),
    /// Answers with this HTTP status (429 with `Retry-After: 7`).
    Status(u16),
}

#[derive(Default)]
pub struct ChainState {
    pub transactions: HashMap<String, Value>,
    pub statuses: HashMap<String, Value>,
    pub lamports: u64,
    pub tokens: HashMap<String, u64>,
    pub calls: HashMap<String, usize>,
    pub mode: Option<Mode>,
}

#[derive(Clone, Default)]
pub struct Chain(pub Arc<Mutex<ChainState>>);

impl Chain {
    pub fn add_tx(&self, signature: &str, tx: Value) {
        self.0.lock().unwrap().transactions.insert(signature.into(), tx);
    }

    pub fn set_mode(&self, mode: Mode) {
        self.0.lock().unwrap().mode = Some(mode);
    }

    pub fn calls(&self, method: &str) -> usize {
        self.0.lock().unwrap().calls.get(method).copied().unwrap_or(0)
    }
}

async fn rpc(State(chain): State<Chain>, body: axum::Json<Value>) -> Response {
    let method = body["method"].as_str().unwrap_or_default().to_owned();
    let params = body["params"].clone();
    let mode = {
        let mut s = chain.0.lock().unwrap();
        *s.calls.entry(method.clone()).or_default() += 1;
        s.mode.unwrap_or(Mode::Normal)
    };
    match mode {
        Mode::Slow(delay) => tokio::time::sleep(delay).await,
        Mode::Status(429) => {
            return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "7")], "slow down").into_response();
        }
        Mode::Status(code) => return StatusCode::from_u16(code).unwrap().into_response(),
        Mode::Normal => {}
    }
    let s = chain.0.lock().unwrap();
    let context = json!({ "slot": 345_000_000, "apiVersion": "2.1.0" });
    let result = match method.as_str() {
        "getTransaction" => {
            assert_eq!(params[1]["encoding"], "jsonParsed");
            assert_eq!(params[1]["maxSupportedTransactionVersion"], 0);
            assert_eq!(params[1]["commitment"], "confirmed");
            s.transactions
                .get(params[0].as_str().unwrap())
                .cloned()
                .unwrap_or(Value::Null)
        }
        "getLatestBlockhash" => json!({
            "context": context,
            "value": { "blockhash": BLOCKHASH, "lastValidBlockHeight": 300_000_150u64 },
        }),
        "getSignatureStatuses" => {
            let value: Vec<Value> = params[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|sig| {
                    s.statuses
                        .get(sig.as_str().unwrap())
                        .cloned()
                        .unwrap_or(Value::Null)
                })
                .collect();
            json!({ "context": context, "value": value })
        }
        "getBalance" => json!({ "context": context, "value": s.lamports }),
        "getTokenAccountsByOwner" => {
            let mint = params[1]["mint"].as_str().unwrap();
            let value: Vec<Value> = s
                .tokens
                .get(mint)
                .map(|amount| {
                    json!({
                        "pubkey": wallet_address(900),
                        "account": { "lamports": 2_039_280, "owner": SPL_TOKEN, "executable": false,
                            "data": { "program": "spl-token", "space": 165, "parsed": { "type": "account",
                                "info": { "mint": mint, "owner": params[0], "state": "initialized",
                                    "tokenAmount": { "amount": amount.to_string(), "decimals": 6 } } } } },
                    })
                })
                .into_iter()
                .collect();
            json!({ "context": context, "value": value })
        }
        other => {
            return axum::Json(json!({ "jsonrpc": "2.0", "id": 1,
                "error": { "code": -32601, "message": format!("Method not found: {other}") } }))
            .into_response();
        }
    };
    axum::Json(json!({ "jsonrpc": "2.0", "id": body["id"], "result": result })).into_response()
}

/// The fake cluster and an API pointed at it (1 s outbound timeout), plus extra settings.
pub async fn app_with_chain(extra: &[(&str, &str)]) -> (TestApp, Chain, FakeServer) {
    let chain = Chain::default();
    let server = FakeServer::start(Router::new().route("/", post(rpc)).with_state(chain.clone())).await;
    let url = server.url("/");
    let mut settings = vec![("SOLANA_RPC_URL", url.as_str()), ("OUTBOUND_TIMEOUT_SECS", "1")];
    settings.extend_from_slice(extra);
    let app = spawn_app_with(&settings).await;
    (app, chain, server)
}

/// A distinct valid transaction signature (base58 of 64 bytes).
pub fn signature(n: u8) -> String {
    bs58::encode([n; 64]).into_string()
}

fn key(pubkey: &str, signer: bool, writable: bool) -> Value {
    json!({ "pubkey": pubkey, "signer": signer, "writable": writable, "source": "transaction" })
}

fn envelope(signature: &str, keys: Vec<Value>, instructions: Vec<Value>, meta: Value) -> Value {
    json!({
        "slot": 345_000_000, "blockTime": 1_764_000_000, "version": 0,
        "meta": meta,
        "transaction": {
            "signatures": [signature],
            "message": { "accountKeys": keys, "instructions": instructions,
                "recentBlockhash": BLOCKHASH, "addressTableLookups": [] },
        },
    })
}

fn meta(err: Value, pre: Vec<Value>, post: Vec<Value>, inner: Vec<Value>) -> Value {
    json!({
        "err": err, "fee": 5000, "computeUnitsConsumed": 450,
        "preBalances": [1_000_000_000u64, 0, 1], "postBalances": [989_995_000u64, 10_000_000, 1],
        "preTokenBalances": pre, "postTokenBalances": post,
        "innerInstructions": inner, "logMessages": [], "rewards": [],
        "status": if err.is_null() { json!({ "Ok": null }) } else { json!({ "Err": err }) },
    })
}

/// `payer` sends `lamports` to `to` with a top-level system transfer.
pub fn sol_transfer(signature: &str, payer: &str, to: &str, lamports: u64) -> Value {
    let transfer = json!({ "program": "system", "programId": "11111111111111111111111111111111",
        "parsed": { "type": "transfer", "info": { "source": payer, "destination": to, "lamports": lamports } },
        "stackHeight": null });
    envelope(
        signature,
        vec![
            key(payer, true, true),
            key(to, false, true),
            key("11111111111111111111111111111111", false, false),
        ],
        vec![transfer],
        meta(Value::Null, vec![], vec![], vec![]),
    )
}

/// The same transaction, failed on chain.
pub fn failed(mut tx: Value) -> Value {
    tx["meta"]["err"] = json!({ "InstructionError": [0, { "Custom": 1 }] });
    tx["meta"]["status"] = json!({ "Err": tx["meta"]["err"] });
    tx
}

fn balance(index: usize, mint: &str, owner: &str, amount: u64) -> Value {
    json!({ "accountIndex": index, "mint": mint, "owner": owner, "programId": SPL_TOKEN,
        "uiTokenAmount": { "amount": amount.to_string(), "decimals": 6,
            "uiAmount": amount as f64 / 1e6, "uiAmountString": (amount as f64 / 1e6).to_string() } })
}

/// `payer` moves `amount` raw units of `mint` from its token account to `owner`'s with a
/// top-level `transferChecked`; `inner_burn` adds, inside a program call, a burn of the same
/// size signed by the payer (what the economy program does with half a NEPTU payment).
pub fn token_transfer(
    signature: &str,
    payer: &str,
    mint: &str,
    owner: &str,
    amount: u64,
    inner_burn: u64,
) -> Value {
    let (source, destination) = (wallet_address(901), wallet_address(902));
    let start = 10_000_000_000u64;
    let transfer = json!({ "program": "spl-token", "programId": SPL_TOKEN,
        "parsed": { "type": "transferChecked", "info": { "source": source, "destination": destination,
            "mint": mint, "authority": payer,
            "tokenAmount": { "amount": amount.to_string(), "decimals": 6,
                "uiAmount": amount as f64 / 1e6, "uiAmountString": (amount as f64 / 1e6).to_string() } } },
        "stackHeight": null });
    let inner = if inner_burn > 0 {
        vec![
            json!({ "index": 0, "instructions": [{ "program": "spl-token", "programId": SPL_TOKEN,
            "parsed": { "type": "burn", "info": { "account": source, "mint": mint, "authority": payer,
                "amount": inner_burn.to_string() } }, "stackHeight": 2 }] }),
        ]
    } else {
        vec![]
    };
    envelope(
        signature,
        vec![
            key(payer, true, true),
            key(&source, false, true),
            key(&destination, false, true),
            key(mint, false, false),
            key(SPL_TOKEN, false, false),
        ],
        vec![transfer],
        meta(
            Value::Null,
            vec![balance(1, mint, payer, start), balance(2, mint, owner, 0)],
            vec![
                balance(1, mint, payer, start - amount - inner_burn),
                balance(2, mint, owner, amount),
            ],
            inner,
        ),
    )
}

/// A claim: the rewards pool (owned by the economy authority, whose address is also the
/// default treasury) pays `amount` NEPTU to `wallet`'s token account, inside the economy
/// program call the wallet signed.
pub fn claim_payout(signature: &str, wallet: &str, amount: u64) -> Value {
    let (pool, ata) = ("74ghaUNLKLaFvLN74G8yex8hougvJkqwJEBYxpSJ1ZL", wallet_address(903));
    let mut data = vec![4, 144, 132, 71, 116, 23, 151, 80];
    data.extend_from_slice(&amount.to_le_bytes());
    data.extend_from_slice(&[0; 72]);
    let call = json!({ "programId": "6Zxc4uCXKqWS6spnW7u9wA81PChgws6wbGAKJyi8PnvT",
        "accounts": [wallet, ata], "data": bs58::encode(data).into_string(), "stackHeight": null });
    envelope(
        signature,
        vec![
            key(wallet, true, true),
            key(pool, false, true),
            key(&ata, false, true),
        ],
        vec![call],
        meta(
            Value::Null,
            vec![
                balance(1, NEPTU_MINT, TREASURY, 300_000_000_000),
                balance(2, NEPTU_MINT, wallet, 0),
            ],
            vec![
                balance(1, NEPTU_MINT, TREASURY, 300_000_000_000 - amount),
                balance(2, NEPTU_MINT, wallet, amount),
            ],
            vec![],
        ),
    )
}
