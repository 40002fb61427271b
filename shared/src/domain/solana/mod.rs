//! Solana, as far as payments need it: addresses and derived accounts, the Neptu program
//! instructions and plain SOL and token transfers, unsigned transactions, and reading what a
//! confirmed transaction moved.

pub mod address;
pub mod builtin;
pub mod message;
pub mod programs;
pub mod transfers;

#[cfg(test)]
mod tests;

pub use address::Address;
