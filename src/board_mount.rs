//! The board page's takeover (`/api/board` served with `--embed-dir`): the wasm replaces
//! the server-rendered widget in place with the same components, given the same first page
//! and facets (read from the page, not fetched again), so from then on the controls work in
//! place as in any widget. The options are read from the page URL with the same parser the
//! server used, so the markup is the same.

use std::rc::Rc;

use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::board::{BoardLinks, FirstPage};
use crate::components::app::{App, AppProps};
use crate::decode;
use crate::options::WidgetOptions;

/// The id of the page's data block: `{"page": <first page>, "meta": <facets>}`.
pub const FIRST_PAGE_ID: &str = "space-leaderboard-first-page";

/// Takes over the board widget in `host`'s (declarative) shadow root. Fails, leaving the
/// server's markup as it is (its links and forms keep working), when anything is missing.
/// Resolves once the widget has replaced the server's markup (after its language's file
/// has arrived, for a board in a language other than English).
#[wasm_bindgen(js_name = mountBoard)]
pub async fn mount_board(host: Element) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let location = window.location();
    let params = web_sys::UrlSearchParams::new_with_str(&location.search()?)?;
    let mut pairs = Vec::new();
    if let Some(entries) = js_sys::try_iter(&params)? {
        for entry in entries {
            let entry: Array = entry?.unchecked_into();
            let (Some(name), Some(value)) = (entry.get(0).as_string(), entry.get(1).as_string())
            else {
                continue;
            };
            pairs.push((name, value));
        }
    }
    let options = WidgetOptions::from_pairs(pairs.iter().map(|(k, v)| (k, v)))
        .map_err(|error| JsValue::from_str(&error.to_string()))?;
    let links = BoardLinks::new(&location.pathname()?, pairs.iter().map(|(k, v)| (k, v)));

    let data = document
        .get_element_by_id(FIRST_PAGE_ID)
        .and_then(|block| block.text_content())
        .ok_or("no first page on the board page")?;
    let data = js_sys::JSON::parse(&data)?;
    let unreadable = |error: decode::DecodeError| JsValue::from_str(&error);
    let page =
        decode::leaderboard_response(&Reflect::get(&data, &"page".into())?).map_err(unreadable)?;
    let meta = decode::leaderboard_meta(&Reflect::get(&data, &"meta".into())?).ok();

    let root = host.shadow_root().ok_or("no shadow root on the board")?;
    let server_markup = root
        .query_selector(".slb-host")?
        .ok_or("no server-rendered board")?;
    let container = document.create_element("div")?;
    container.set_class_name("slb-host");
    // The server rendered the board in its language: the takeover waits for that language's
    // file (English if it cannot be had in time), so the board never shows without words.
    let (mut texts, arriving) = crate::i18n::texts(options.lang.as_deref(), Some(&host));
    if let Some(arriving) = arriving {
        wasm_bindgen_futures::JsFuture::from(arriving).await?;
        texts = crate::i18n::texts(options.lang.as_deref(), Some(&host)).0;
    }
    root.insert_before(&container, Some(&server_markup))?;
    // yew renders the same markup into the new container before the browser paints again,
    // so the reader never sees the board missing.
    let app = yew::Renderer::<App>::with_root_and_props(
        container,
        AppProps {
            options: Rc::new(options),
            texts,
            first_page: Some(Rc::new(FirstPage {
                page: Rc::new(page),
                meta: meta.map(Rc::new),
                highlight: pairs
                    .iter()
                    .find(|(name, _)| name == "around")
                    .map(|(_, player)| player.clone()),
                now: None,
            })),
            links: Some(Rc::new(links)),
        },
    )
    .render();
    server_markup.remove();
    // The board lives as long as the page.
    std::mem::forget(app);
    Ok(())
}
