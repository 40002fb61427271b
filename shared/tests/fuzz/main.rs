//! Randomized tests (a fixed seed, `FUZZ_CASES` cases each; see `neptu_shared::testing::fuzz`)
//! over what reads untrusted input: the domain validators (the request extractors are fuzzed
//! in `neptu-http`'s tests).

mod domain;
