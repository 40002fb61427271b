//! Balinese calendar engine (see `spec/wariga.md`). Pure: no I/O.
