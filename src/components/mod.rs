//! The views, one a file; each takes plain data and callbacks. Only the root ([`app::App`])
//! and the table row are components; every other view is a plain function returning `Html`,
//! its hooks (if any) called by the root (size rule "two components", bench/analysis.md).

/// `html!` for an element with a computed class, written `className={..}` in the element's
/// first attribute slot: in the browser the `className` property (`~className`, size rule
/// "class strings", bench/analysis.md); on the host, where yew only renders for the board
/// page's server, the `class` attribute (yew's server renderer writes attributes only, and
/// a property value cannot be made off wasm).
#[cfg(target_arch = "wasm32")]
macro_rules! html_with_class {
    (<$tag:ident className=$class:tt $($rest:tt)*) => {
        ::yew::html! { <$tag ~className=$class $($rest)* }
    };
}
#[cfg(not(target_arch = "wasm32"))]
macro_rules! html_with_class {
    (<$tag:ident className=$class:tt $($rest:tt)*) => {
        ::yew::html! { <$tag class=$class $($rest)* }
    };
}

pub mod app;
pub mod avatar;
pub mod filters;
pub mod pagination;
pub mod periods;
pub mod profile_dialog;
pub mod search;
pub mod states;
pub mod table;
