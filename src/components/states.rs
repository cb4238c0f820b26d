//! The empty and error states.

use yew::prelude::*;

use crate::i18n::{Msg, Texts};

/// "No scores match …" with a button back to the configured filters.
pub fn empty_state(texts: &Texts, message: String, on_reset: &Callback<()>) -> Html {
    let onclick = on_reset.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-empty" part="state">
            <span class="state-icon" aria-hidden="true">{ "☄" }</span>
            <p>{ message }</p>
            <button type="button" class="reset" {onclick}>{ texts.get(Msg::ResetFilters) }</button>
        </div>
    }
}

/// A readable error with a retry button; `retrying`: an automatic retry is scheduled.
pub fn error_state(
    texts: &Texts,
    message: String,
    retrying: bool,
    on_retry: &Callback<()>,
) -> Html {
    let onclick = on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-error" role="alert" part="state">
            <span class="state-icon" aria-hidden="true">{ "⚠" }</span>
            <p>
                { message }
                if retrying {
                    <span class="retry-note">{ " " }{ texts.get(Msg::Retrying) }</span>
                }
            </p>
            <button type="button" class="retry" {onclick}>{ texts.get(Msg::RetryNow) }</button>
        </div>
    }
}
