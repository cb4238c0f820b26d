//! The semantic leaderboard table: caption, sortable column headers, keyed rows (a live
//! refresh updates rows in place), skeleton rows while the first page loads.

use std::rc::Rc;

use leaderboard_model::{LeaderboardEntry, LeaderboardResponse, SortKey, SortOrder};
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::board::{in_place, BoardNav};
use crate::components::avatar::{avatar, use_failed_avatar};
use crate::format::{clip, NumberFormatter};
use crate::i18n::{Msg, Texts};

/// Names longer than this are cut in the table (the dialog shows more).
const MAX_NAME_CHARS: usize = 40;

/// What the table shows. Its rows are components: memoised, a refresh that changes nothing
/// re-renders none of them.
pub struct TableProps {
    pub title: AttrValue,
    /// Filters in force, shown under the title ("Solo · Milky Way").
    pub subtitle: AttrValue,
    pub texts: Rc<Texts>,
    pub data: Option<Rc<LeaderboardResponse>>,
    pub sort: SortKey,
    pub order: SortOrder,
    /// First load: show skeleton rows.
    pub loading: bool,
    /// A newer page is loading while the old rows stay.
    pub refreshing: bool,
    pub skeleton_rows: u32,
    pub highlight: Option<String>,
    pub formatter: Rc<NumberFormatter>,
    /// Shown as the only row (empty state, first-load error).
    pub message: Option<Html>,
    pub on_sort: Callback<SortKey>,
    /// On the board page: the headers are links to the sorted board.
    pub nav: Option<BoardNav>,
    /// A player's name was activated: the entry and the button (to return focus to).
    pub on_open: Callback<(LeaderboardEntry, HtmlElement)>,
}

pub fn table(props: TableProps) -> Html {
    let header = |key: SortKey, label: Msg, class: &'static str| {
        let label = props.texts.get(label);
        let active = props.sort == key;
        let aria_sort = active.then_some(match props.order {
            SortOrder::Asc => "ascending",
            SortOrder::Desc => "descending",
        });
        let on_sort = props.on_sort.clone();
        let arrow = match (active, props.order) {
            (false, _) => "↕",
            (true, SortOrder::Asc) => "↑",
            (true, SortOrder::Desc) => "↓",
        };
        html_with_class! {
            <th className={class} scope="col" aria-sort={aria_sort}>
                if let Some(nav) = &props.nav {
                    <a class="sort" data-sort={key.as_str()} href={nav.sort_href(key)}
                        onclick={Callback::from(move |event: MouseEvent| {
                            if in_place(&event) {
                                on_sort.emit(key);
                            }
                        })}>
                        { label }
                        <span class="sort-arrow" aria-hidden="true">{ arrow }</span>
                    </a>
                } else {
                    <button type="button" class="sort" data-sort={key.as_str()}
                        onclick={Callback::from(move |_: MouseEvent| on_sort.emit(key))}>
                        { label }
                        <span class="sort-arrow" aria-hidden="true">{ arrow }</span>
                    </button>
                }
            </th>
        }
    };

    // The located player's best entry on this page (a player can have several).
    let highlighted_id = props.highlight.as_deref().and_then(|profile_id| {
        let data = props.data.as_ref()?;
        data.scores
            .iter()
            .filter(|entry| entry.profile.id == profile_id)
            .min_by(|a, b| {
                b.score
                    .score
                    .cmp(&a.score.score)
                    .then_with(|| a.score.id.cmp(&b.score.id))
            })
            .map(|entry| entry.score.id.as_str())
    });
    let body = if let Some(message) = &props.message {
        html! {
            <tbody>
                <tr class="state-row"><td colspan="5">{ message.clone() }</td></tr>
            </tbody>
        }
    } else if let (Some(data), false) = (&props.data, props.loading) {
        html! {
            <tbody>
                { for data.scores.iter().map(|entry| {
                    let highlighted = highlighted_id == Some(entry.score.id.as_str());
                    html! {
                        <Row key={entry.score.id.as_str()} entry={entry.clone()} {highlighted}
                            formatter={Rc::clone(&props.formatter)} on_open={props.on_open.clone()} />
                    }
                }) }
            </tbody>
        }
    } else {
        html! {
            <tbody aria-busy="true">
                { for (0..props.skeleton_rows).map(|index| html! {
                    <tr class="skeleton" key={index} aria-hidden="true">
                        <td class="rank"><span class="bone short"></span></td>
                        <td class="player"><span class="bone avatar-bone"></span><span class="bone"></span></td>
                        <td class="mode col-mode"><span class="bone short"></span></td>
                        <td class="region col-region"><span class="bone"></span></td>
                        <td class="score"><span class="bone short"></span></td>
                    </tr>
                }) }
            </tbody>
        }
    };

    // The widest rank on the page, as shown: the narrow layouts' fixed rank column takes its
    // width from it (a deep page of a big board: "999,194").
    let widest_rank = props.data.as_ref().map_or(0, |data| {
        let top = data
            .scores
            .iter()
            .map(|entry| entry.rank)
            .max()
            .unwrap_or(0);
        props.formatter.format_u64(top).chars().count()
    });
    let table = html_with_class! {
            <table className={table_class(props.refreshing, widest_rank)}
                part="table" aria-busy={props.refreshing.then_some("true")}>
                <caption part="caption">
                    <span class="title">{ props.title.clone() }</span>
                    if !props.subtitle.is_empty() {
                        <span class="subtitle">{ props.subtitle.clone() }</span>
                    }
                </caption>
                <thead>
                    <tr>
                        <th scope="col" class="rank">{ props.texts.get(Msg::Rank) }</th>
                        { header(SortKey::Player, Msg::Player, "player") }
                        { header(SortKey::Mode, Msg::Mode, "mode col-mode") }
                        { header(SortKey::Region, Msg::Region, "region col-region") }
                        { header(SortKey::Score, Msg::Score, "score") }
                    </tr>
                </thead>
                { body }
            </table>
    };
    html! {
        <div class="table-wrap" part="table-wrap">{ table }</div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    entry: LeaderboardEntry,
    highlighted: bool,
    formatter: Rc<NumberFormatter>,
    on_open: Callback<(LeaderboardEntry, HtmlElement)>,
}

