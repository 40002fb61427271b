//! Instructions of Solana's own programs that a plain payment needs: a system-program SOL
//! transfer and an SPL token `TransferChecked`. Data layouts are the programs' wire formats
//! (system: a 4-byte little-endian instruction index; SPL token: a 1-byte tag), so the web app
//! can hand the instruction to the wallet as it is.

use super::address::Address;
use super::programs::{AccountMeta, Instruction, Role, SPL_TOKEN_PROGRAM, SYSTEM_PROGRAM};

/// `SystemInstruction::Transfer` is index 2 of the system program's instruction enum.
const SYSTEM_TRANSFER: u32 = 2;
/// `TokenInstruction::TransferChecked` is tag 12 of the SPL token program.
const TRANSFER_CHECKED: u8 = 12;

fn meta(address: Address, role: Role) -> AccountMeta {
    AccountMeta { address, role }
}

/// Moves `lamports` from `from` (who signs and pays) to `to`.
pub fn system_transfer(from: Address, to: Address, lamports: u64) -> Instruction {
    let mut data = SYSTEM_TRANSFER.to_le_bytes().to_vec();
    data.extend_from_slice(&lamports.to_le_bytes());
    Instruction {
        program_id: Address::known(SYSTEM_PROGRAM),
        accounts: vec![meta(from, Role::WritableSigner), meta(to, Role::Writable)],
        data,
    }
}

/// Moves `amount` raw units of `mint` from the token account `source` to the token account
/// `destination`; `owner` owns `source` and signs. The program refuses the transfer unless
/// `mint` is the accounts' mint and `decimals` its decimals, so a wallet cannot be shown one
/// token and pay another.
pub fn transfer_checked(
    source: Address,
    mint: Address,
    destination: Address,
    owner: Address,
    amount: u64,
    decimals: u8,
) -> Instruction {
    let mut data = vec![TRANSFER_CHECKED];
    data.extend_from_slice(&amount.to_le_bytes());
    data.push(decimals);
    Instruction {
        program_id: Address::known(SPL_TOKEN_PROGRAM),
        accounts: vec![
            meta(source, Role::Writable),
            meta(mint, Role::Readonly),
            meta(destination, Role::Writable),
            meta(owner, Role::ReadonlySigner),
        ],
        data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> Address {
        Address::parse(text).unwrap()
    }

    const USER: &str = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
    const TREASURY: &str = "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E";
    const MINT: &str = "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq";
    const POOL: &str = "74ghaUNLKLaFvLN74G8yex8hougvJkqwJEBYxpSJ1ZL";

    #[test]
    fn system_transfer_bytes() {
        // 0.4 SOL = 400 000 000 lamports = 0x17D78400.
        let ix = system_transfer(addr(USER), addr(TREASURY), 400_000_000);
        assert_eq!(ix.program_id.to_string(), SYSTEM_PROGRAM);
        assert_eq!(ix.data, [2, 0, 0, 0, 0x00, 0x84, 0xD7, 0x17, 0, 0, 0, 0]);
        assert_eq!(
            ix.accounts,
            [
                meta(addr(USER), Role::WritableSigner),
                meta(addr(TREASURY), Role::Writable)
            ]
        );
        let json = serde_json::to_value(&ix).unwrap();
        assert_eq!(json["accounts"][0]["role"], 3);
        assert_eq!(json["accounts"][1]["role"], 1);
        let max = system_transfer(addr(USER), addr(TREASURY), u64::MAX);
        assert_eq!(max.data[4..], [0xFF; 8]);
    }

    #[test]
    fn transfer_checked_bytes_and_account_order() {
        // 400 NEPTU at 6 decimals = 400 000 000 raw = 0x17D78400.
        let (source, mint, destination, owner) = (addr(POOL), addr(MINT), addr(TREASURY), addr(USER));
        let ix = transfer_checked(source, mint, destination, owner, 400_000_000, 6);
        assert_eq!(ix.program_id.to_string(), SPL_TOKEN_PROGRAM);
        assert_eq!(ix.data, [12, 0x00, 0x84, 0xD7, 0x17, 0, 0, 0, 0, 6]);
        let order: Vec<(Address, u8)> = ix.accounts.iter().map(|a| (a.address, a.role as u8)).collect();
        assert_eq!(
            order,
            [(source, 1), (mint, 0), (destination, 1), (owner, 2)],
            "source, mint, destination, owner (readonly signer)"
        );
    }
}
