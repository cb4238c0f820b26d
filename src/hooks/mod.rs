//! Custom hooks: I/O at the edge of the component tree.

mod use_leaderboard;

pub use use_leaderboard::{page_url, query_from_url_pairs, use_leaderboard, use_meta};
