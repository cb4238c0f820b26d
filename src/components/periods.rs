//! The period row: the period tabs (All time, This month, This week, Today), how long the
//! current period has left ("Resets in 2 d 4 h"), the previous period ("Last week") and the
//! "Best per player" switch.
//!
//! Shown only when the meta says the data holds timed scores (its `periods`): a board of
//! untimed scores keeps the original layout.

use leaderboard_model::{Period, PeriodKind, PeriodSummary, PeriodsMeta, PlayedAt, View};
use yew::prelude::*;

use crate::board::{in_place, BoardNav};
use crate::i18n::{Msg, Texts};
pub use crate::state::now_millis;
use crate::state::Action;

/// The tabs, in the order shown.
pub const TABS: [PeriodKind; 4] = [
    PeriodKind::All,
    PeriodKind::Month,
    PeriodKind::Week,
    PeriodKind::Day,
];

const MILLIS_PER_MINUTE: u64 = 60_000;
const MINUTES_PER_DAY: u64 = 24 * 60;

/// What is left of a period ending at `end` at `now` (milliseconds since the epoch), as
/// (days, hours, minutes): minutes rounded up, so the last seconds read "1 min", never
/// "0 min". `None` once the period has ended.
pub fn time_left(end: u64, now: u64) -> Option<(u64, u64, u64)> {
    let left = end.checked_sub(now).filter(|left| *left > 0)?;
    let minutes = left.div_ceil(MILLIS_PER_MINUTE);
    Some((
        minutes / MINUTES_PER_DAY,
        minutes % MINUTES_PER_DAY / 60,
        minutes % 60,
    ))
}

/// "Resets in 2 d 4 h" (days and hours; hours and minutes under a day; minutes under an
/// hour), in the reader's language; `None` once the period has ended.
pub fn resets_in(texts: &Texts, end: u64, now: u64) -> Option<String> {
    let (days, hours, minutes) = time_left(end, now)?;
    let unit = |msg: Msg, count: u64| texts.plural(msg, count, &[("count", &count.to_string())]);
    let mut time = String::new();
    let parts = if days > 0 {
        [(Msg::DurationDays, days), (Msg::DurationHours, hours)]
    } else if hours > 0 {
        [(Msg::DurationHours, hours), (Msg::DurationMinutes, minutes)]
    } else {
        [(Msg::DurationMinutes, minutes), (Msg::DurationMinutes, 0)]
    };
    for (index, (msg, count)) in parts.into_iter().enumerate() {
        // A zero second unit is left out ("2 d", not "2 d 0 h").
        if index > 0 && count == 0 {
            continue;
        }
        if !time.is_empty() {
            time.push(' ');
        }
        time.push_str(&unit(msg, count));
    }
    Some(texts.fill(Msg::ResetsIn, &[("time", &time)]))
}

/// The most a current period of `kind` can have left, in milliseconds (`None` for all time).
fn longest_left(kind: PeriodKind) -> Option<u64> {
    let days = match kind {
        PeriodKind::All => return None,
        PeriodKind::Day => 1,
        PeriodKind::Week => 7,
        PeriodKind::Month => 31,
    };
    Some(days * MINUTES_PER_DAY * MILLIS_PER_MINUTE - MILLIS_PER_MINUTE)
}

/// An instant in the period before the one starting at `start`: the date of its last day
/// (`at=2026-11-29` for the week from 30 November), as the canonical query writes dates.
pub fn previous_at(start: PlayedAt) -> Option<PlayedAt> {
    const MILLIS_PER_DAY: u64 = 24 * 60 * MILLIS_PER_MINUTE;
    let last = start.unix_millis().checked_sub(1)?;
    PlayedAt::from_unix_millis(last - last % MILLIS_PER_DAY)
}

/// The meta's summary of a resetting kind (`None` for all time).
pub fn summary(periods: &PeriodsMeta, kind: PeriodKind) -> Option<&PeriodSummary> {
    match kind {
        PeriodKind::All => None,
        PeriodKind::Day => Some(&periods.day),
        PeriodKind::Week => Some(&periods.week),
        PeriodKind::Month => Some(&periods.month),
    }
}

/// A tab's name ("This week").
fn tab_label(texts: &Texts, kind: PeriodKind) -> String {
    texts.get(match kind {
        PeriodKind::All => Msg::PeriodAll,
        PeriodKind::Month => Msg::PeriodMonth,
        PeriodKind::Week => Msg::PeriodWeek,
        PeriodKind::Day => Msg::PeriodDay,
    })
}

