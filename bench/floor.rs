//! The smallest yew app: one function component mounted on the body. Its size, built like
//! the widget (an example of the widget's package, so the same dependencies, profile and
//! Trunk settings), is the floor any yew widget pays (runtime, virtual DOM, scheduler,
//! wasm-bindgen glue).

use wasm_bindgen::prelude::wasm_bindgen;
use yew::prelude::*;

#[function_component]
fn Floor() -> Html {
    html! { <p>{ "Hello from yew" }</p> }
}

#[wasm_bindgen(start)]
pub fn start() {
    yew::Renderer::<Floor>::new().render();
}
