//! Payment verification rules: a signature proves a payment only if the transaction exists,
//! succeeded, was signed by the paying wallet and moved at least the price of the right asset
//! from that wallet to the right recipient. The original accepted any transfer to anyone.

use rust_decimal::Decimal;

use super::enums::PaymentType;
use super::solana::transfers::{Movement, ParsedTransaction};

/// SOL has 9 decimals, NEPTU and SUDIGITAL 6.
pub const SOL_DECIMALS: u32 = 9;
pub const TOKEN_DECIMALS: u32 = 6;

/// What a payment of one reading must look like on chain.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub payer: &'a str,
    pub payment_type: PaymentType,
    /// Wallet (or token account) that must receive the payment.
    pub recipient: &'a str,
    /// The token's mint; ignored for SOL.
    pub mint: &'a str,
    pub decimals: u32,
    /// The list price, in whole units (SOL, NEPTU, SUDIGITAL).
    pub price: Decimal,
}

/// What the transaction actually moved, in raw units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paid {
    /// To the recipient.
    pub transferred: u64,
    /// NEPTU burned by the payer (the economy program burns half of a NEPTU payment).
    pub burned: u64,
    pub decimals: u32,
}

impl Paid {
    pub fn total(&self) -> u64 {
        self.transferred.saturating_add(self.burned)
    }

    pub fn total_units(&self) -> Decimal {
        units(self.total(), self.decimals)
    }

    pub fn burned_units(&self) -> Decimal {
        units(self.burned, self.decimals)
    }
}

/// Why a signature does not prove the payment; the message is the client's `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Rejection {
    #[error("Transaction not found")]
    NotFound,
    #[error("Transaction failed")]
    Failed,
    #[error("Transaction not signed by the wallet")]
    NotSigned,
    #[error("No valid transfer found")]
    NoTransfer,
    #[error("Transfer is not in the expected token")]
    WrongAsset,
    #[error("Transfer does not go to the treasury")]
    WrongRecipient,
    #[error("Transferred amount is less than the price")]
    Underpaid,
}

/// Raw integer units of a whole-unit amount (`0.01` SOL → 10 000 000 lamports).
pub fn raw_units(amount: Decimal, decimals: u32) -> Option<u64> {
    let scaled = amount.checked_mul(Decimal::from(10u64.checked_pow(decimals)?))?;
    if scaled.fract().is_zero() {
        u64::try_from(scaled).ok()
    } else {
        None
    }
}

/// Whole units of a raw amount, without trailing zeros.
pub fn units(raw: u64, decimals: u32) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(raw), decimals).normalize()
}

/// Checks the transaction against what the payment must be.
pub fn verify(tx: Option<&ParsedTransaction>, expected: &Expected<'_>) -> Result<Paid, Rejection> {
    let tx = tx.ok_or(Rejection::NotFound)?;
    if !tx.succeeded() {
        return Err(Rejection::Failed);
    }
    if !tx.is_signed_by(expected.payer) {
        return Err(Rejection::NotSigned);
    }
    let price = raw_units(expected.price, expected.decimals).ok_or(Rejection::Underpaid)?;
    let movements = tx.movements();
    let paid = match expected.payment_type {
        PaymentType::Sol => sol_paid(&movements, expected)?,
        PaymentType::Neptu | PaymentType::Sudigital => token_paid(&movements, expected)?,
    };
    if paid.total() < price {
        return Err(Rejection::Underpaid);
    }
    Ok(paid)
}

/// [`verify`] for a payment that must reach the recipient in full: burns the payer made in
/// the same transaction pay nothing (a plan or credit pack is paid by a plain transfer, unlike
/// a reading paid through the economy program, which burns half of a NEPTU price).
pub fn verify_transfer(tx: Option<&ParsedTransaction>, expected: &Expected<'_>) -> Result<Paid, Rejection> {
    let paid = verify(tx, expected)?;
    let price = raw_units(expected.price, expected.decimals).ok_or(Rejection::Underpaid)?;
    if paid.transferred < price {
        return Err(Rejection::Underpaid);
    }
    Ok(Paid { burned: 0, ..paid })
}

