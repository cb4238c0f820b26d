//! Mode and region selects, filled from the facet endpoint with counts and "All".

use std::rc::Rc;

use leaderboard_model::FacetCount;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format::NumberFormatter;

pub struct FacetSelectProps {
    /// `mode` or `region`: the select's name.
    pub name: &'static str,
    pub label: String,
    /// Label of the "" option ("All modes").
    pub all_label: String,
    /// Facet values with counts; `None` until the facets arrive.
    pub facets: Option<Rc<Vec<FacetCount>>>,
    /// Total scores, for the "All" option's count.
    pub total: Option<u64>,
    pub selected: Option<String>,
    pub formatter: Rc<NumberFormatter>,
    pub on_change: Callback<Option<String>>,
}

pub fn facet_select(props: FacetSelectProps) -> Html {
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                on_change.emit((!value.is_empty()).then_some(value));
            }
        })
    };
    let selected = props.selected.as_deref().unwrap_or_default();
    let count = |n: u64| format!(" ({})", props.formatter.format_u64(n));
    let facets = props
        .facets
        .as_deref()
        .map(Vec::as_slice)
        .unwrap_or_default();
    // A value from the URL or options that the data does not hold stays selectable.
    let missing =
        (!selected.is_empty() && !facets.iter().any(|f| f.name == selected)).then_some(selected);
    let id = format!("slb-{}", props.name);
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ props.label }</span>
            <select name={props.name} id={id} {onchange}>
                <option value="" selected={selected.is_empty()}>
                    { props.all_label }{ props.total.map(count).unwrap_or_default() }
                </option>
                { for facets.iter().map(|facet| html! {
                    <option value={facet.name.clone()} selected={facet.name == selected}>
                        { &facet.name }{ count(facet.count) }
                    </option>
                }) }
                if let Some(value) = missing {
                    <option value={value.to_string()} selected=true>{ value }</option>
                }
            </select>
        </label>
    }
}
