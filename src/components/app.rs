//! The widget's root component: holds the state (via `use_leaderboard`) and wires the
//! children with values and callbacks.

use std::rc::Rc;

use leaderboard_model::{LeaderboardEntry, LeaderboardResponse};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::board::{in_place, BoardLinks, BoardNav, FirstPage};
use crate::components::filters::{facet_select, FacetSelectProps};
use crate::components::pagination::{pagination, range_text, PaginationProps};
use crate::components::periods::{now_millis, period_bar, period_label, PeriodBarProps};
use crate::components::profile_dialog::{profile_dialog, use_profile_dialog, ProfileDialogProps};
use crate::components::search::{search_box, submit_search, use_search_box};
use crate::components::states::{empty_state, error_state};
use crate::components::table::{table, TableProps};
use crate::format::NumberFormatter;
use crate::hooks::{use_leaderboard, use_meta};
use crate::i18n::{Msg, Texts};
use crate::options::{Theme, WidgetOptions};
use crate::state::{Action, LeaderboardState};

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub options: Rc<WidgetOptions>,
    /// The messages in the options' language (or English while that language loads: the
    /// mounter loads it and passes it in, src/mount.rs).
    pub texts: Rc<Texts>,
    /// The page (and facets) the server rendered with, on the board page: shown at once.
    #[prop_or_default]
    pub first_page: Option<Rc<FirstPage>>,
    /// The board page's own address: controls become links and GET forms to it.
    #[prop_or_default]
    pub links: Option<Rc<BoardLinks>>,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let first_page = props.first_page.as_deref();
    let state = use_leaderboard(&props.options, first_page);
    let options = Rc::clone(&state.options);
    let meta = use_meta(
        &options.endpoint,
        state.loads,
        first_page.and_then(FirstPage::meta),
    );
    let search = use_search_box(&state.query.q);
    let texts = Rc::clone(&props.texts);
    // Numbers follow the `locale` option, else the language of the text.
    let number_locale = options.locale.clone().unwrap_or_else(|| texts.lang.clone());
    let formatter = use_memo(number_locale, |locale| NumberFormatter::new(Some(locale)));
    let formatter: Rc<NumberFormatter> = Rc::clone(&formatter);
    let open_entry = use_state(|| None::<LeaderboardEntry>);
    // Where focus goes back to: the dialog's opener, or the located row (one ref, not two:
    // size rule "few types", bench/analysis.md).
    let focus = use_mut_ref(FocusReturn::default);
    let dialog = use_profile_dialog(open_entry.as_ref().map(|entry| entry.score.id.clone()));

    // One generic helper with a plain `fn` per action, like todomvc's `make_callback`: one
    // closure type per argument type, not one per callback (size rule "few types").
    fn dispatch<T: 'static>(
        state: &UseReducerHandle<LeaderboardState>,
        make: fn(T) -> Action,
    ) -> Callback<T> {
        let dispatcher = state.dispatcher();
        Callback::from(move |value: T| dispatcher.dispatch(make(value)))
    }
    let on_mode = dispatch(&state, Action::SetMode);
    let on_region = dispatch(&state, Action::SetRegion);
    let on_search = dispatch(&state, Action::SetSearch);
    let on_sort = dispatch(&state, Action::SortBy);
    let on_page = dispatch(&state, Action::GoToPage);
    let on_page_size = dispatch(&state, Action::SetPageSize);
    let on_action = dispatch(&state, |action| action);
    let on_reset = dispatch(&state, |()| Action::Reset);
    let on_retry = dispatch(&state, |()| Action::Retry);
    // Stable across renders, so unchanged rows are not re-rendered.
    let on_open = {
        let open_entry = open_entry.clone();
        let focus = focus.clone();
        use_callback(
            (),
            move |(entry, button): (LeaderboardEntry, HtmlElement), _| {
                focus.borrow_mut().opener = Some(button);
                open_entry.set(Some(entry));
            },
        )
    };
    let on_close = {
        let open_entry = open_entry.clone();
        let focus = focus.clone();
        Callback::from(move |()| {
            open_entry.set(None);
            let opener = focus.borrow_mut().opener.take();
            if let Some(button) = opener {
                if button.is_connected() {
                    let _ = button.focus();
                }
            }
        })
    };
    // After "Show on leaderboard" the opener may be gone (another page): focus moves to
    // the located row once it is on screen.
    let root_ref = use_node_ref();
    {
        let root_ref = root_ref.clone();
        let focus = focus.clone();
        let located = state.highlight.is_some() && !state.in_flight;
        use_effect_with((located, state.loads), move |(located, _)| {
            if *located && std::mem::take(&mut focus.borrow_mut().located) {
                let button = root_ref
                    .cast::<web_sys::Element>()
                    .and_then(|root| {
                        root.query_selector("tr[aria-current=\"true\"] button.player-name")
                            .ok()
                            .flatten()
                    })
                    .and_then(|button| {
                        use wasm_bindgen::JsCast;
                        button.dyn_into::<HtmlElement>().ok()
                    });
                if let Some(button) = button {
                    let _ = button.focus();
                }
            }
        });
    }
    let on_locate = {
        let dispatcher = state.dispatcher();
        let on_close = on_close.clone();
        let focus = focus.clone();
        Callback::from(move |profile_id: String| {
            on_close.emit(());
            focus.borrow_mut().located = true;
            dispatcher.dispatch(Action::Locate(profile_id));
        })
    };
    let on_find_me = options.player.clone().map(|player| {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Locate(player.clone())))
    });

    let theme = match options.theme {
        Theme::Dark => "theme-dark",
        Theme::Light => "theme-light",
        Theme::Auto if prefers_dark() => "theme-dark",
        Theme::Auto => "theme-light",
    };
    // A computed class is set as the `className` property (`~className={..}`), never as
    // `class={..}` (size rule "class strings"); a literal `class="..."` stays a static
    // attribute. The value is always a string ("" for none): yew removes a property by
    // setting it to `undefined`, which `className` would show as the class "undefined".
    let root_class = if options.compact {
        format!("slb {theme} compact")
    } else {
        format!("slb {theme}")
    };
    let data = state.data.clone();
    let error_text = state.failure.as_ref().map(|f| f.error.message(&texts));
    let retrying = state.retry_delay_ms().is_some();
    // The clock the periods row and the caption read: the server's on a board page's first
    // render (its markup then matches the server's), the browser's after.
    let now = first_page
        .filter(|_| state.ticks == 0)
        .and_then(FirstPage::now)
        .unwrap_or_else(now_millis);
    let filters_text = describe_filters(&texts, &state, now);
    // The periods row: drawn when the meta says the data holds timed scores, or from the
    // first render when the host's options name a period or view (the row holds its place
    // while the meta is on its way, so nothing moves when it arrives).
    let periods = meta.as_ref().and_then(|meta| meta.periods.as_ref());

    // The table's single message row: first-load error, or nothing matches.
    let message = match (&data, &error_text) {
        (None, Some(text)) => Some(error_state(&texts, text.clone(), retrying, &on_retry)),
        (Some(data), _) if data.scores.is_empty() && !state.in_flight => Some(empty_state(
            &texts,
            empty_message(&texts, &state),
            &on_reset,
        )),
        _ => None,
    };
    // A failed refresh keeps the last good rows and says so above them.
    let banner = match (&data, &error_text) {
        (Some(_), Some(text)) => error_state(&texts, text.clone(), retrying, &on_retry),
        _ => html! {},
    };
    let range = data
        .as_ref()
        .map(|data| shown_range(&texts, &formatter, data))
        .unwrap_or_default();
    let live_text = match (&data, &error_text) {
        (_, Some(text)) => text.clone(),
        (None, None) => texts.get(Msg::Loading),
        (Some(data), None) if data.scores.is_empty() => empty_message(&texts, &state),
        (Some(data), None) => {
            texts.plural(Msg::LiveRange, data.total_results, &[("range", &range)])
        }
    };
    let show_mode = options.show_filters && !options.lock_mode;
    let show_region = options.show_filters && !options.lock_region;
    let show_toolbar = show_mode || show_region || options.show_search || on_find_me.is_some();

    // On the board page the controls are links and a GET form (they work without
    // scripts); the form carries as hidden fields what it does not show.
    let nav = BoardNav::new(props.links.as_ref(), &state.query);
    let mut toolbar_fields = Vec::new();
    if show_mode {
        toolbar_fields.push("mode");
    }
    if show_region {
        toolbar_fields.push("region");
    }
    if options.show_search {
        toolbar_fields.push("q");
    }
    let toolbar_items = html! {
        <>
            if show_mode {
                { facet_select(FacetSelectProps {
                    name: "mode", label: texts.get(Msg::Mode), all_label: texts.get(Msg::AllModes),
                    facets: meta.as_ref().map(|m| Rc::new(m.modes.clone())),
                    total: meta.as_ref().map(|m| m.total_scores),
                    selected: state.query.mode.clone(), formatter: Rc::clone(&formatter),
                    on_change: on_mode,
                }) }
            }
            if show_region {
                { facet_select(FacetSelectProps {
                    name: "region", label: texts.get(Msg::Region), all_label: texts.get(Msg::AllRegions),
                    facets: meta.as_ref().map(|m| Rc::new(m.regions.clone())),
                    total: meta.as_ref().map(|m| m.total_scores),
                    selected: state.query.region.clone(), formatter: Rc::clone(&formatter),
                    on_change: on_region,
                }) }
            }
            if options.show_search {
                { search_box(&texts, &search, on_search.clone()) }
            }
            if let Some(onclick) = on_find_me {
                if let (Some(nav), Some(player)) = (&nav, &options.player) {
                    <a class="find-me" href={nav.find_me_href(player)}
                        onclick={move |event: MouseEvent| if in_place(&event) { onclick.emit(event) }}>
                        { texts.get(Msg::FindMe) }</a>
                } else {
                    <button type="button" class="find-me" {onclick}>{ texts.get(Msg::FindMe) }</button>
                }
            }
        </>
    };

    html_with_class! {
        <div className={root_class} part="root" ref={root_ref} lang={texts.lang.clone()} dir={texts.dir()}>
          <div class="slb-main">
            if show_toolbar {
                if let Some(nav) = &nav {
                    <form class="toolbar" part="toolbar" method="get"
                        action={nav.form_action()}
                        onsubmit={submit_search(&search, on_search.clone())}>
                        { nav.hidden_fields(&toolbar_fields) }
                        { toolbar_items }
                        <button type="submit" class="apply">{ texts.get(Msg::Apply) }</button>
                    </form>
                } else {
                    <div class="toolbar" part="toolbar">{ toolbar_items }</div>
                }
            }
            if periods.is_some() || options.names_period_or_view() {
                { period_bar(PeriodBarProps {
                    texts: &texts, periods,
                    tabs: !options.lock_period && (periods.is_some() || meta.is_none()),
                    period: state.query.period, at: state.query.at,
                    shown: data.as_ref().filter(|data| data.period == state.query.period)
                        .and_then(|data| data.period_start.zip(data.period_end)),
                    view: state.query.view,
                    now,
                    pending: meta.is_none(),
                    on_action, nav: nav.clone(),
                }) }
            }
            { banner }
            { table(TableProps {
                title: options.title.clone().unwrap_or_else(|| texts.get(Msg::Title)).into(),
                subtitle: filters_text.into(), texts: Rc::clone(&texts),
                data: data.clone(), sort: state.query.sort, order: state.query.order,
                loading: state.is_first_load(),
                refreshing: state.in_flight && data.is_some(),
                skeleton_rows: state.query.page_size,
                highlight: state.highlight.clone(), formatter: Rc::clone(&formatter),
                message, on_sort, on_open, nav: nav.clone(),
            }) }
            if let Some(data) = data.as_ref().filter(|data| data.total_results > 0) {
                { pagination(PaginationProps {
                    page: u64::from(data.page), total_pages: data.total_pages,
                    range: range.clone(), page_size: state.query.page_size, texts: Rc::clone(&texts),
                    page_sizes: options.page_size_choices(), formatter: Rc::clone(&formatter),
                    on_page, on_page_size, placeholder: false, nav: nav.clone(),
                }) }
            } else if state.is_first_load() {
                // As many slots and as long a range as a board of many pages shows, so a
                // narrow footer wraps the same way before and after.
                { pagination(PaginationProps {
                    page: 1, total_pages: PLACEHOLDER_PAGES,
                    range: range_text(&texts, &formatter, 0, state.query.page_size.into(), PLACEHOLDER_TOTAL),
                    page_size: state.query.page_size, texts: Rc::clone(&texts), page_sizes: options.page_size_choices(),
                    formatter: Rc::clone(&formatter), on_page, on_page_size, placeholder: true, nav: None,
                }) }
            }
            <div class="sr-only" role="status" aria-live="polite">{ live_text }</div>
          </div>
            if let Some(entry) = (*open_entry).clone() {
                { profile_dialog(&dialog, ProfileDialogProps {
                    entry, formatter: Rc::clone(&formatter), texts: Rc::clone(&texts), on_close, on_locate,
                }) }
            }
        </div>
    }
}