fn sol_paid(movements: &[Movement], expected: &Expected<'_>) -> Result<Paid, Rejection> {
    let mut any = false;
    let mut transferred = 0u64;
    for m in movements {
        if let Movement::Lamports { from, to, amount } = m
            && from == expected.payer
        {
            any = true;
            if to == expected.recipient {
                transferred = transferred.saturating_add(*amount);
            }
        }
    }
    match (any, transferred) {
        (false, _) => Err(Rejection::NoTransfer),
        (true, 0) => Err(Rejection::WrongRecipient),
        _ => Ok(Paid {
            transferred,
            burned: 0,
            decimals: expected.decimals,
        }),
    }
}

fn token_paid(movements: &[Movement], expected: &Expected<'_>) -> Result<Paid, Rejection> {
    let right_token = |mint: &Option<String>, decimals: &Option<u32>| {
        mint.as_deref() == Some(expected.mint) && decimals.is_none_or(|d| d == expected.decimals)
    };
    let (mut any, mut any_right_token) = (false, false);
    let (mut transferred, mut burned) = (0u64, 0u64);
    for m in movements {
        match m {
            Movement::Token {
                authority,
                mint,
                decimals,
                to,
                to_owner,
                amount,
            } if authority == expected.payer => {
                any = true;
                if !right_token(mint, decimals) {
                    continue;
                }
                any_right_token = true;
                if to == expected.recipient || to_owner.as_deref() == Some(expected.recipient) {
                    transferred = transferred.saturating_add(*amount);
                }
            }
            Movement::Burn {
                authority,
                mint,
                amount,
            } if authority == expected.payer && mint.as_deref() == Some(expected.mint) => {
                burned = burned.saturating_add(*amount);
            }
            _ => {}
        }
    }
    match (any, any_right_token, transferred) {
        (false, _, _) => Err(Rejection::NoTransfer),
        (true, false, _) => Err(Rejection::WrongAsset),
        (true, true, 0) => Err(Rejection::WrongRecipient),
        _ => Ok(Paid {
            transferred,
            // Burns count only for NEPTU, where the program burns half of the price.
            burned: if expected.payment_type == PaymentType::Neptu {
                burned
            } else {
                0
            },
            decimals: expected.decimals,
        }),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    const PAYER: &str = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
    const TREASURY: &str = "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E";
    const MINT: &str = "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq";
    const POOL_ATA: &str = "74ghaUNLKLaFvLN74G8yex8hougvJkqwJEBYxpSJ1ZL";

    fn tx(top: Vec<Value>, inner: Vec<Value>, balances: Vec<Value>) -> ParsedTransaction {
        serde_json::from_value(json!({
            "meta": { "err": null, "preTokenBalances": balances, "postTokenBalances": [],
                "innerInstructions": [{ "index": 0, "instructions": inner }] },
            "transaction": { "message": {
                "accountKeys": [
                    { "pubkey": PAYER, "signer": true, "writable": true },
                    { "pubkey": POOL_ATA, "signer": false, "writable": true },
                ],
                "instructions": top,
            } },
        }))
        .unwrap()
    }

    fn expected(payment_type: PaymentType, recipient: &'static str, price: Decimal) -> Expected<'static> {
        let decimals = if payment_type == PaymentType::Sol { 9 } else { 6 };
        Expected {
            payer: PAYER,
            payment_type,
            recipient,
            mint: MINT,
            decimals,
            price,
        }
    }

    #[test]
    fn sol_paid_inside_a_program_call_counts() {
        let program_call = json!({ "programId": "6Zxc4uCXKqWS6spnW7u9wA81PChgws6wbGAKJyi8PnvT", "accounts": [], "data": "x" });
        let inner = json!({ "program": "system", "parsed": { "type": "transfer",
            "info": { "source": PAYER, "destination": TREASURY, "lamports": 5_000_000 } } });
        let t = tx(vec![program_call], vec![inner.clone(), inner], vec![]);
        let paid = verify(
            Some(&t),
            &expected(PaymentType::Sol, TREASURY, Decimal::new(1, 2)),
        )
        .unwrap();
        assert_eq!(
            (paid.transferred, paid.total_units()),
            (10_000_000, Decimal::new(1, 2))
        );
        assert_eq!(
            verify(
                Some(&t),
                &expected(PaymentType::Sol, TREASURY, Decimal::new(11, 3))
            ),
            Err(Rejection::Underpaid)
        );
    }

    #[test]
    fn an_unchecked_token_transfer_takes_its_mint_from_the_balances() {
        let transfer = json!({ "program": "spl-token", "parsed": { "type": "transfer",
            "info": { "source": "x", "destination": POOL_ATA, "authority": PAYER, "amount": "10000000" } } });
        let balance = json!({ "accountIndex": 1, "mint": MINT, "owner": TREASURY,
            "uiTokenAmount": { "amount": "0", "decimals": 6 } });
        let t = tx(vec![transfer.clone()], vec![], vec![balance.clone()]);
        // The pool's token account itself, or its owner, may be the configured recipient.
        for recipient in [POOL_ATA, TREASURY] {
            let paid = verify(Some(&t), &expected(PaymentType::Neptu, recipient, Decimal::TEN)).unwrap();
            assert_eq!(paid.total(), 10_000_000);
        }
        // Same mint address but other decimals is not the token we price.
        let mut other = balance;
        other["uiTokenAmount"]["decimals"] = json!(9);
        let t = tx(vec![transfer], vec![], vec![other]);
        assert_eq!(
            verify(Some(&t), &expected(PaymentType::Neptu, POOL_ATA, Decimal::TEN)),
            Err(Rejection::WrongAsset)
        );
    }

    #[test]
    fn transfers_signed_by_someone_else_do_not_count() {
        let transfer = json!({ "program": "system", "parsed": { "type": "transfer",
            "info": { "source": POOL_ATA, "destination": TREASURY, "lamports": 10_000_000 } } });
        let t = tx(vec![transfer], vec![], vec![]);
        assert_eq!(
            verify(
                Some(&t),
                &expected(PaymentType::Sol, TREASURY, Decimal::new(1, 2))
            ),
            Err(Rejection::NoTransfer)
        );
        assert_eq!(
            verify(None, &expected(PaymentType::Sol, TREASURY, Decimal::ONE)),
            Err(Rejection::NotFound)
        );
    }

    #[test]
    fn claims_count_only_what_the_pool_paid_or_the_program_minted() {
        let bal = |index: usize, owner: &str, amount: &str| {
            json!({ "accountIndex": index, "mint": MINT, "owner": owner,
                "uiTokenAmount": { "amount": amount, "decimals": 6 } })
        };
        let mint_to = json!({ "program": "spl-token", "parsed": { "type": "mintTo",
            "info": { "account": POOL_ATA, "mint": MINT, "mintAuthority": TREASURY, "amount": "400000" } } });
        let mut t = tx(vec![], vec![mint_to], vec![bal(1, PAYER, "0")]);
        t.meta.as_mut().unwrap().post_token_balances =
            serde_json::from_value(json!([bal(1, PAYER, "1000000")])).unwrap();
        // The wallet gained 1 NEPTU, but only 0.4 came from the program (minted).
        assert_eq!(t.paid_out(PAYER, TREASURY, MINT), 400_000);
    }

    #[test]
    fn a_full_transfer_does_not_count_burns() {
        let transfer = |amount: &str| {
            json!({ "program": "spl-token", "parsed": { "type": "transferChecked",
                "info": { "source": "x", "destination": POOL_ATA, "mint": MINT, "authority": PAYER,
                    "tokenAmount": { "amount": amount, "decimals": 6 } } } })
        };
        let burn = json!({ "program": "spl-token", "parsed": { "type": "burn",
            "info": { "account": "x", "mint": MINT, "authority": PAYER, "amount": "5000000" } } });
        let want = expected(PaymentType::Neptu, POOL_ATA, Decimal::TEN);
        // Half sent, half burned: a reading's NEPTU payment, not a plan's.
        let t = tx(vec![transfer("5000000")], vec![burn.clone()], vec![]);
        assert_eq!(verify(Some(&t), &want).map(|p| p.total()), Ok(10_000_000));
        assert_eq!(verify_transfer(Some(&t), &want), Err(Rejection::Underpaid));
        let t = tx(vec![transfer("10000000")], vec![burn], vec![]);
        let paid = verify_transfer(Some(&t), &want).unwrap();
        assert_eq!((paid.transferred, paid.burned), (10_000_000, 0));
        assert_eq!(paid.total_units(), Decimal::TEN);
    }

    #[test]
    fn unit_conversions() {
        assert_eq!(raw_units(Decimal::new(1, 2), 9), Some(10_000_000));
        assert_eq!(raw_units(Decimal::new(25, 1), 6), Some(2_500_000));
        assert_eq!(raw_units(Decimal::new(1, 10), 6), None, "below one raw unit");
        assert_eq!(units(12_345_678, 6).to_string(), "12.345678");
        assert_eq!(units(1_000_000_000, 9).to_string(), "1");
    }
}
