//! The views, one a file; each takes plain data and callbacks. Only the root ([`app::App`])
//! and the table row are components; every other view is a plain function returning `Html`,
//! its hooks (if any) called by the root (size rule "two components", bench/analysis.md).

pub mod app;
pub mod avatar;
pub mod filters;
pub mod pagination;
pub mod profile_dialog;
pub mod search;
pub mod states;
pub mod table;
