//! The Space Game leaderboard widget (yew, compiled to wasm): wiring only.
//!
//! - [`options`]: the one options type, parsed and validated from attributes or JS.
//! - [`state`]: the UI state as a `Reducible` with its `Action`s.
//! - [`api`]: the one HTTP client; [`hooks`]: fetching, retries, refresh, URL sync.
//! - [`components`]: one function component a file; [`format`]: numbers and names.
//! - [`mount`]: shadow-root mounting, `mount(host, options)`, auto-mount.
//!
//! Architecture invariant: nothing here panics on outside data (options, responses,
//! URLs): one panic during render would freeze every widget on the page.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

pub mod api;
pub mod components;
pub mod decode;
pub mod format;
pub mod hooks;
pub mod mount;
pub mod options;
pub mod state;

pub use mount::{mount, mount_all, WidgetHandle};
pub use options::{OptionError, WidgetOptions};

/// Runs when the wasm module is instantiated: panic diagnostics, then auto-mount every
/// `[data-space-leaderboard]` element (after the document has been parsed).
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    use wasm_bindgen::JsCast;

    yew::set_custom_panic_hook(Box::new(console_error_panic_hook::hook));
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    if document.ready_state() == "loading" {
        let on_ready = wasm_bindgen::closure::Closure::once_into_js(|| {
            mount_all();
        });
        let _ =
            document.add_event_listener_with_callback("DOMContentLoaded", on_ready.unchecked_ref());
    } else {
        mount_all();
    }
}
