//! The player profile dialog: avatar, name, rank, achievements de-duplicated with counts.
//! Modal: Esc and a click outside close it, Tab stays inside, focus returns to the opener
//! (the app does that on `on_close`).

use std::rc::Rc;

use leaderboard_model::LeaderboardEntry;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::components::avatar::{avatar, use_failed_avatar};
use crate::format::{clip, NumberFormatter};
use crate::i18n::{Msg, Texts};

/// Achievements at most listed (the data is untrusted; a list can be huge).
const MAX_ACHIEVEMENTS_SHOWN: usize = 100;

/// The game stores an achievement once per time it was earned: list each once, in the
/// order first earned, with how many times. Blank names are dropped.
///
/// A linear scan per achievement: the game has a few dozen kinds (size rule "lists, not
/// hash maps").
pub fn achievement_counts(achievements: &[String]) -> Vec<(String, u64)> {
    let mut counts: Vec<(String, u64)> = Vec::new();
    for achievement in achievements {
        let name = achievement.trim();
        if name.is_empty() {
            continue;
        }
        let kinds = counts.len();
        match counts.iter_mut().find(|(known, _)| known == name) {
            Some((_, count)) => *count += 1,
            // Bounded work on hostile data: at most this many distinct kinds are kept.
            None if kinds < MAX_ACHIEVEMENTS_SHOWN => counts.push((name.to_string(), 1)),
            None => {}
        }
    }
    counts
}

/// What the dialog shows; its hooks are [`use_profile_dialog`], in the root.
pub struct ProfileDialogProps {
    pub entry: LeaderboardEntry,
    pub formatter: Rc<NumberFormatter>,
    pub texts: Rc<Texts>,
    pub on_close: Callback<()>,
    /// "Show on leaderboard": the profile id.
    pub on_locate: Callback<String>,
}

/// The dialog's elements and its avatar's state, kept by the root component.
pub struct ProfileDialogHooks {
    dialog_ref: NodeRef,
    close_ref: NodeRef,
    backdrop_ref: NodeRef,
    failed_avatar: UseStateHandle<Option<AttrValue>>,
}

/// `open`: the shown entry's id (`None` while closed). Opening the dialog moves the focus
/// to its close button.
#[hook]
pub fn use_profile_dialog(open: Option<String>) -> ProfileDialogHooks {
    let failed_avatar = use_failed_avatar();
    let dialog_ref = use_node_ref();
    let close_ref = use_node_ref();
    let backdrop_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with(open, move |open| {
            if let (Some(_), Some(button)) = (open, close_ref.cast::<HtmlElement>()) {
                let _ = button.focus();
            }
        });
    }
    ProfileDialogHooks {
        dialog_ref,
        close_ref,
        backdrop_ref,
        failed_avatar,
    }
}

pub fn profile_dialog(hooks: &ProfileDialogHooks, props: ProfileDialogProps) -> Html {
    let ProfileDialogHooks {
        dialog_ref,
        close_ref,
        backdrop_ref,
        failed_avatar,
    } = hooks;
    let entry = &props.entry;
    let onkeydown = {
        let on_close = props.on_close.clone();
        let dialog_ref = dialog_ref.clone();
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "Escape" => {
                event.prevent_default();
                event.stop_propagation();
                on_close.emit(());
            }
            "Tab" => trap_focus(&event, &dialog_ref),
            _ => {}
        })
    };
    let on_backdrop = {
        let on_close = props.on_close.clone();
        let backdrop_ref = backdrop_ref.clone();
        Callback::from(move |event: MouseEvent| {
            // A click on the backdrop itself, not inside the dialog. (yew delegates events,
            // so `current_target` is its root, not the backdrop.)
            let backdrop = backdrop_ref.get().map(wasm_bindgen::JsValue::from);
            let target = event.target().map(wasm_bindgen::JsValue::from);
            if backdrop.is_some() && target == backdrop {
                on_close.emit(());
            }
        })
    };
    let close = props.on_close.reform(|_: MouseEvent| ());
    let locate = {
        let on_locate = props.on_locate.clone();
        let id = entry.profile.id.clone();
        Callback::from(move |_: MouseEvent| on_locate.emit(id.clone()))
    };
    let achievements = achievement_counts(&entry.profile.achievements);
    let texts = &props.texts;
    let rank = texts.fill(
        Msg::RankBadge,
        &[("rank", &props.formatter.format_u64(entry.rank))],
    );
    let points = texts.plural(
        Msg::Points,
        entry.score.score.unsigned_abs(),
        &[("score", &props.formatter.format_i64(entry.score.score))],
    );
    html! {
        <div class="dialog-backdrop" onclick={on_backdrop} part="dialog-backdrop" ref={backdrop_ref.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="slb-dialog-title"
                ref={dialog_ref.clone()} {onkeydown} part="dialog" tabindex="-1">
                <button type="button" class="close" aria-label={texts.get(Msg::Close)} ref={close_ref.clone()}
                    onclick={close}>{ "✕" }</button>
                <div class="dialog-head">
                    { avatar(&entry.profile.avatar_url, &entry.profile.user_name, true, failed_avatar) }
                    <div class="dialog-title">
                        <h2 id="slb-dialog-title">{ clip(&entry.profile.user_name, 80) }</h2>
                        <p class="dialog-rank">
                            <span class="rank-badge">{ rank }</span>
                            { " · " }{ points }
                        </p>
                        <p class="dialog-meta">{ &entry.score.game_mode }{ " · " }{ &entry.score.game_region }</p>
                    </div>
                </div>
                <h3 class="achievements-title">{ texts.get(Msg::Achievements) }</h3>
                if achievements.is_empty() {
                    <p class="no-achievements">{ texts.get(Msg::NoAchievements) }</p>
                } else {
                    <ul class="achievements">
                        { for achievements.iter().map(|(name, count)| html! {
                            <li>
                                <span class="achievement">{ clip(name, 60) }</span>
                                <span class="count" aria-label={texts.plural(Msg::Times, *count, &[("count", &props.formatter.format_u64(*count))])}>
                                    { "×" }{ props.formatter.format_u64(*count) }
                                </span>
                            </li>
                        }) }
                    </ul>
                }
                <div class="dialog-actions">
                    <button type="button" class="locate" onclick={locate}>{ texts.get(Msg::ShowOnLeaderboard) }</button>
                </div>
            </div>
        </div>
    }
}

/// Keeps Tab and Shift+Tab cycling inside the dialog.
fn trap_focus(event: &KeyboardEvent, dialog_ref: &NodeRef) {
    let Some(dialog) = dialog_ref.cast::<Element>() else {
        return;
    };
    let Ok(nodes) = dialog.query_selector_all("button:not([disabled]), a[href], input, select")
    else {
        return;
    };
    let length = nodes.length();
    let (Some(first), Some(last)) = (nodes.item(0), nodes.item(length.saturating_sub(1))) else {
        return;
    };
    let target = event.target().map(wasm_bindgen::JsValue::from);
    let at = |node: &web_sys::Node| target.as_ref() == Some(node.as_ref());
    let dialog_focused = target.as_ref() == Some(dialog.as_ref());
    let wrap_to = if event.shift_key() && (at(&first) || dialog_focused) {
        Some(last)
    } else if !event.shift_key() && at(&last) {
        Some(first)
    } else {
        None
    };
    if let Some(node) = wrap_to.and_then(|node| node.dyn_into::<HtmlElement>().ok()) {
        event.prevent_default();
        let _ = node.focus();
    }
}
