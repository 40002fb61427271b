//! Byte-exact checks against the values the original published.

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
    // Not published by the original; computed with `@solana/kit`'s `getProgramDerivedAddress`.
    assert_eq!(
        p.pricing_config.to_string(),
        "2d8ojCTHXskZm64gdEeoztPmDfAQMXuJ48GJDYwZUYUY"
    );
    assert_eq!(
        p.economy_state.to_string(),
        "2xwDMxJM6iH4F4arSmWBKQ5NNAKRrsVW7dDXFDN7GGSt"
    );
    assert_eq!(
        programs::associated_token_address(&addr(USER), &p.mint).to_string(),
        "BTZSNwSdqCE3Fueh2A8ScMGzYE9aRdk8SVr14mrL6VcJ"
    );
    assert_eq!(
        Address::pda(&[b"claim", addr(USER).as_bytes()], &p.economy).to_string(),
        "8YNKUH3dXSVG6ovRJnpbD23Dp8FNdiC2fsdFFUkzDkGx"
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

/// Unsigned claim transactions compiled by `@solana/kit` 2.3.0 (`compileTransaction` +
/// `getTransactionEncoder`, the calls the original's claim route makes) for the same inputs.
const KIT_CLAIM_1: &str = "0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000800100050a7e8c088760bfde1dddcf32c17f209b8242ee52aaf131facd88d0ea2c6d0b06f2018da6a1b0956e8332c23272e276b8da311ab769d0234976940208a9ab38b02b700aeb1d6c2282f3837470fbeef9194b1321fead5c08f54985dfabd81ab5f6b99b62a5c68fd874069db787862d5339d9594138f6d85d6de3c975187468248b07fd935e90171be1fcb66a50743a72449ed5a6b34bab0267c7f551281d75405fda000000000000000000000000000000000000000000000000000000000000000052bbe491f9e99df9c2f1b9d292c56d4b2a180f754b0d22ea7b134c5361d165708c97258f4e2489f1bb3d1029148e0d830b5a1399daff1084048e7bd8dbe9f8599adbbaa9b111526bc88eb87e91c48be07eae12d780a141ec7833fd81ce4c5f0b06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9cc490e928cd2e3873bb343fc95da33179ca60f4dbf46c2c36e91299d55d4e6b901060900020403010809070558049084477417975040420f000000000007000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
const KIT_CLAIM_2: &str = "0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000800100050a000000000000000000000000000000000000000000000000000000000000000147eba64e103d41059b2bbb0c2a6c95b926df453f2b1ef5e43aed22ce3a7879e7018da6a1b0956e8332c23272e276b8da311ab769d0234976940208a9ab38b02be5cb6f2ce5de2c233e749631e609bd873d0fcefe44d1834c9a90fc0bc6d52702fd935e90171be1fcb66a50743a72449ed5a6b34bab0267c7f551281d75405fda000000000000000000000000000000000000000000000000000000000000000052bbe491f9e99df9c2f1b9d292c56d4b2a180f754b0d22ea7b134c5361d165708c97258f4e2489f1bb3d1029148e0d830b5a1399daff1084048e7bd8dbe9f8599adbbaa9b111526bc88eb87e91c48be07eae12d780a141ec7833fd81ce4c5f0b06ddf6e1d765a193d9cbe146ceeb79ac1cb485ed5f5b37913a8cf5857eff00a9e332daf92fabece8b63ff7a44005e5fdfd9afa158756b61c5a95f904b3b8d08101060900010403020809070558049084477417975020bcbe00000000000068e5cf8b0100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn claim_transactions_equal_the_kit_compiled_ones() {
    let cases = [
        (USER, 1_000_000, 7, BLOCKHASH, KIT_CLAIM_1),
        (
            "11111111111111111111111111111112",
            12_500_000,
            1_700_000_000_000,
            "GHtXQBsoZHVnNFa9YevAzFr17DJjgHXk3ycTKD5xD3Zi",
            KIT_CLAIM_2,
        ),
    ];
    for (user, amount, nonce, blockhash, expected) in cases {
        let ix = claim_rewards(addr(user), amount, nonce);
        let tx = unsigned_v0_transaction(addr(user), addr(blockhash), &[ix]);
        assert_eq!(tx, hex(expected), "{user}");
    }
}
