//! The game's documents on disk: loading `scores.json` and `profiles.json` with the bad-data
//! policy ([`load`]), the index snapshot built from them ([`snapshot`]), the deterministic
//! sample-data generator ([`generate`]), and the avatar images the function serves
//! ([`avatars`]).

pub mod avatars;
pub mod generate;
pub mod load;
mod names;
mod prng;
pub mod snapshot;

pub use load::{load_dir, LoadError, LoadOptions, Loaded};
