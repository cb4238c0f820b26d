//! The player search box: debounced, so typing a name sends one request, not one per key.

use gloo_timers::callback::Timeout;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Quiet time after the last key before searching.
pub const SEARCH_DEBOUNCE_MS: u32 = 250;

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// The search in force (the box follows it when it changes elsewhere, e.g. reset).
    pub value: Option<String>,
    pub on_search: Callback<Option<String>>,
}

#[function_component]
pub fn Search(props: &SearchProps) -> Html {
    let text = use_state(|| props.value.clone().unwrap_or_default());
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let text = text.clone();
        let pending = pending.clone();
        use_effect_with(props.value.clone(), move |value| {
            let value = value.clone().unwrap_or_default();
            if *text != value {
                pending.borrow_mut().take();
                text.set(value);
            }
        });
    }
    {
        // Drop a pending search when the widget goes away.
        let pending = pending.clone();
        use_effect_with((), move |_| move || drop(pending.borrow_mut().take()));
    }
    let emit = {
        let on_search = props.on_search.clone();
        move |value: String| on_search.emit((!value.trim().is_empty()).then_some(value))
    };
    let oninput = {
        let text = text.clone();
        let pending = pending.clone();
        let emit = emit.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                let value = input.value();
                text.set(value.clone());
                let emit = emit.clone();
                *pending.borrow_mut() = Some(Timeout::new(SEARCH_DEBOUNCE_MS, move || emit(value)));
            }
        })
    };
    let onkeydown = {
        let pending = pending.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                pending.borrow_mut().take();
                if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                    emit(input.value());
                }
            }
        })
    };
    html! {
        <label class="field search" for="slb-q">
            <span class="field-label">{ "Player" }</span>
            <input type="search" name="q" id="slb-q" value={(*text).clone()} {oninput} {onkeydown}
                placeholder="Search players" autocomplete="off" spellcheck="false"
                maxlength="64" />
        </label>
    }
}