/// The page count the first load's footer placeholder lays out (the most slots it can show).
const PLACEHOLDER_PAGES: u64 = 9;
/// The total its hidden range text names ("Showing 1–10 of 10,000"): a typical width.
const PLACEHOLDER_TOTAL: u64 = 10_000;

/// Focus to restore after the profile dialog.
#[derive(Default)]
struct FocusReturn {
    /// The name button that opened the dialog.
    opener: Option<HtmlElement>,
    /// "Show on leaderboard" was used: focus the located row once it is on screen.
    located: bool,
}

fn shown_range(texts: &Texts, formatter: &NumberFormatter, data: &LeaderboardResponse) -> String {
    let offset = u64::from(data.page.saturating_sub(1)) * u64::from(data.page_size);
    range_text(
        texts,
        formatter,
        offset,
        data.scores.len() as u64,
        data.total_results,
    )
}

/// "Solo · Milky Way · This week · Best per player" for the caption, the period as of `now`;
/// empty when unfiltered. Pushed, not joined (size rule "no generic string building").
fn describe_filters(texts: &Texts, state: &LeaderboardState, now: u64) -> String {
    let query = &state.query;
    let period = period_label(texts, query.period, query.at, now);
    let view = (!query.view.is_scores()).then(|| texts.get(Msg::BestPerPlayer));
    let mut text = String::new();
    for part in [
        query.mode.as_ref(),
        query.region.as_ref(),
        period.as_ref(),
        view.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        if !text.is_empty() {
            text.push_str(" · ");
        }
        text.push_str(part);
    }
    text
}

/// "No scores match Duo in Pinwheel" (plus the search, if any).
pub fn empty_message(texts: &Texts, state: &LeaderboardState) -> String {
    let query = &state.query;
    let text = match (&query.mode, &query.region) {
        (Some(mode), Some(region)) => texts.fill(
            Msg::NoScoresModeRegion,
            &[("mode", mode), ("region", region)],
        ),
        (Some(filter), None) | (None, Some(filter)) => {
            texts.fill(Msg::NoScoresFilter, &[("filter", filter)])
        }
        (None, None) => texts.get(Msg::NoScores),
    };
    match &query.q {
        Some(q) if query.mode.is_none() && query.region.is_none() => {
            texts.fill(Msg::NoPlayers, &[("q", q)])
        }
        Some(q) => texts.fill(Msg::NoPlayersFiltered, &[("message", &text), ("q", q)]),
        None => text,
    }
}

#[cfg(target_arch = "wasm32")]
fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|window| window.match_media("(prefers-color-scheme: dark)").ok())
        .flatten()
        .is_some_and(|query| query.matches())
}

#[cfg(not(target_arch = "wasm32"))]
fn prefers_dark() -> bool {
    true
}
