//! Previous/next, condensed page numbers (1 … 7 8 9 … 4,210), the range shown and the page
//! size choice.

use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::board::{in_place, BoardNav};
use crate::format::NumberFormatter;
use crate::i18n::{Msg, Texts};

/// One slot of the condensed page list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageItem {
    Page(u64),
    Ellipsis,
}

/// Page numbers to show for `current` of `total`: always the first and last, the current
/// one with its neighbours, ellipses for the gaps. Always 7 slots once there are more than 7
/// pages, so the bar keeps its width while paging.
pub fn page_items(current: u64, total: u64) -> Vec<PageItem> {
    use PageItem::{Ellipsis, Page};
    if total <= 7 {
        return (1..=total).map(Page).collect();
    }
    let current = current.clamp(1, total);
    if current <= 4 {
        let mut items: Vec<PageItem> = (1..=5).map(Page).collect();
        items.extend([Ellipsis, Page(total)]);
        items
    } else if current >= total - 3 {
        let mut items = vec![Page(1), Ellipsis];
        items.extend((total - 4..=total).map(Page));
        items
    } else {
        vec![
            Page(1),
            Ellipsis,
            Page(current - 1),
            Page(current),
            Page(current + 1),
            Ellipsis,
            Page(total),
        ]
    }
}

/// "Showing 21–30 of 4,210" (first and last entry of the page, 1-based).
pub fn range_text(
    texts: &Texts,
    formatter: &NumberFormatter,
    offset: u64,
    shown: u64,
    total: u64,
) -> String {
    let total = formatter.format_u64(total);
    if shown == 0 {
        return texts.fill(Msg::RangeNone, &[("total", &total)]);
    }
    texts.fill(
        Msg::Range,
        &[
            ("from", &formatter.format_u64(offset.saturating_add(1))),
            ("to", &formatter.format_u64(offset.saturating_add(shown))),
            ("total", &total),
        ],
    )
}

/// What the footer shows.
pub struct PaginationProps {
    pub page: u64,
    pub total_pages: u64,
    pub range: String,
    pub page_size: u32,
    pub page_sizes: Vec<u32>,
    pub formatter: Rc<NumberFormatter>,
    pub texts: Rc<Texts>,
    pub on_page: Callback<u32>,
    pub on_page_size: Callback<u32>,
    /// Holds the footer's place while the first page loads: the bar is drawn, its contents
    /// are hidden (so neither seen, focused nor clicked), so the widget is as tall before its
    /// rows as after (no shift).
    pub placeholder: bool,
    /// On the board page: pages are links, the size a GET form.
    pub nav: Option<BoardNav>,
}

pub fn pagination(props: PaginationProps) -> Html {
    let go = |page: u64| {
        let on_page = props.on_page.clone();
        let page = u32::try_from(page).unwrap_or(u32::MAX);
        Callback::from(move |_: MouseEvent| on_page.emit(page))
    };
    // A link (board page): handled in place on a plain click, else followed by the browser.
    let follow = |page: u64| {
        let on_page = props.on_page.clone();
        let page = u32::try_from(page).unwrap_or(u32::MAX);
        Callback::from(move |event: MouseEvent| {
            if in_place(&event) {
                on_page.emit(page);
            }
        })
    };
    let nav = props.nav.as_ref();
    let on_size = {
        let on_page_size = props.on_page_size.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                if let Ok(size) = select.value().parse::<u32>() {
                    on_page_size.emit(size);
                }
            }
        })
    };
    let page = props.page;
    let last = props.total_pages.max(1);
    let texts = &props.texts;
    let previous_label = texts.get(Msg::PreviousPage);
    let next_label = texts.get(Msg::NextPage);
    let page_label = |number: u64| {
        texts.fill(
            Msg::PageNumber,
            &[("page", &props.formatter.format_u64(number))],
        )
    };
    let size_field = html! {
        <label class="field page-size" for="slb-page-size">
            <span class="field-label">{ texts.get(Msg::PerPage) }</span>
            <select name="pageSize" id="slb-page-size" onchange={on_size}>
                { for props.page_sizes.iter().map(|&size| html! {
                    <option value={size.to_string()} selected={size == props.page_size}>{ size }</option>
                }) }
            </select>
        </label>
    };
    html_with_class! {
        <div className={if props.placeholder { "footer placeholder" } else { "footer" }} part="footer"
            aria-hidden={props.placeholder.then_some("true")}>
            <span class="range">{ props.range }</span>
            <nav class="pagination" aria-label={texts.get(Msg::Pages)} part="pagination">
                if let (Some(nav), true) = (nav, page > 1) {
                    <a rel="prev" aria-label={previous_label} href={nav.page_href(page - 1)}
                        onclick={follow(page - 1)}>{ "‹" }</a>
                } else {
                    <button type="button" rel="prev" aria-label={previous_label}
                        disabled={page <= 1} onclick={go(page.saturating_sub(1))}>{ "‹" }</button>
                }
                { for page_items(page, props.total_pages).into_iter().enumerate().map(|(slot, item)| match item {
                    PageItem::Page(number) => match nav {
                        Some(nav) => html! {
                            <a key={format!("p{number}")} data-page={number.to_string()}
                                href={nav.page_href(number)}
                                aria-current={(number == page).then_some("page")}
                                aria-label={page_label(number)}
                                onclick={follow(number)}>{ props.formatter.format_u64(number) }</a>
                        },
                        None => html! {
                            <button type="button" key={format!("p{number}")} data-page={number.to_string()}
                                aria-current={(number == page).then_some("page")}
                                aria-label={page_label(number)}
                                onclick={go(number)}>{ props.formatter.format_u64(number) }</button>
                        },
                    },
                    PageItem::Ellipsis => html! {
                        <span key={format!("e{slot}")} class="ellipsis" aria-hidden="true">{ "…" }</span>
                    },
                }) }
                if let (Some(nav), true) = (nav, page < last) {
                    <a rel="next" aria-label={next_label} href={nav.page_href(page + 1)}
                        onclick={follow(page + 1)}>{ "›" }</a>
                } else {
                    <button type="button" rel="next" aria-label={next_label}
                        disabled={page >= last} onclick={go(page.saturating_add(1))}>{ "›" }</button>
                }
            </nav>
            if let Some(nav) = nav {
                <form class="page-size-form" method="get" action={nav.form_action()}
                    onsubmit={Callback::from(|event: SubmitEvent| event.prevent_default())}>
                    { nav.hidden_fields(&["pageSize"]) }
                    { size_field }
                    <button type="submit" class="apply">{ texts.get(Msg::Apply) }</button>
                </form>
            } else {
                { size_field }
            }
        </div>
    }
}
