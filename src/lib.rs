//! The Space Game leaderboard widget (yew, compiled to wasm): wiring only.
//!
//! - [`options`]: the one options type, parsed and validated from attributes or JS.
//! - [`state`]: the UI state as a `Reducible` with its `Action`s.
//! - [`api`]: the one HTTP client; [`decode`]: its JSON reading; [`hooks`]: fetching,
//!   retries, refresh, the page-wide facets, URL sync.
//! - [`components`]: the views, one a file; [`format`]: numbers and names; [`i18n`]: every
//!   string shown, in the reader's language.
//! - [`mount`]: shadow-root mounting, `mount(host, options)` for JS, auto-mount.
//! - [`board`]: what the board page's server gives the widget (first page, its own links).
//!   [`board_mount`]: the wasm taking the board page over in place.
//!
//! Architecture invariant: nothing here panics on outside data (options, responses,
//! URLs): one panic during render would freeze every widget on the page.
//!
//! The embed has a budget of 120 KB gzip, and the code keeps size rules a compiler does not
//! see (only two components, class strings, no serde, …). They are written once, each with
//! the measurement behind it, in bench/analysis.md ("Size rules"); a comment that names a
//! rule (size rule "class strings") points there.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

/// The allocator: talc instead of std's dlmalloc (size rules, bench/analysis.md). Wasm
/// without threads only (a wasm build with atomics keeps std's).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub mod api;
pub mod board;
#[cfg(feature = "board")]
pub mod board_mount;
pub mod components;
pub mod decode;
pub mod format;
pub mod hooks;
pub mod i18n;
pub mod mount;
pub mod options;
pub mod state;

pub use mount::{destroy_widget, mount, mount_all, update_widget, widget_error};
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
