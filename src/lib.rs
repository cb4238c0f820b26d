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

/// The allocator: talc instead of std's dlmalloc (3 KB less gzip, see Cargo.toml). Wasm
/// without threads only (a wasm build with atomics keeps std's).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

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

/// Computed classes are set as `~className` (src/components/app.rs says why: a non-literal
/// `class={..}` brings yew's `Classes` and 2.7 KB gzip back into the wasm).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod class_attribute_tests {
    #[test]
    fn no_component_gives_yew_a_computed_class() {
        let sources = [
            ("app.rs", include_str!("components/app.rs")),
            ("avatar.rs", include_str!("components/avatar.rs")),
            ("filters.rs", include_str!("components/filters.rs")),
            ("pagination.rs", include_str!("components/pagination.rs")),
            (
                "profile_dialog.rs",
                include_str!("components/profile_dialog.rs"),
            ),
            ("search.rs", include_str!("components/search.rs")),
            ("states.rs", include_str!("components/states.rs")),
            ("table.rs", include_str!("components/table.rs")),
        ];
        for (file, source) in sources {
            for (number, line) in source.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                assert!(
                    !code.contains("class={")
                        && !code.contains(" {class}")
                        && !code.contains("classes!"),
                    "src/components/{file}:{}: use ~className={{..}} for a computed class",
                    number + 1
                );
            }
        }
    }
}

/// The stylesheet minifier of build.rs, tested on the host (`cargo test -p space-leaderboard`).
#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(dead_code)]
#[path = "../build.rs"]
mod build_script;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod css_minify_tests {
    use super::build_script::{minify, same_tokens, shorten_private_properties};

    #[test]
    fn minify_drops_comments_and_layout_whitespace() {
        let css = "/* header */\n.a  .b ,\n .c {\n  color: red ;\n  margin: 0 auto;\n}\n\n@media (max-width: 480px) {\n  .a { padding: 0 }\n}\n";
        let minified = minify(css);
        assert_eq!(
            minified,
            ".a .b,.c{color:red;margin:0 auto}@media (max-width:480px){.a{padding:0}}"
        );
        assert!(same_tokens(css, &minified));
    }

    #[test]
    fn minify_keeps_strings_combinators_and_calc_spaces() {
        let css = ".a :hover > .b{width: calc(100% - 2px);content: \"  /* kept */  \"}\n.c + .d ~ .e{font-family: \"Segoe UI\", sans-serif}";
        let minified = minify(css);
        assert_eq!(
            minified,
            ".a :hover > .b{width:calc(100% - 2px);content:\"  /* kept */  \"}.c + .d ~ .e{font-family:\"Segoe UI\",sans-serif}"
        );
        // The self-check is not string-aware: a comment inside a string fails it, and the
        // build then ships the stylesheet unminified (safe, only larger).
        assert!(!same_tokens(css, &minified));
    }

    #[test]
    fn self_check_refuses_an_output_that_lost_a_character() {
        let css = ".a{color:red}";
        assert!(same_tokens(css, ".a{color:red}"));
        assert!(!same_tokens(css, ".a{color:rd}"));
        assert!(!same_tokens(css, ".a{color:red"));
    }

    #[test]
    fn private_properties_get_short_names_most_used_first_and_public_ones_stay() {
        let css = ".a{--_pad:1px;--_muted:red;--slb-x:1;margin:var(--_muted) var(--_muted)}\
                   .b{content:\"--_pad\";padding:var(--_pad,var(--slb-x))}";
        assert_eq!(
            shorten_private_properties(css),
            ".a{--_b:1px;--_a:red;--slb-x:1;margin:var(--_a) var(--_a)}\
             .b{content:\"--_pad\";padding:var(--_b,var(--slb-x))}"
        );
    }

    #[test]
    fn the_widget_stylesheet_keeps_every_private_property_distinct() {
        let css = minify(include_str!("styles/widget.css"));
        let shortened = shorten_private_properties(&css);
        let names = |text: &str| {
            let mut names: Vec<String> = text
                .split("--_")
                .skip(1)
                .map(|rest| {
                    rest.chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                        .collect()
                })
                .collect();
            names.sort();
            names.dedup();
            names.len()
        };
        assert!(names(&css) > 20);
        assert_eq!(names(&css), names(&shortened));
        assert!(shortened.len() < css.len());
        assert!(!shortened.contains("--_surface"));
    }

    #[test]
    fn the_widget_stylesheet_minifies_and_passes_its_self_check() {
        let css = include_str!("styles/widget.css");
        let minified = minify(css);
        assert!(same_tokens(css, &minified));
        assert!(minified.len() < css.len());
        assert!(!minified.contains("/*"));
    }
}
