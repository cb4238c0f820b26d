//! A player's avatar: the image when its URL is safe and loads, otherwise a placeholder
//! with generated initials (never a broken-image icon).

use yew::prelude::*;

use crate::format::{initials, placeholder_colour};
use crate::options::is_http_or_relative_url;

/// The image URL that failed to load in the component showing an avatar (a table row, the
/// dialog), not a flag: a new URL gets a new try without an effect per avatar (a page of
/// ten widgets mounts a hundred of them at once).
#[hook]
pub fn use_failed_avatar() -> UseStateHandle<Option<AttrValue>> {
    use_state_eq(|| None::<AttrValue>)
}

/// An avatar; its state lives in the component showing it ([`use_failed_avatar`]).
pub fn avatar(
    url: &str,
    name: &str,
    large: bool,
    failed_url: &UseStateHandle<Option<AttrValue>>,
) -> Html {
    let broken = failed_url.as_deref() == Some(url);
    let size = if large { "avatar large" } else { "avatar" };
    if !broken && is_http_or_relative_url(url) {
        let onerror = {
            let failed_url = failed_url.clone();
            let url = AttrValue::from(url.to_string());
            Callback::from(move |_: Event| failed_url.set(Some(url.clone())))
        };
        let px = if large { "72" } else { "32" };
        html_with_class! {
            <img className={size} src={url.to_string()} alt="" width={px} height={px}
                loading="lazy" decoding="async" referrerpolicy="no-referrer" {onerror} />
        }
    } else {
        // One string, set as `className` (size rule "class strings").
        let class = format!(
            "{size} avatar-placeholder avatar-c{}",
            placeholder_colour(name)
        );
        html_with_class! {
            <span className={class} aria-hidden="true">
                { initials(name) }
            </span>
        }
    }
}