/// The period before the current one ("Last week").
fn previous_label(texts: &Texts, kind: PeriodKind) -> String {
    texts.get(match kind {
        PeriodKind::Day => Msg::PreviousDay,
        PeriodKind::Month => Msg::PreviousMonth,
        _ => Msg::PreviousWeek,
    })
}

/// The period read at `at` (none: the current one) as of `now` (ms since the epoch), for the
/// caption and the board page's link preview: "This week", "Last week" (the one before the
/// current one), an older one by its first day ("2026-11-02"), nothing for all time.
pub fn period_label(
    texts: &Texts,
    kind: PeriodKind,
    at: Option<PlayedAt>,
    now: u64,
) -> Option<String> {
    if kind.is_all() {
        return None;
    }
    let current = PlayedAt::from_unix_millis(now).and_then(|now| Period::containing(kind, now));
    match at {
        None => Some(tab_label(texts, kind)),
        Some(at) if current.is_some_and(|current| current.contains(at)) => {
            Some(tab_label(texts, kind))
        }
        Some(at)
            if current
                .and_then(|current| current.previous())
                .is_some_and(|p| p.contains(at)) =>
        {
            Some(previous_label(texts, kind))
        }
        Some(at) => Period::containing(kind, at).map(|period| {
            let mut day = period.start().to_string();
            day.truncate("YYYY-MM-DD".len());
            day
        }),
    }
}

pub struct PeriodBarProps<'a> {
    pub texts: &'a Texts,
    /// The meta's periods; `None` while the meta is on its way (or says the data holds no
    /// timed scores) for a host whose options name a period or view: the row holds its place.
    pub periods: Option<&'a PeriodsMeta>,
    /// The tabs are shown (the options do not lock the period, and the data may hold timed
    /// scores).
    pub tabs: bool,
    pub period: PeriodKind,
    /// The query's `at`: `None` for the current period.
    pub at: Option<PlayedAt>,
    /// The period on screen (the answer's `periodStart`, `periodEnd`), if of the query's kind.
    pub shown: Option<(PlayedAt, PlayedAt)>,
    pub view: View,
    pub now: u64,
    /// The meta is on its way: the time left and the previous period hold their place
    /// (hidden) so the row keeps its height when they arrive.
    pub pending: bool,
    /// Dispatches the row's actions (`SetPeriod`, `SetAt`, `SetView`): one callback type for
    /// every control (size rule "few types").
    pub on_action: Callback<Action>,
    /// On the board page: the controls are links.
    pub nav: Option<BoardNav>,
}

