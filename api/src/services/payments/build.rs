//! What the wallet signs to pay for a reading (or to claim its rewards): the economy
//! program's instruction, the SUDIGITAL transfer, or the whole unsigned claim transaction,
//! each with the blockhash it must use.

use neptu_shared::clients::solana::SolanaRpc;
use neptu_shared::config::SolanaSettings;
use neptu_shared::domain::enums::ReadingType;
use neptu_shared::domain::payments::raw_units;
use neptu_shared::domain::pricing::{ReadingPrice, reading_price};
use neptu_shared::domain::solana::Address;
use neptu_shared::domain::solana::message::unsigned_v0_transaction;
use neptu_shared::domain::solana::programs::{self, Instruction};

use super::{PaymentError, TOKEN_DECIMALS};
use crate::services::chain::{self, ChainError, Lifetime};

/// A checked build request: the paying wallet, the reading, and optionally the client's
/// blockhash.
#[derive(Debug, Clone)]
pub struct Order {
    pub wallet: Address,
    /// The wallet as the client sent it (the SUDIGITAL transfer echoes it).
    pub wallet_address: String,
    pub reading_type: ReadingType,
    pub blockhash: Option<String>,
    pub last_valid_block_height: Option<u64>,
}

/// An instruction to sign, its blockhash, and what the reading costs.
pub struct Built<T> {
    pub payment: T,
    pub lifetime: Lifetime,
    pub price: ReadingPrice,
}

/// The SPL transfer of SUDIGITAL the web app builds itself.
pub struct Transfer {
    pub mint: String,
    pub from: String,
    pub to: Address,
    /// Raw units (price × 10^6).
    pub amount: u64,
}

/// A recipient address from the configuration. Missing, the route cannot work on this
/// deployment: 503 with the original's message (it answered 500).
fn configured(value: Option<&String>, message: &'static str) -> Result<Address, PaymentError> {
    value
        .and_then(|v| Address::parse(v))
        .ok_or(PaymentError::Unavailable(message))
}

async fn lifetime(
    rpc: Option<&dyn SolanaRpc>,
    hash: Option<String>,
    height: Option<u64>,
) -> Result<Lifetime, PaymentError> {
    let rpc = chain::configured(rpc)?;
    Ok(chain::lifetime(rpc, hash, height)
        .await
        .map_err(ChainError::from)?)
}

/// The economy program's `pay_with_sol` instruction for a reading.
pub async fn sol(
    rpc: Option<&dyn SolanaRpc>,
    solana: &SolanaSettings,
    order: Order,
) -> Result<Built<Instruction>, PaymentError> {
    let treasury = configured(Some(&solana.treasury), "Treasury address not configured")?;
    let price = reading_price(order.reading_type);
    let payment = programs::pay_with_sol(order.wallet, treasury, price.program_index);
    let lifetime = lifetime(rpc, order.blockhash, order.last_valid_block_height).await?;
    Ok(Built {
        payment,
        lifetime,
        price,
    })
}

/// The economy program's `pay_with_neptu` instruction (half burned, half to the ecosystem).
pub async fn neptu(
    rpc: Option<&dyn SolanaRpc>,
    solana: &SolanaSettings,
    order: Order,
) -> Result<Built<Instruction>, PaymentError> {
    let pool = configured(
        solana.ecosystem_pool.as_ref(),
        "Ecosystem pool address not configured",
    )?;
    let price = reading_price(order.reading_type);
    let payment = programs::pay_with_neptu(order.wallet, pool, price.program_index);
    let lifetime = lifetime(rpc, order.blockhash, order.last_valid_block_height).await?;
    Ok(Built {
        payment,
        lifetime,
        price,
    })
}

/// The SUDIGITAL transfer of the reading's price to its treasury.
pub async fn sudigital(
    rpc: Option<&dyn SolanaRpc>,
    solana: &SolanaSettings,
    order: Order,
) -> Result<Built<Transfer>, PaymentError> {
    let to = configured(
        solana.sudigital_treasury.as_ref(),
        "SUDIGITAL treasury address not configured",
    )?;
    let price = reading_price(order.reading_type);
    let amount =
        raw_units(price.sudigital, TOKEN_DECIMALS).ok_or_else(|| anyhow::anyhow!("price out of range"))?;
    let lifetime = lifetime(rpc, order.blockhash, order.last_valid_block_height).await?;
    Ok(Built {
        payment: Transfer {
            mint: solana.sudigital_mint.clone(),
            from: order.wallet_address,
            to,
            amount,
        },
        lifetime,
        price,
    })
}

/// A checked claim build request: `raw` NEPTU units to claim under `nonce`.
#[derive(Debug, Clone)]
pub struct ClaimOrder {
    pub wallet: Address,
    pub raw: u64,
    pub nonce: u64,
    pub blockhash: Option<String>,
    pub last_valid_block_height: Option<u64>,
}

/// The whole unsigned v0 claim transaction (fee payer: the wallet) and its blockhash.
pub async fn claim(
    rpc: Option<&dyn SolanaRpc>,
    order: ClaimOrder,
) -> Result<(Vec<u8>, Lifetime), PaymentError> {
    let instruction = programs::claim_rewards(order.wallet, order.raw, order.nonce);
    let lifetime = lifetime(rpc, order.blockhash, order.last_valid_block_height).await?;
    let blockhash = Address::parse(&lifetime.blockhash).ok_or(PaymentError::Unavailable(
        "Solana RPC returned an invalid blockhash",
    ))?;
    Ok((
        unsigned_v0_transaction(order.wallet, blockhash, &[instruction]),
        lifetime,
    ))
}