/// One entry. Its props compare equal across a live refresh when nothing changed, so yew
/// skips it: no flicker, focus stays on the button.
#[function_component]
fn Row(props: &RowProps) -> Html {
    let failed_avatar = use_failed_avatar();
    let entry = &props.entry;
    let onclick = {
        let on_open = props.on_open.clone();
        let entry = entry.clone();
        Callback::from(move |event: MouseEvent| {
            use wasm_bindgen::JsCast;
            // yew delegates events to its root, so `current_target` is not the button.
            let button = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .and_then(|element| element.closest("button").ok().flatten())
                .and_then(|button| button.dyn_into::<HtmlElement>().ok());
            if let Some(button) = button {
                on_open.emit((entry.clone(), button));
            }
        })
    };
    let name = clip(&entry.profile.user_name, MAX_NAME_CHARS);
    let rank = html_with_class! {
        <td className={rank_class(entry.rank)}>{ props.formatter.format_u64(entry.rank) }</td>
    };
    html_with_class! {
        <tr className={if props.highlighted { "highlight" } else { "" }}
            data-entry-id={entry.score.id.clone()}
            aria-current={props.highlighted.then_some("true")}>
            { rank }
            <td class="player">
                <button type="button" class="player-name" {onclick}
                    title={entry.profile.user_name.clone()} aria-haspopup="dialog">
                    { avatar(&entry.profile.avatar_url, &entry.profile.user_name, false, &failed_avatar) }
                    <span class="name-text">
                        <span class="name">{ name }</span>
                        <span class="inline-meta">
                            { &entry.score.game_mode }{ " · " }{ &entry.score.game_region }
                        </span>
                    </span>
                </button>
            </td>
            <td class="mode col-mode">{ &entry.score.game_mode }</td>
            <td class="region col-region">{ &entry.score.game_region }</td>
            <td class="score">{ props.formatter.format_i64(entry.score.score) }</td>
        </tr>
    }
}

/// The table's classes: `refreshing` while a new answer is on its way (the old rows stay),
/// and `ranks-5|7|9` when the page's widest rank takes that many characters or fewer (more
/// than 3), which the narrow layouts' fixed rank column widens for (widget.css). Static
/// strings (size rule "class strings").
fn table_class(refreshing: bool, widest_rank: usize) -> &'static str {
    match (refreshing, widest_rank) {
        (false, 0..=3) => "",
        (false, 4..=5) => "ranks-5",
        (false, 6..=7) => "ranks-7",
        (false, _) => "ranks-9",
        (true, 0..=3) => "refreshing",
        (true, 4..=5) => "refreshing ranks-5",
        (true, 6..=7) => "refreshing ranks-7",
        (true, _) => "refreshing ranks-9",
    }
}

/// The rank cell's classes, with medal colours for the top three ranks (set as `className`:
/// size rule "class strings").
fn rank_class(rank: u64) -> &'static str {
    match rank {
        1 => "rank podium-1",
        2 => "rank podium-2",
        3 => "rank podium-3",
        _ => "rank",
    }
}