pub fn period_bar(props: PeriodBarProps) -> Html {
    let texts = props.texts;
    let nav = props.nav.as_ref();
    let tab_label = |kind: PeriodKind| tab_label(texts, kind);
    let tabs = TABS.into_iter().map(|kind| {
        let selected = kind == props.period;
        let action = Action::SetPeriod(kind);
        let selected_text = if selected { "true" } else { "false" };
        match nav {
            // Every link stays in the tab order (the page works without scripts); with them,
            // the arrow keys move along the tabs as on the widget.
            Some(nav) => html! {
                <a role="tab" aria-selected={selected_text} href={nav.period_href(kind)}
                    data-period={kind.as_str()}
                    onclick={follow(&props.on_action, action)} onkeydown={move_between_tabs}>
                    { tab_label(kind) }</a>
            },
            None => html! {
                <button type="button" role="tab" aria-selected={selected_text}
                    tabindex={if selected { "0" } else { "-1" }} data-period={kind.as_str()}
                    onclick={click(&props.on_action, action)} onkeydown={move_between_tabs}>
                    { tab_label(kind) }</button>
            },
        }
    });
    let summary = props
        .periods
        .and_then(|periods| summary(periods, props.period));
    // The current period: no `at`, or an `at` in it (the board page names the period shown).
    let current = summary.filter(|s| props.at.is_none_or(|at| at >= s.current_start));
    // The current period as the answer on screen names it (the meta is fetched once per page
    // and may be from before a reset), unless that answer is still a past period's.
    let current_period = current.map(|s| {
        props
            .shown
            .filter(|(_, end)| *end > s.current_start)
            .unwrap_or((s.current_start, s.current_end))
    });
    // While pending: the longest time the period can have left, as wide as the real text.
    let longest = props.pending.then(|| longest_left(props.period)).flatten();
    let resets = current_period
        .map(|(_, end)| end.unix_millis())
        .or(longest.map(|left| props.now + left))
        .and_then(|end| resets_in(texts, end, props.now));
    // "Last week": pressed while a past period is shown; pressed again, back to the current.
    // Shown while a past period is on screen (back to the current one), or when the period
    // before the current one is still readable (the operator's retention may keep only one).
    let previous = summary.and_then(|s| {
        let target = current_period
            .and_then(|(start, _)| previous_at(start))
            .filter(|at| *at >= s.oldest_start);
        let pressed = current.is_none();
        (pressed || target.is_some()).then(|| {
            toggle(
                "previous",
                previous_label(texts, props.period),
                pressed,
                nav.map(|nav| nav.at_href(target)),
                &props.on_action,
                Action::SetAt(target),
            )
        })
    });
    let previous = previous.or_else(|| {
        longest.map(|_| {
            toggle(
                "previous",
                previous_label(texts, props.period),
                false,
                None,
                &props.on_action,
                Action::SetAt(None),
            )
        })
    });
    let best = props.view == View::Best;
    let other_view = if best { View::Scores } else { View::Best };
    html_with_class! {
        <div className={if props.pending { "periods pending" } else { "periods" }} part="periods">
            if props.tabs {
                <div class="tabs" role="tablist" aria-label={texts.get(Msg::Periods)}>
                    { for tabs }
                </div>
            }
            if let Some(resets) = resets {
                <span class="resets">{ resets }</span>
            }
            { for previous }
            { toggle("best", texts.get(Msg::BestPerPlayer), best,
                nav.map(|nav| nav.view_href(other_view)), &props.on_action, Action::SetView(other_view)) }
        </div>
    }
}

/// A toggle button (`aria-pressed`), or on the board page a link to the toggled state.
fn toggle(
    class: &'static str,
    label: String,
    pressed: bool,
    href: Option<String>,
    on_action: &Callback<Action>,
    action: Action,
) -> Html {
    let pressed = if pressed { "true" } else { "false" };
    match href {
        Some(href) => html_with_class! {
            <a className={class} role="button" aria-pressed={pressed} {href}
                onclick={follow(on_action, action)}>{ label }</a>
        },
        None => html_with_class! {
            <button className={class} type="button" aria-pressed={pressed}
                onclick={click(on_action, action)}>{ label }</button>
        },
    }
}

/// A button's click: `action`.
fn click(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    let on_action = on_action.clone();
    Callback::from(move |_: MouseEvent| on_action.emit(action.clone()))
}

/// A board link's click: `action` in place on a plain click, else the browser follows it.
fn follow(on_action: &Callback<Action>, action: Action) -> Callback<MouseEvent> {
    let on_action = on_action.clone();
    Callback::from(move |event: MouseEvent| {
        if in_place(&event) {
            on_action.emit(action.clone())
        }
    })
}

