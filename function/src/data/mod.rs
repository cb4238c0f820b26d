//! The game's documents on disk: loading `scores.json` and `profiles.json` with the bad-data
//! policy ([`load`]), and the deterministic sample-data generator ([`generate`]).

pub mod generate;
pub mod load;

pub use load::{load_dir, LoadError, LoadOptions, Loaded};
