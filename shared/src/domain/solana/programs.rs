//! The Neptu on-chain programs: their ids, derived accounts and the instructions the build
//! routes hand to the web app. Bytes and account lists must equal
//! the original's, so wallets sign exactly what the programs expect.

use std::sync::LazyLock;

use serde::Serialize;

use super::address::Address;

pub const NEPTU_TOKEN_PROGRAM: &str = "7JDw4pncZg6g7ezhQSNxKhj3ptT62okgttDjLL4TwqHW";
pub const ECONOMY_PROGRAM: &str = "6Zxc4uCXKqWS6spnW7u9wA81PChgws6wbGAKJyi8PnvT";
pub const SYSTEM_PROGRAM: &str = "11111111111111111111111111111111";
pub const SPL_TOKEN_PROGRAM: &str = "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA";
pub const ASSOCIATED_TOKEN_PROGRAM: &str = "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL";

/// Anchor discriminators: the first 8 bytes of `sha256("global:<name>")`.
const PAY_WITH_SOL: [u8; 8] = [197, 17, 1, 143, 91, 139, 88, 220];
const PAY_WITH_NEPTU: [u8; 8] = [156, 36, 200, 161, 119, 115, 155, 242];
pub const CLAIM_REWARDS: [u8; 8] = [4, 144, 132, 71, 116, 23, 151, 80];

/// The program ids and the accounts derived from them; the same on every network.
#[derive(Debug)]
pub struct Programs {
    pub token: Address,
    pub economy: Address,
    pub system: Address,
    pub spl_token: Address,
    pub associated_token: Address,
    /// `["mint"]` under the token program: the NEPTU mint.
    pub mint: Address,
    /// `["economy"]` under the economy program; owns the rewards pool.
    pub economy_authority: Address,
    pub economy_state: Address,
    pub pricing_config: Address,
    /// The economy authority's NEPTU token account.
    pub rewards_pool: Address,
}

static PROGRAMS: LazyLock<Programs> = LazyLock::new(|| {
    let token = Address::known(NEPTU_TOKEN_PROGRAM);
    let economy = Address::known(ECONOMY_PROGRAM);
    let mint = Address::pda(&[b"mint"], &token);
    let economy_authority = Address::pda(&[b"economy"], &economy);
    Programs {
        token,
        economy,
        system: Address::known(SYSTEM_PROGRAM),
        spl_token: Address::known(SPL_TOKEN_PROGRAM),
        associated_token: Address::known(ASSOCIATED_TOKEN_PROGRAM),
        mint,
        economy_authority,
        economy_state: Address::pda(&[b"economy_state"], &economy),
        pricing_config: Address::pda(&[b"pricing_config"], &economy),
        rewards_pool: associated_token_address(&economy_authority, &mint),
    }
});

pub fn programs() -> &'static Programs {
    &PROGRAMS
}

/// The owner's associated token account for `mint` (classic SPL token program).
pub fn associated_token_address(owner: &Address, mint: &Address) -> Address {
    Address::pda(
        &[
            owner.as_bytes(),
            Address::known(SPL_TOKEN_PROGRAM).as_bytes(),
            mint.as_bytes(),
        ],
        &Address::known(ASSOCIATED_TOKEN_PROGRAM),
    )
}

/// `@solana/kit`'s `AccountRole`: bit 0 writable, bit 1 signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(into = "u8")]
pub enum Role {
    Readonly = 0,
    Writable = 1,
    ReadonlySigner = 2,
    WritableSigner = 3,
}

impl From<Role> for u8 {
    fn from(role: Role) -> u8 {
        role as u8
    }
}

impl Role {
    pub fn is_signer(self) -> bool {
        matches!(self, Role::ReadonlySigner | Role::WritableSigner)
    }

    pub fn is_writable(self) -> bool {
        matches!(self, Role::Writable | Role::WritableSigner)
    }

