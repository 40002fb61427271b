//! Byte-exact checks against the values the original published (`spec/original-api.md` §8).

use super::address::Address;
use super::message::unsigned_v0_transaction;
use super::programs::{self, Role, claim_rewards, pay_with_neptu, pay_with_sol, programs};

const USER: &str = "9WzDXwBbmkg8ZTbNMqUxvQRAyrZzDsGYdLVL9zYtAWWM";
const TREASURY: &str = "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E";
const BLOCKHASH: &str = "EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N";

fn addr(text: &str) -> Address {
    Address::parse(text).unwrap()
}

#[test]
fn derived_accounts_match_the_published_constants() {
    let p = programs();
    assert_eq!(p.mint.to_string(), "J4rUwfHS74XKTcNAX5wh5vuwYH4Fv5MR4Pdo4Gt4dhrq");
    assert_eq!(
        p.economy_authority.to_string(),
        "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E"
    );
    assert_eq!(
        p.rewards_pool.to_string(),
        "74ghaUNLKLaFvLN74G8yex8hougvJkqwJEBYxpSJ1ZL"
    );
}

#[test]
fn pay_with_sol_instruction() {
    let ix = pay_with_sol(addr(USER), addr(TREASURY), 0);
    assert_eq!(ix.program_id.to_string(), programs::ECONOMY_PROGRAM);
    assert_eq!(ix.data, [197, 17, 1, 143, 91, 139, 88, 220, 0]);
    let roles: Vec<u8> = ix.accounts.iter().map(|a| a.role as u8).collect();
    assert_eq!(roles, [3, 0, 1, 1, 1, 1, 0, 0, 0, 0]);
    let p = programs();
    let user_ata = programs::associated_token_address(&addr(USER), &p.mint);
    let addresses: Vec<Address> = ix.accounts.iter().map(|a| a.address).collect();
    assert_eq!(
        addresses,
        [
            addr(USER),
            p.pricing_config,
            addr(TREASURY),
            p.mint,
            user_ata,
            p.rewards_pool,
            p.economy_authority,
            addr(programs::SPL_TOKEN_PROGRAM),
            addr(programs::ASSOCIATED_TOKEN_PROGRAM),
            addr(programs::SYSTEM_PROGRAM),
        ]
    );
    let json = serde_json::to_value(&ix).unwrap();
    assert_eq!(json["accounts"][0]["address"], USER);
    assert_eq!(json["accounts"][0]["role"], 3);
    assert_eq!(json["data"][8], 0);
}

#[test]
fn pay_with_neptu_instruction() {
    let pool = addr("8XkixwmWWBNTk1RmJAnPKKVFZXEeTgBDFhF8Yz6afe41");
    let ix = pay_with_neptu(addr(USER), pool, 3);
    assert_eq!(ix.data, [156, 36, 200, 161, 119, 115, 155, 242, 3]);
    let roles: Vec<u8> = ix.accounts.iter().map(|a| a.role as u8).collect();
    assert_eq!(roles, [2, 0, 1, 1, 1, 0]);
    assert_eq!(ix.accounts[4].address, pool);
}

#[test]
fn claim_instruction_data() {
    // 12.5 NEPTU, nonce 1700000000000 (the web sends Date.now()).
    let ix = claim_rewards(addr(USER), 12_500_000, 1_700_000_000_000);
    let mut expected = vec![4, 144, 132, 71, 116, 23, 151, 80];
    expected.extend_from_slice(&[0x20, 0xBC, 0xBE, 0x00, 0, 0, 0, 0]);
    expected.extend_from_slice(&[0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01, 0, 0]);
    expected.extend_from_slice(&[0; 64]);
    assert_eq!(ix.data, expected);
    let claim_record = Address::pda(&[b"claim", addr(USER).as_bytes()], &programs().economy);
    assert_eq!(ix.accounts[1].address, claim_record);
    let roles: Vec<u8> = ix.accounts.iter().map(|a| a.role as u8).collect();
    assert_eq!(roles, [3, 1, 1, 1, 1, 0, 0, 0, 0]);
}

#[test]
fn unsigned_claim_transaction_layout() {
    let user = addr(USER);
    let ix = claim_rewards(user, 1_000_000, 7);
    let tx = unsigned_v0_transaction(user, addr(BLOCKHASH), std::slice::from_ref(&ix));
    // One empty signature slot.
    assert_eq!(tx[0], 1);
    assert!(tx[1..65].iter().all(|b| *b == 0));
    let m = &tx[65..];
    // v0 prefix; 1 signer, 0 readonly signers, 5 readonly non-signers (authority, 3 programs,
    // the economy program itself).
    assert_eq!(m[..4], [0x80, 1, 0, 5]);
    assert_eq!(m[4], 10, "10 static accounts");
    let keys: Vec<Address> = (0..10)
        .map(|i| Address::from_bytes(m[5 + 32 * i..37 + 32 * i].try_into().unwrap()))
        .collect();
    assert_eq!(keys[0], user, "the fee payer comes first");
    let p = programs();
    let user_ata = programs::associated_token_address(&user, &p.mint);
    let claim_record = ix.accounts[1].address;
    let mut writable = [claim_record, p.mint, user_ata, p.rewards_pool];
    writable.sort_by(|a, b| super::address::kit_order(&a.to_string(), &b.to_string()));
    assert_eq!(keys[1..5], writable[..]);
    let mut readonly = [
        p.economy_authority,
        p.spl_token,
        p.associated_token,
        p.system,
        p.economy,
    ];
    readonly.sort_by(|a, b| super::address::kit_order(&a.to_string(), &b.to_string()));
    assert_eq!(keys[5..], readonly[..]);
    // Collation, not byte order: the system program ("111…") first, "6Zxc…" before
    // "ATok…", "ATok…" before "BRW7…" and "BRW7…" before "Tokenkeg…".
    let names: Vec<String> = keys[5..].iter().map(Address::to_string).collect();
    assert_eq!(
        names,
        [
            programs::SYSTEM_PROGRAM,
            programs::ECONOMY_PROGRAM,
            programs::ASSOCIATED_TOKEN_PROGRAM,
            "BRW7fxvTcnnzi6dvgfiCoTnWJRFSMCirKAGRVn41Co4E",
            programs::SPL_TOKEN_PROGRAM,
        ]
    );
    let rest = &m[5 + 320..];
    assert_eq!(rest[..32], *addr(BLOCKHASH).as_bytes());
    let rest = &rest[32..];
    assert_eq!(rest[0], 1, "one instruction");
    let economy_index = keys.iter().position(|k| *k == p.economy).unwrap() as u8;
    assert_eq!(rest[1], economy_index);
    assert_eq!(rest[2], 9, "nine accounts");
    let indices: Vec<u8> = ix
        .accounts
        .iter()
        .map(|a| keys.iter().position(|k| *k == a.address).unwrap() as u8)
        .collect();
    assert_eq!(rest[3..12], indices[..]);
    assert_eq!(rest[12], 88, "8 + 8 + 8 + 64 data bytes");
    assert_eq!(rest[13..101], ix.data[..]);
    assert_eq!(rest[101..], [0], "no address-table lookups");
    assert_eq!(tx.len(), 1 + 64 + 5 + 320 + 32 + 102);
    assert!(
        Role::WritableSigner.is_signer()
            && Role::Writable.merge(Role::ReadonlySigner) == Role::WritableSigner
    );
}
