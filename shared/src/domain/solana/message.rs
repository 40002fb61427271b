//! Wire encoding of an unsigned version-0 transaction, laid out as `@solana/kit`'s
//! `compileTransaction` + `getTransactionEncoder` lay it out (no address-table lookups).

use super::address::{Address, kit_order};
use super::programs::{Instruction, Role};

/// Solana's "compact-u16": 7 bits per byte, high bit set while more follow.
fn short_vec_len(out: &mut Vec<u8>, len: usize) {
    let mut rest = u16::try_from(len).expect("a transaction never holds 65536 items");
    loop {
        let byte = (rest & 0x7f) as u8;
        rest >>= 7;
        if rest == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// The static accounts in kit's order: the fee payer, then signers before non-signers,
/// writable before readonly, and by address collation within each group. Program ids take
/// part as readonly accounts.
fn ordered_accounts(fee_payer: Address, instructions: &[Instruction]) -> Vec<(Address, Role)> {
    let mut accounts: Vec<(Address, Role)> = Vec::new();
    let mut add = |address: Address, role: Role| match accounts.iter_mut().find(|(a, _)| *a == address) {
        Some((_, existing)) => *existing = existing.merge(role),
        None => accounts.push((address, role)),
    };
    add(fee_payer, Role::WritableSigner);
    for instruction in instructions {
        add(instruction.program_id, Role::Readonly);
        for meta in &instruction.accounts {
            add(meta.address, meta.role);
        }
    }
    let texts: Vec<(Address, Role, String)> = accounts
        .into_iter()
        .map(|(address, role)| (address, role, address.to_string()))
        .collect();
    let mut sorted = texts;
    sorted.sort_by(|(la, lr, lt), (ra, rr, rt)| {
        (*ra == fee_payer)
            .cmp(&(*la == fee_payer))
            .then(rr.is_signer().cmp(&lr.is_signer()))
            .then(rr.is_writable().cmp(&lr.is_writable()))
            .then_with(|| kit_order(lt, rt))
    });
    sorted.into_iter().map(|(a, r, _)| (a, r)).collect()
}

/// The message bytes: version prefix, header, accounts, blockhash, instructions, lookups.
pub fn compile_v0_message(fee_payer: Address, blockhash: Address, instructions: &[Instruction]) -> Vec<u8> {
    let accounts = ordered_accounts(fee_payer, instructions);
    let count = |f: &dyn Fn(Role) -> bool| accounts.iter().filter(|(_, r)| f(*r)).count() as u8;
    let index = |address: &Address| {
        accounts
            .iter()
            .position(|(a, _)| a == address)
            .expect("every instruction account is in the table") as u8
    };
    let mut out = vec![0x80];
    out.push(count(&|r| r.is_signer()));
    out.push(count(&|r| r.is_signer() && !r.is_writable()));
    out.push(count(&|r| !r.is_signer() && !r.is_writable()));
    short_vec_len(&mut out, accounts.len());
    for (address, _) in &accounts {
        out.extend_from_slice(address.as_bytes());
    }
    out.extend_from_slice(blockhash.as_bytes());
    short_vec_len(&mut out, instructions.len());
    for instruction in instructions {
        out.push(index(&instruction.program_id));
        short_vec_len(&mut out, instruction.accounts.len());
        out.extend(instruction.accounts.iter().map(|m| index(&m.address)));
        short_vec_len(&mut out, instruction.data.len());
        out.extend_from_slice(&instruction.data);
    }
    short_vec_len(&mut out, 0);
    out
}

/// A transaction nobody has signed yet: one zeroed 64-byte slot per required signature, then
/// the message.
pub fn unsigned_v0_transaction(
    fee_payer: Address,
    blockhash: Address,
    instructions: &[Instruction],
) -> Vec<u8> {
    let message = compile_v0_message(fee_payer, blockhash, instructions);
    let signers = usize::from(message[1]);
    let mut out = Vec::with_capacity(1 + 64 * signers + message.len());
    short_vec_len(&mut out, signers);
    out.resize(out.len() + 64 * signers, 0);
    out.extend_from_slice(&message);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_u16() {
        let enc = |n| {
            let mut v = Vec::new();
            short_vec_len(&mut v, n);
            v
        };
        assert_eq!(enc(0), [0]);
        assert_eq!(enc(127), [0x7f]);
        assert_eq!(enc(128), [0x80, 0x01]);
        assert_eq!(enc(16384), [0x80, 0x80, 0x01]);
    }
}
