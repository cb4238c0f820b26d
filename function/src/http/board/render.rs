//! The widget rendered on the server: the same `App` component the browser runs, given the
//! first page as a prop, rendered by yew's server renderer into the markup the widget's
//! shadow root holds in the browser.

use std::rc::Rc;

use leaderboard_model::{LeaderboardMeta, LeaderboardResponse};
use space_leaderboard::board::{BoardLinks, FirstPage};
use space_leaderboard::components::app::{App, AppProps};
use space_leaderboard::WidgetOptions;

/// The widget's markup for `options` showing the first page `page` and the facets `meta`,
/// at the server's clock `now` (ms since the epoch).
/// Not hydratable: the wasm's takeover (src/board_mount.rs) renders the same markup anew
/// rather than hydrating, so yew's hydration markers would be bytes nobody reads. yew
/// renders on its own pinned worker threads, so the props are built there from owned,
/// sendable parts.
pub async fn board_markup(
    options: WidgetOptions,
    page: LeaderboardResponse,
    meta: Option<LeaderboardMeta>,
    links: BoardLinks,
    highlight: Option<String>,
    now: u64,
) -> String {
    yew::ServerRenderer::<App>::with_props(move || AppProps {
        texts: space_leaderboard::i18n::load_now(options.language()),
        options: Rc::new(options),
        first_page: Some(Rc::new(FirstPage {
            page: Rc::new(page),
            meta: meta.map(Rc::new),
            highlight,
            now: Some(now),
        })),
        links: Some(Rc::new(links)),
    })
    .hydratable(false)
    .render()
    .await
}
