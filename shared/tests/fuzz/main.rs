//! Randomized tests (a fixed seed, `FUZZ_CASES` cases each; see `neptu_shared::testing::fuzz`)
//! over what reads untrusted input: the domain validators and the request extractors.

mod domain;
mod extract;
