//! The empty and error states.

use yew::prelude::*;

/// "No scores match …" with a button back to the configured filters.
pub fn empty_state(message: String, on_reset: &Callback<()>) -> Html {
    let onclick = on_reset.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-empty" part="state">
            <span class="state-icon" aria-hidden="true">{ "☄" }</span>
            <p>{ message }</p>
            <button type="button" class="reset" {onclick}>{ "Reset filters" }</button>
        </div>
    }
}

/// A readable error with a retry button; `retrying`: an automatic retry is scheduled.
pub fn error_state(message: String, retrying: bool, on_retry: &Callback<()>) -> Html {
    let onclick = on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-error" role="alert" part="state">
            <span class="state-icon" aria-hidden="true">{ "⚠" }</span>
            <p>
                { message }
                if retrying {
                    <span class="retry-note">{ " Retrying automatically…" }</span>
                }
            </p>
            <button type="button" class="retry" {onclick}>{ "Retry now" }</button>
        </div>
    }
}
