//! The player search box: debounced, so typing a name sends one request, not one per key.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::{Msg, Texts};

/// Quiet time after the last key before searching.
pub const SEARCH_DEBOUNCE_MS: u32 = 250;

/// The box's element and its pending (debounced) search, held by the root component.
#[derive(Clone)]
pub struct SearchBox {
    input_ref: NodeRef,
    pending: Rc<RefCell<Option<Timeout>>>,
    /// The search in force: the box's text as the server writes it (the board page). In
    /// the browser the box is never given a value (it is not a controlled input).
    #[cfg(not(target_arch = "wasm32"))]
    server_value: Option<AttrValue>,
}

/// The box is not a controlled input: typing re-renders nothing (the browser keeps the
/// text), and the box is only written when the search in force (`value`) changes elsewhere
/// (e.g. reset): no render per key, and no state hook mirroring the text.
#[hook]
pub fn use_search_box(value: &Option<String>) -> SearchBox {
    let input_ref = use_node_ref();
    let pending = use_mut_ref(|| None::<Timeout>);
    {
        let input_ref = input_ref.clone();
        let pending = pending.clone();
        use_effect_with(value.clone(), move |value| {
            let value = value.as_deref().unwrap_or_default();
            if let Some(input) = input_ref.cast::<HtmlInputElement>() {
                if input.value() != value {
                    pending.borrow_mut().take();
                    input.set_value(value);
                }
            }
            // A new search in force, or the widget going away: drop a pending search.
            move || drop(pending.borrow_mut().take())
        });
    }
    SearchBox {
        input_ref,
        pending,
        #[cfg(not(target_arch = "wasm32"))]
        server_value: value.clone().map(AttrValue::from),
    }
}

/// The board page's toolbar form, submitted: with scripts, searches in place for the box's
/// text (now, not after the debounce) instead of loading the board again.
pub fn submit_search(
    search: &SearchBox,
    on_search: Callback<Option<String>>,
) -> Callback<SubmitEvent> {
    let pending = search.pending.clone();
    let input_ref = search.input_ref.clone();
    Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        pending.borrow_mut().take();
        if let Some(input) = input_ref.cast::<HtmlInputElement>() {
            let value = input.value();
            on_search.emit((!value.trim().is_empty()).then_some(value));
        }
    })
}

/// The box; its state is [`use_search_box`], in the root.
pub fn search_box(texts: &Texts, search: &SearchBox, on_search: Callback<Option<String>>) -> Html {
    let placeholder = texts.get(Msg::SearchPlaceholder);
    let emit = move |value: String| on_search.emit((!value.trim().is_empty()).then_some(value));
    let oninput = {
        let pending = search.pending.clone();
        let emit = emit.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                let value = input.value();
                let emit = emit.clone();
                *pending.borrow_mut() = Some(Timeout::new(SEARCH_DEBOUNCE_MS, move || emit(value)));
            }
        })
    };
    let onkeydown = {
        let pending = search.pending.clone();
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
    // The server writes the search in force as the box's value; the browser never sets
    // one (not a controlled input), and its wasm carries no value handling for it.
    #[cfg(not(target_arch = "wasm32"))]
    let input = html! {
        <input type="search" name="q" id="slb-q" ref={search.input_ref.clone()} {oninput} {onkeydown}
            value={search.server_value.clone()}
            {placeholder} autocomplete="off" spellcheck="false"
            maxlength="64" />
    };
    #[cfg(target_arch = "wasm32")]
    let input = html! {
        <input type="search" name="q" id="slb-q" ref={search.input_ref.clone()} {oninput} {onkeydown}
            {placeholder} autocomplete="off" spellcheck="false"
            maxlength="64" />
    };
    html! {
        <label class="field search" for="slb-q">
            <span class="field-label">{ texts.get(Msg::Player) }</span>
            { input }
        </label>
    }
}
