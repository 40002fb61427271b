//! What a confirmed transaction moved, read from its `jsonParsed` form: SOL transfers, SPL
//! token transfers and burns, at the top level and inside program calls (a payment made
//! through the economy program moves funds in inner instructions), and token balance changes.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

/// `getTransaction` with `encoding: jsonParsed`; only what verification reads.
#[derive(Debug, Clone, Deserialize)]
pub struct ParsedTransaction {
    pub meta: Option<TransactionMeta>,
    pub transaction: TransactionBody,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransactionMeta {
    /// `null` when the transaction succeeded.
    #[serde(default)]
    pub err: Option<Value>,
    #[serde(default)]
    pub pre_token_balances: Vec<TokenBalance>,
    #[serde(default)]
    pub post_token_balances: Vec<TokenBalance>,
    #[serde(default)]
    pub inner_instructions: Vec<InnerInstructions>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TransactionBody {
    pub message: Message,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub account_keys: Vec<AccountKey>,
    #[serde(default)]
    pub instructions: Vec<Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AccountKey {
    pub pubkey: String,
    #[serde(default)]
    pub signer: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenBalance {
    pub account_index: usize,
    pub mint: String,
    pub owner: Option<String>,
    pub ui_token_amount: UiTokenAmount,
}

#[derive(Debug, Clone, Deserialize)]
pub struct UiTokenAmount {
    pub amount: String,
    pub decimals: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InnerInstructions {
    #[serde(default)]
    pub instructions: Vec<Value>,
}

/// One movement of value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Movement {
    /// A system-program transfer of lamports.
    Lamports { from: String, to: String, amount: u64 },
    /// An SPL token transfer; `to_owner` is the wallet owning the destination account.
    Token {
        authority: String,
        mint: Option<String>,
        decimals: Option<u32>,
        to: String,
        to_owner: Option<String>,
        amount: u64,
    },
    /// An SPL token burn signed by `authority`.
    Burn {
        authority: String,
        mint: Option<String>,
        amount: u64,
    },
}

impl ParsedTransaction {
    pub fn succeeded(&self) -> bool {
        self.meta.as_ref().is_some_and(|m| m.err.is_none())
    }

    pub fn is_signed_by(&self, wallet: &str) -> bool {
        self.transaction
            .message
            .account_keys
            .iter()
            .any(|k| k.signer && k.pubkey == wallet)
    }

    /// Whether a top-level instruction calls `program` with data starting with
    /// `discriminator` (an Anchor instruction; unparsed instructions carry base58 data).
    pub fn calls(&self, program: &str, discriminator: &[u8]) -> bool {
        self.transaction.message.instructions.iter().any(|i| {
            i.get("programId").and_then(Value::as_str) == Some(program)
                && i.get("data")
                    .and_then(Value::as_str)
                    .and_then(|d| bs58::decode(d).into_vec().ok())
                    .is_some_and(|d| d.starts_with(discriminator))
        })
    }

    /// Every instruction, top level first, then the inner ones.
    fn all_instructions(&self) -> impl Iterator<Item = &Value> {
        let inner = self
            .meta
            .iter()
            .flat_map(|m| &m.inner_instructions)
            .flat_map(|i| &i.instructions);
        self.transaction.message.instructions.iter().chain(inner)
    }

    /// Token accounts by address: (mint, owner, decimals), from the balances before and after.
    fn token_accounts(&self) -> HashMap<&str, (&str, Option<&str>, u32)> {
        let keys = &self.transaction.message.account_keys;
        let mut accounts = HashMap::new();
        for balance in self
            .meta
            .iter()
            .flat_map(|m| m.pre_token_balances.iter().chain(&m.post_token_balances))
        {
            if let Some(key) = keys.get(balance.account_index) {
                accounts.insert(
                    key.pubkey.as_str(),
                    (
                        balance.mint.as_str(),
                        balance.owner.as_deref(),
                        balance.ui_token_amount.decimals,
                    ),
                );
            }
        }
        accounts
    }

    pub fn movements(&self) -> Vec<Movement> {
        let accounts = self.token_accounts();
        self.all_instructions()
            .filter_map(|instruction| movement(instruction, &accounts))
            .collect()
    }

    /// Raw units of `mint` that the economy program paid `wallet`: what the wallet's token
    /// accounts gained, but no more than what the rewards pool (accounts owned by
    /// `pool_owner`) lost plus what was minted to the wallet. A transfer from another wallet
    /// of the caller in the same transaction pays nothing out of the pool, so it does not
    /// count.
    pub fn paid_out(&self, wallet: &str, pool_owner: &str, mint: &str) -> u64 {
        let gained = self.token_change(wallet, mint).max(0);
        let from_pool = (-self.token_change(pool_owner, mint)).max(0);
        let accounts = self.token_accounts();
        let minted: i128 = self
            .all_instructions()
            .filter_map(|i| minted_to(i, &accounts, wallet, mint))
            .map(i128::from)
            .sum();
        u64::try_from(gained.min(from_pool + minted)).unwrap_or(u64::MAX)
    }

    /// Raw units of `mint` that token accounts owned by `owner` gained (negative: lost).
    pub fn token_change(&self, owner: &str, mint: &str) -> i128 {
        let Some(meta) = &self.meta else { return 0 };
        let sum = |balances: &[TokenBalance]| -> i128 {
            balances
                .iter()
                .filter(|b| b.mint == mint && b.owner.as_deref() == Some(owner))
                .filter_map(|b| b.ui_token_amount.amount.parse::<i128>().ok())
                .sum()
        };
        sum(&meta.post_token_balances) - sum(&meta.pre_token_balances)
    }
}

fn text(info: &Value, key: &str) -> Option<String> {
    info.get(key)?.as_str().map(str::to_owned)
}

/// Amounts come as JSON numbers (lamports) or strings (token units, to keep u64 precision).
fn amount(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// A `mintTo`/`mintToChecked` of `mint` into an account owned by `wallet`.
fn minted_to(
    instruction: &Value,
    accounts: &HashMap<&str, (&str, Option<&str>, u32)>,
    wallet: &str,
    mint: &str,
) -> Option<u64> {
    let parsed = instruction.get("parsed")?;
    if !matches!(parsed.get("type")?.as_str()?, "mintTo" | "mintToChecked") {
        return None;
    }
    let info = parsed.get("info")?;
    let account = info.get("account")?.as_str()?;
    let owned = accounts.get(account).is_some_and(|k| k.1 == Some(wallet));
    if info.get("mint")?.as_str()? != mint || !owned {
        return None;
    }
    match info.get("tokenAmount") {
        Some(t) => amount(t.get("amount")),
        None => amount(info.get("amount")),
    }
}

fn movement(instruction: &Value, accounts: &HashMap<&str, (&str, Option<&str>, u32)>) -> Option<Movement> {
    let program = instruction.get("program")?.as_str()?;
    let parsed = instruction.get("parsed")?;
    let kind = parsed.get("type")?.as_str()?;
    let info = parsed.get("info")?;
    let checked = info.get("tokenAmount");
    let token_amount = || match checked {
        Some(t) => amount(t.get("amount")),
        None => amount(info.get("amount")),
    };
    // A multisig-owned account names the multisig as `multisigAuthority`.
    let authority = || text(info, "authority").or_else(|| text(info, "multisigAuthority"));
    match (program, kind) {
        ("system", "transfer") => Some(Movement::Lamports {
            from: text(info, "source")?,
            to: text(info, "destination")?,
            amount: amount(info.get("lamports"))?,
        }),
        ("spl-token" | "spl-token-2022", "transfer" | "transferChecked") => {
            let to = text(info, "destination")?;
            let known = accounts
                .get(to.as_str())
                .or_else(|| info.get("source")?.as_str().and_then(|s| accounts.get(s)));
            let mint = text(info, "mint").or_else(|| known.map(|k| k.0.to_owned()));
            let decimals = checked
                .and_then(|t| t.get("decimals")?.as_u64())
                .map(|d| d as u32)
                .or_else(|| known.map(|k| k.2));
            let to_owner = accounts.get(to.as_str()).and_then(|k| k.1).map(str::to_owned);
            Some(Movement::Token {
                authority: authority()?,
                mint,
                decimals,
                to,
                to_owner,
                amount: token_amount()?,
            })
        }
        ("spl-token" | "spl-token-2022", "burn" | "burnChecked") => Some(Movement::Burn {
            authority: authority()?,
            mint: text(info, "mint"),
            amount: token_amount()?,
        }),
        _ => None,
    }
}