/// The tablist's keys: arrows move to the neighbouring tab and select it (its period loads),
/// Home and End to the first and last.
fn move_between_tabs(event: KeyboardEvent) {
    use wasm_bindgen::JsCast;
    let Some(tab) = event.target_dyn_into::<web_sys::Element>() else {
        return;
    };
    // Right to left, the arrows point the other way along the row.
    let rtl = tab.closest("[dir=rtl]").ok().flatten().is_some();
    let next = match (event.key().as_str(), rtl) {
        ("ArrowRight", false) | ("ArrowLeft", true) | ("ArrowDown", _) => {
            tab.next_element_sibling()
        }
        ("ArrowLeft", false) | ("ArrowRight", true) | ("ArrowUp", _) => {
            tab.previous_element_sibling()
        }
        ("Home", _) => tab
            .parent_element()
            .and_then(|list| list.first_element_child()),
        ("End", _) => tab
            .parent_element()
            .and_then(|list| list.last_element_child()),
        _ => return,
    };
    if let Some(next) = next.and_then(|next| next.dyn_into::<web_sys::HtmlElement>().ok()) {
        event.prevent_default();
        let _ = next.focus();
        next.click();
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const MINUTE: u64 = 60_000;
    const HOUR: u64 = 60 * MINUTE;
    const DAY: u64 = 24 * HOUR;

    #[test]
    fn time_left_rounds_minutes_up_and_ends_at_the_end() {
        let end = 1_000 * DAY;
        assert_eq!(time_left(end, end - 2 * DAY - 4 * HOUR), Some((2, 4, 0)));
        assert_eq!(
            time_left(end, end - 2 * DAY - 4 * HOUR - 59_000),
            Some((2, 4, 1))
        );
        assert_eq!(time_left(end, end - 1), Some((0, 0, 1)));
        assert_eq!(time_left(end, end - 7 * DAY), Some((7, 0, 0)));
        assert_eq!(time_left(end, end), None);
        assert_eq!(time_left(end, end + 1), None);
    }

    #[test]
    fn resets_in_names_the_two_largest_units_in_the_readers_language() {
        let english = crate::i18n::english();
        let end = 1_000 * DAY;
        let text = |now: u64| resets_in(&english, end, now);
        assert_eq!(
            text(end - 2 * DAY - 4 * HOUR - 30 * MINUTE).as_deref(),
            Some("Resets in 2 d 4 h")
        );
        assert_eq!(text(end - 3 * DAY).as_deref(), Some("Resets in 3 d"));
        assert_eq!(
            text(end - 5 * HOUR - 7 * MINUTE).as_deref(),
            Some("Resets in 5 h 7 min")
        );
        assert_eq!(text(end - 59 * MINUTE).as_deref(), Some("Resets in 59 min"));
        assert_eq!(text(end - 10).as_deref(), Some("Resets in 1 min"));
        assert_eq!(text(end), None);
        let german = crate::i18n::load_now("de");
        assert_eq!(
            resets_in(&german, end, end - DAY - HOUR).as_deref(),
            Some("Neustart in 1 Tag 1 Std.")
        );
    }

    #[test]
    fn the_previous_period_is_read_at_the_date_of_its_last_day() {
        let start = PlayedAt::parse("2026-11-30T00:00:00Z").unwrap();
        let at = previous_at(start).unwrap();
        assert_eq!(at.to_string(), "2026-11-29T00:00:00.000Z");
        for kind in PeriodKind::RESETTING {
            let period = leaderboard_model::Period::containing(kind, start).unwrap();
            let at = previous_at(period.start()).unwrap();
            assert_eq!(
                leaderboard_model::Period::containing(kind, at),
                period.previous(),
                "{kind}"
            );
        }
        assert_eq!(previous_at(PlayedAt::MIN), None);
    }

    #[test]
    fn a_period_is_named_as_of_now_current_previous_or_by_its_first_day() {
        let english = crate::i18n::load_now("en");
        let at = |text: &str| Some(PlayedAt::parse(text).unwrap());
        // Thursday 2026-12-03 12:00 UTC: the week from Monday 30 November.
        let now = PlayedAt::parse("2026-12-03T12:00:00Z")
            .unwrap()
            .unix_millis();
        let label = |kind, when| period_label(&english, kind, when, now);
        assert_eq!(label(PeriodKind::All, None), None);
        assert_eq!(label(PeriodKind::Week, None).as_deref(), Some("This week"));
        assert_eq!(
            label(PeriodKind::Week, at("2026-11-30T00:00:00Z")).as_deref(),
            Some("This week")
        );
        assert_eq!(
            label(PeriodKind::Week, at("2026-11-29T23:59:59Z")).as_deref(),
            Some("Last week")
        );
        assert_eq!(
            label(PeriodKind::Week, at("2026-11-18T10:00:00Z")).as_deref(),
            Some("2026-11-16")
        );
        assert_eq!(
            label(PeriodKind::Day, at("2026-12-02T08:00:00Z")).as_deref(),
            Some("Yesterday")
        );
        // A day later, what was yesterday is named by its date.
        assert_eq!(
            period_label(
                &english,
                PeriodKind::Day,
                at("2026-12-02T08:00:00Z"),
                now + 86_400_000
            )
            .as_deref(),
            Some("2026-12-02")
        );
        assert_eq!(
            label(PeriodKind::Month, at("2026-11-15T00:00:00Z")).as_deref(),
            Some("Last month")
        );
        assert_eq!(
            label(PeriodKind::Month, at("2026-10-15T00:00:00Z")).as_deref(),
            Some("2026-10-01")
        );
    }
}
