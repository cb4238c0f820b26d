//! A player's avatar: the image when its URL is safe and loads, otherwise a placeholder
//! with generated initials (never a broken-image icon).

use yew::prelude::*;

use crate::format::{initials, placeholder_colour};
use crate::options::is_http_or_relative_url;

#[derive(Properties, PartialEq)]
pub struct AvatarProps {
    pub url: AttrValue,
    pub name: AttrValue,
    /// The profile dialog's big avatar.
    #[prop_or_default]
    pub large: bool,
}

#[function_component]
pub fn Avatar(props: &AvatarProps) -> Html {
    let broken = use_state_eq(|| false);
    {
        // A new URL deserves a new try.
        let broken = broken.clone();
        use_effect_with(props.url.clone(), move |_| broken.set(false));
    }
    let size = if props.large {
        "avatar large"
    } else {
        "avatar"
    };
    if !*broken && is_http_or_relative_url(&props.url) {
        let onerror = {
            let broken = broken.clone();
            Callback::from(move |_: Event| broken.set(true))
        };
        let px = if props.large { "72" } else { "32" };
        html! {
            <img class={size} src={props.url.clone()} alt="" width={px} height={px}
                loading="lazy" decoding="async" referrerpolicy="no-referrer" {onerror} />
        }
    } else {
        let colour = format!("avatar-c{}", placeholder_colour(&props.name));
        html! {
            <span class={classes!(size, "avatar-placeholder", colour)} aria-hidden="true">
                { initials(&props.name) }
            </span>
        }
    }
}
