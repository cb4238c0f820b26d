//! The empty and error states.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmptyStateProps {
    pub message: AttrValue,
    pub on_reset: Callback<()>,
}

#[function_component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    let onclick = props.on_reset.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-empty" part="state">
            <span class="state-icon" aria-hidden="true">{ "☄" }</span>
            <p>{ props.message.clone() }</p>
            <button type="button" class="reset" {onclick}>{ "Reset filters" }</button>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorStateProps {
    pub message: AttrValue,
    /// An automatic retry is scheduled.
    pub retrying: bool,
    pub on_retry: Callback<()>,
}

#[function_component]
pub fn ErrorState(props: &ErrorStateProps) -> Html {
    let onclick = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <div class="state state-error" role="alert" part="state">
            <span class="state-icon" aria-hidden="true">{ "⚠" }</span>
            <p>
                { props.message.clone() }
                if props.retrying {
                    <span class="retry-note">{ " Retrying automatically…" }</span>
                }
            </p>
            <button type="button" class="retry" {onclick}>{ "Retry now" }</button>
        </div>
    }
}
