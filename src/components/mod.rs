//! One function component a file; each takes plain data and callbacks.

pub mod app;
pub mod avatar;
pub mod filters;
pub mod pagination;
pub mod profile_dialog;
pub mod search;
pub mod states;
pub mod table;
