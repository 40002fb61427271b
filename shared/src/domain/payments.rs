//! Payment verification rules: a signature proves a payment only if the transaction exists,
//! succeeded, was signed by the paying wallet and moved at least the price of the right asset
//! from that wallet to the right recipient. The original accepted any transfer to anyone.

use rust_decimal::Decimal;

use super::enums::PaymentType;
use super::solana::transfers::{Movement, ParsedTransaction};

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
