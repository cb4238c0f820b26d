//! The leaderboard function: an HTTP adapter ([`http`]) over a [`store::LeaderboardStore`],
//! the game's documents on disk ([`data`]), the command line ([`cli`]), what a start loads
//! ([`startup`]: the index snapshot or the files) and the server that ties them together
//! ([`server`]).

pub mod cli;
pub mod clock;
pub mod data;
pub mod http;
pub mod server;
pub mod startup;
pub mod store;
pub mod unique;