    /// Both flags of either role (an account used twice keeps the stronger rights).
    pub fn merge(self, other: Role) -> Role {
        match (
            self.is_signer() || other.is_signer(),
            self.is_writable() || other.is_writable(),
        ) {
            (true, true) => Role::WritableSigner,
            (true, false) => Role::ReadonlySigner,
            (false, true) => Role::Writable,
            (false, false) => Role::Readonly,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AccountMeta {
    #[schema(value_type = String)]
    pub address: Address,
    /// 0 readonly, 1 writable, 2 readonly signer, 3 writable signer.
    #[schema(value_type = u8)]
    pub role: Role,
}

/// The JSON form the web app turns into a `@solana/kit` instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Instruction {
    #[schema(value_type = String)]
    pub program_id: Address,
    pub accounts: Vec<AccountMeta>,
    /// The instruction data as byte values.
    pub data: Vec<u8>,
}

fn meta(address: Address, role: Role) -> AccountMeta {
    AccountMeta { address, role }
}

fn with_reading(discriminator: [u8; 8], reading_index: u8) -> Vec<u8> {
    let mut data = discriminator.to_vec();
    data.push(reading_index);
    data
}

/// `pay_with_sol`: the program takes the price in SOL for the treasury and pays the NEPTU
/// reward from the rewards pool into the user's token account.
pub fn pay_with_sol(user: Address, treasury: Address, reading_index: u8) -> Instruction {
    let p = programs();
    let user_ata = associated_token_address(&user, &p.mint);
    Instruction {
        program_id: p.economy,
        accounts: vec![
            meta(user, Role::WritableSigner),
            meta(p.pricing_config, Role::Readonly),
            meta(treasury, Role::Writable),
            meta(p.mint, Role::Writable),
            meta(user_ata, Role::Writable),
            meta(p.rewards_pool, Role::Writable),
            meta(p.economy_authority, Role::Readonly),
            meta(p.spl_token, Role::Readonly),
            meta(p.associated_token, Role::Readonly),
            meta(p.system, Role::Readonly),
        ],
        data: with_reading(PAY_WITH_SOL, reading_index),
    }
}

/// `pay_with_neptu`: half the price is burned, half goes to the ecosystem pool. The user is a
/// readonly signer here, as in the original.
pub fn pay_with_neptu(user: Address, ecosystem_pool: Address, reading_index: u8) -> Instruction {
    let p = programs();
    let user_ata = associated_token_address(&user, &p.mint);
    Instruction {
        program_id: p.economy,
        accounts: vec![
            meta(user, Role::ReadonlySigner),
            meta(p.pricing_config, Role::Readonly),
            meta(p.mint, Role::Writable),
            meta(user_ata, Role::Writable),
            meta(ecosystem_pool, Role::Writable),
            meta(p.spl_token, Role::Readonly),
        ],
        data: with_reading(PAY_WITH_NEPTU, reading_index),
    }
}

/// `claim_rewards`: amount in raw units (6 decimals), a nonce, and the 64-byte authorisation
/// signature, all zeros as in the original (the program does not check it yet).
pub fn claim_rewards(user: Address, amount_raw: u64, nonce: u64) -> Instruction {
    let p = programs();
    let user_ata = associated_token_address(&user, &p.mint);
    let claim_record = Address::pda(&[b"claim", user.as_bytes()], &p.economy);
    let mut data = CLAIM_REWARDS.to_vec();
    data.extend_from_slice(&amount_raw.to_le_bytes());
    data.extend_from_slice(&nonce.to_le_bytes());
    data.extend_from_slice(&[0; 64]);
    Instruction {
        program_id: p.economy,
        accounts: vec![
            meta(user, Role::WritableSigner),
            meta(claim_record, Role::Writable),
            meta(p.mint, Role::Writable),
            meta(user_ata, Role::Writable),
            meta(p.rewards_pool, Role::Writable),
            meta(p.economy_authority, Role::Readonly),
            meta(p.spl_token, Role::Readonly),
            meta(p.associated_token, Role::Readonly),
            meta(p.system, Role::Readonly),
        ],
        data,
    }
}
