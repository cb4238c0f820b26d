//! Custom hooks: I/O at the edge of the component tree.

mod meta;
mod url_sync;
mod use_leaderboard;

pub use meta::use_meta;
pub use url_sync::{page_url, query_from_url_pairs};
pub use use_leaderboard::use_leaderboard;
