//! The leaderboard function: an HTTP adapter ([`http`]) over a [`store::LeaderboardStore`],
//! the game's documents on disk ([`data`]), and the command line ([`cli`]).

pub mod data;
pub mod store;
