//! Mounting widgets into host elements: `mount(host, options)` for JS (a widget id, which
//! `updateWidget`/`destroyWidget`/`widgetError` take), and auto-mount of
//! `[data-space-leaderboard]` elements, which starts when the wasm is instantiated
//! ([`crate::start`]). The handle a page holds is JS's (www/src/embed.js): it wraps an id.
//!
//! Each widget lives in an open shadow root of its host: a container `div` rendered by yew
//! and the widget's stylesheet adopted as a constructable stylesheet (no inline style, so a
//! strict CSP needs no `'unsafe-inline'`). One stylesheet object is shared by all widgets.
//!
//! Two page-wide watchers live here, shared by every widget: a `MutationObserver` that
//! auto-mounts `[data-space-leaderboard]` elements added later and destroys auto-mounted
//! widgets whose host left the page, and a `prefers-color-scheme` listener that switches
//! `theme=auto` widgets live (removed with the last widget).

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CssStyleSheet, Element, MediaQueryList, MutationObserver, MutationObserverInit, MutationRecord,
    ShadowRoot, ShadowRootInit, ShadowRootMode,
};
use yew::AppHandle;

use crate::components::app::{App, AppProps};
use crate::i18n::Msg;
use crate::options::{canonical_name, OptionError, Problem, Theme, WidgetOptions};

/// The widget's stylesheet, compiled into the wasm.
pub const WIDGET_CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/widget.min.css"));

/// The attribute that marks an element for auto-mounting.
pub const AUTO_MOUNT_ATTRIBUTE: &str = "data-space-leaderboard";
/// The elements carrying it (a constant, not a `format!` per call).
const AUTO_MOUNT_SELECTOR: &str = "[data-space-leaderboard]";

/// The media query `theme=auto` follows (the same one src/components/app.rs reads at render).
const DARK_SCHEME_QUERY: &str = "(prefers-color-scheme: dark)";

thread_local! {
    static STYLESHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    /// Every live widget, so a second mount on the same host replaces the first and
    /// auto-mount skips hosts already mounted.
    static MOUNTED: RefCell<Vec<Rc<RefCell<Widget>>>> = const { RefCell::new(Vec::new()) };
    /// The colour-scheme listener, while any widget is mounted.
    static SCHEME_WATCH: RefCell<Option<SchemeWatch>> = const { RefCell::new(None) };
    /// The page observer for auto-mount, from the first `mountAll` on.
    static HOST_OBSERVER: RefCell<Option<HostObserver>> = const { RefCell::new(None) };
    /// The id of the next widget.
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(1) };
}

struct HostObserver {
    _observer: MutationObserver,
    _callback: Closure<dyn FnMut(Array)>,
}

struct SchemeWatch {
    query: MediaQueryList,
    listener: Closure<dyn FnMut()>,
}

enum View {
    App(AppHandle<App>),
    /// A bad option: a message instead of the widget.
    Message(String),
}

struct Widget {
    /// What JS holds: ids are never reused, so a handle of a replaced widget finds nothing.
    id: u32,
    host: Element,
    root: ShadowRoot,
    container: Element,
    /// The options as given (canonical names), so `update` can merge.
    raw: Vec<(String, String)>,
    view: Option<View>,
    /// Mounted by auto-mount (from its `data-*` attributes): destroyed when its host leaves
    /// the page. Widgets mounted through the JS API belong to their caller.
    auto: bool,
    /// The shown options say `theme=auto`: the colour-scheme listener switches it.
    theme_auto: bool,
}

/// The live widget with this id.
fn widget_by_id(id: u32) -> Option<Rc<RefCell<Widget>>> {
    MOUNTED.with(|all| all.borrow().iter().find(|w| w.borrow().id == id).cloned())
}

/// Applies new options to widget `id`, merged over its current ones (a `null` value removes
/// one). A bad value shows its message in the widget and is returned as the error.
#[wasm_bindgen(js_name = updateWidget)]
pub fn update_widget(id: u32, options: JsValue) -> Result<(), JsValue> {
    let widget =
        widget_by_id(id).ok_or_else(|| js_error("this leaderboard widget was destroyed"))?;
    let changes = pairs_from_js(&options).map_err(js_error)?;
    let mut widget = widget.borrow_mut();
    for (name, value) in changes {
        widget.raw.retain(|(known, _)| *known != name);
        if let Some(value) = value {
            widget.raw.push((name, value));
        }
    }
    widget.show().map_err(js_error)
}

/// Removes widget `id`: its nodes, stylesheet, listeners and timers. Idempotent.
#[wasm_bindgen(js_name = destroyWidget)]
pub fn destroy_widget(id: u32) {
    if let Some(widget) = widget_by_id(id) {
        unregister(&widget);
        widget.borrow_mut().teardown();
    }
}

/// The message of the bad option widget `id` shows, if any.
#[wasm_bindgen(js_name = widgetError)]
pub fn widget_error(id: u32) -> Option<String> {
    let widget = widget_by_id(id)?;
    let widget = widget.borrow();
    match &widget.view {
        Some(View::Message(message)) => Some(message.clone()),
        _ => None,
    }
}

impl Widget {
    /// Renders the widget for its options as they are now (`raw`), or the message for a bad
    /// option (in the widget's language), which it returns.
    fn show(&mut self) -> Result<(), String> {
        let options = WidgetOptions::from_pairs(self.raw.iter().map(|(k, v)| (k, v)));
        self.theme_auto = matches!(&options, Ok(options) if options.theme == Theme::Auto);
        match (options, self.view.take()) {
            (Ok(options), Some(View::App(mut app))) => {
                app.update(AppProps {
                    texts: self.texts_for(options.lang.as_deref()),
                    options: Rc::new(options),
                    first_page: None,
                    links: None,
                });
                self.view = Some(View::App(app));
                Ok(())
            }
            (Ok(options), _) => {
                clear(&self.container);
                let app = yew::Renderer::<App>::with_root_and_props(
                    self.container.clone(),
                    AppProps {
                        texts: self.texts_for(options.lang.as_deref()),
                        options: Rc::new(options),
                        first_page: None,
                        links: None,
                    },
                )
                .render();
                self.view = Some(View::App(app));
                Ok(())
            }
            (Err(error), previous) => {
                if let Some(View::App(app)) = previous {
                    // yew removes its nodes later, from the detached old container.
                    app.destroy();
                    self.replace_container();
                }
                // The language the options ask for, if that value is well-formed.
                let lang = self
                    .raw
                    .iter()
                    .find(|(name, _)| name == "lang" && error.option != "lang")
                    .map(|(_, value)| value.as_str());
                let texts = self.texts_for(lang);
                render_message(
                    &self.container,
                    &texts.fill(Msg::NotShown, &[("message", &error.message(&texts))]),
                );
                // What JS and the console are told has words: English while the widget
                // waits for its language's file (it shows the message when the file is in).
                let told = if texts.waiting() {
                    crate::i18n::english()
                } else {
                    texts
                };
                let message = error.message(&told);
                web_sys::console::error_1(&JsValue::from_str(&format!(
                    "space-leaderboard: {message}"
                )));
                self.view = Some(View::Message(message.clone()));
                Err(message)
            }
        }
    }

    /// The messages of the widget's language (its `lang` option, else its host's) if this
    /// page has them; else no words now (or English when the file could not be had in
    /// time), and the widget is shown again when the language's file has arrived or the
    /// wait has ended.
    fn texts_for(&self, lang: Option<&str>) -> Rc<crate::i18n::Texts> {
        let (texts, arriving) = crate::i18n::texts(lang, Some(&self.host));
        if let Some(arriving) = arriving {
            let id = self.id;
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(arriving).await;
                // Still there: shown again with its options as they are now (in that
                // language if they still ask for it).
                if let Some(widget) = widget_by_id(id) {
                    let _ = widget.borrow_mut().show();
                }
            });
        }
        texts
    }

    /// Sets the theme class for the current colour scheme on the widget's root. The App
    /// resolves `theme=auto` from the same media query at every render, so yew's next render
    /// (which diffs against its own last class) and this agree.
    fn apply_scheme(&self, dark: bool) {
        if !self.theme_auto || !matches!(self.view, Some(View::App(_))) {
            return;
        }
        let Some(root) = self.container.first_element_child() else {
            return;
        };
        let classes = root.class_list();
        if classes.contains("slb") {
            let _ = classes.toggle_with_force("theme-dark", dark);
            let _ = classes.toggle_with_force("theme-light", !dark);
        }
    }

    fn replace_container(&mut self) {
        let fresh = self
            .container
            .owner_document()
            .and_then(|document| document.create_element("div").ok());
        if let Some(fresh) = fresh {
            fresh.set_class_name("slb-host");
            if self.root.append_child(&fresh).is_ok() {
                self.container.remove();
                self.container = fresh;
            }
        }
    }

    fn teardown(&mut self) {
        match self.view.take() {
            // yew detaches its own nodes (and their listeners) from the container.
            Some(View::App(app)) => app.destroy(),
            _ => clear(&self.container),
        }
        self.container.remove();
        STYLESHEET.with(|sheet| {
            if let Some(sheet) = sheet.borrow().as_ref() {
                let ours: &JsValue = sheet.as_ref();
                let kept = self
                    .root
                    .adopted_style_sheets()
                    .filter(&mut |adopted, _, _| adopted != *ours);
                self.root.set_adopted_style_sheets(&kept);
            }
        });
    }
}

/// Mounts a widget in `host` (in its open shadow root, created or reused) with `options`
/// (an object of option values, or `undefined`) and returns its id. A bad option shows its
/// message in the widget (see [`widget_error`]); only a host that cannot hold a widget throws.
#[wasm_bindgen]
pub fn mount(host: Element, options: JsValue) -> Result<u32, JsValue> {
    let pairs = pairs_from_js(&options).map_err(js_error)?;
    let raw = pairs
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect();
    mount_with(host, raw)
}

/// Mounts every `[data-space-leaderboard]` element not mounted yet, with options from its
/// `data-*` attributes. Returns how many were mounted.
///
/// The first call also starts watching the page: elements with the attribute added later
/// are mounted, and an auto-mounted widget whose host is removed is destroyed (a host moved
/// within one task stays mounted). Hosts inside other shadow roots are not watched.
#[wasm_bindgen(js_name = mountAll)]
pub fn mount_all() -> u32 {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return 0;
    };
    watch_for_hosts(&document);
    mount_unmounted_hosts(&document)
}

fn mount_unmounted_hosts(document: &web_sys::Document) -> u32 {
    let Ok(hosts) = document.query_selector_all(AUTO_MOUNT_SELECTOR) else {
        return 0;
    };
    let mut mounted = 0;
    for index in 0..hosts.length() {
        let Some(host) = hosts.item(index).and_then(|n| n.dyn_into::<Element>().ok()) else {
            continue;
        };
        if is_mounted(&host) {
            continue;
        }
        let raw = pairs_from_attributes(&host);
        // The registry keeps auto-mounted widgets alive; nothing hands out their id.
        if let Ok(id) = mount_with(host, raw) {
            if let Some(widget) = widget_by_id(id) {
                widget.borrow_mut().auto = true;
            }
            mounted += 1;
        }
    }
    mounted
}

/// Number of live widgets on the page (for tests and the embed loader).
#[wasm_bindgen(js_name = mountedCount)]
pub fn mounted_count() -> u32 {
    MOUNTED.with(|all| u32::try_from(all.borrow().len()).unwrap_or(u32::MAX))
}

fn mount_with(host: Element, raw: Vec<(String, String)>) -> Result<u32, JsValue> {
    // A second mount on one host replaces the first widget.
    let previous = MOUNTED.with(|all| {
        all.borrow()
            .iter()
            .find(|w| w.borrow().host == host)
            .cloned()
    });
    if let Some(previous) = previous {
        unregister(&previous);
        previous.borrow_mut().teardown();
    }
    let root = match host.shadow_root() {
        Some(root) => root,
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))?,
    };
    adopt_stylesheet(&root)?;
    let document = host
        .owner_document()
        .ok_or_else(|| js_error("the host element has no document"))?;
    let container = document.create_element("div")?;
    container.set_class_name("slb-host");
    root.append_child(&container)?;
    let id = NEXT_ID.with(|next| next.replace(next.get().wrapping_add(1)));
    let mut widget = Widget {
        id,
        host,
        root,
        container,
        raw,
        view: None,
        auto: false,
        theme_auto: false,
    };
    // A bad option is shown in the widget; the handle still works (update can fix it).
    let _ = widget.show();
    let widget = Rc::new(RefCell::new(widget));
    MOUNTED.with(|all| all.borrow_mut().push(Rc::clone(&widget)));
    watch_color_scheme();
    Ok(id)
}

fn is_mounted(host: &Element) -> bool {
    MOUNTED.with(|all| all.borrow().iter().any(|w| w.borrow().host == *host))
}

fn unregister(widget: &Rc<RefCell<Widget>>) {
    let none_left = MOUNTED.with(|all| {
        let mut all = all.borrow_mut();
        all.retain(|w| !Rc::ptr_eq(w, widget));
        all.is_empty()
    });
    if none_left {
        unwatch_color_scheme();
    }
}

/// Starts the page observer behind auto-mount (once).
fn watch_for_hosts(document: &web_sys::Document) {
    if HOST_OBSERVER.with(|cell| cell.borrow().is_some()) {
        return;
    }
    let callback = Closure::<dyn FnMut(Array)>::new(on_page_mutations);
    let Ok(observer) = MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    options.set_attribute_filter(&Array::of1(&JsValue::from_str(AUTO_MOUNT_ATTRIBUTE)));
    if observer.observe_with_options(document, &options).is_err() {
        return;
    }
    HOST_OBSERVER.with(|cell| {
        *cell.borrow_mut() = Some(HostObserver {
            _observer: observer,
            _callback: callback,
        });
    });
}

/// One batch of page mutations: destroys auto-mounted widgets whose host left the page,
/// then mounts hosts that arrived (or gained the attribute).
fn on_page_mutations(records: Array) {
    let mut removed_any = false;
    let mut host_added = false;
    for record in records.iter() {
        let record: MutationRecord = record.unchecked_into();
        if record.removed_nodes().length() > 0 {
            removed_any = true;
        }
        if record.type_() == "attributes" {
            host_added = true;
        }
        let nodes = record.added_nodes();
        host_added |= (0..nodes.length()).any(|index| {
            nodes
                .item(index)
                .and_then(|node| node.dyn_into::<Element>().ok())
                .is_some_and(|element| {
                    element.matches(AUTO_MOUNT_SELECTOR).unwrap_or(false)
                        || element
                            .query_selector(AUTO_MOUNT_SELECTOR)
                            .ok()
                            .flatten()
                            .is_some()
                })
        });
    }
    if removed_any {
        let gone: Vec<Rc<RefCell<Widget>>> = MOUNTED.with(|all| {
            all.borrow()
                .iter()
                .filter(|w| {
                    let w = w.borrow();
                    w.auto && !w.host.is_connected()
                })
                .cloned()
                .collect()
        });
        for widget in gone {
            unregister(&widget);
            widget.borrow_mut().teardown();
        }
    }
    if host_added {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            mount_unmounted_hosts(&document);
        }
    }
}

/// Listens for colour-scheme changes while any widget is mounted (once).
fn watch_color_scheme() {
    if SCHEME_WATCH.with(|cell| cell.borrow().is_some()) {
        return;
    }
    let Some(query) = web_sys::window()
        .and_then(|window| window.match_media(DARK_SCHEME_QUERY).ok())
        .flatten()
    else {
        return;
    };
    let listener = {
        let query = query.clone();
        Closure::<dyn FnMut()>::new(move || {
            let dark = query.matches();
            let widgets: Vec<Rc<RefCell<Widget>>> =
                MOUNTED.with(|all| all.borrow().iter().cloned().collect());
            for widget in widgets {
                if let Ok(widget) = widget.try_borrow() {
                    widget.apply_scheme(dark);
                }
            }
        })
    };
    if query
        .add_event_listener_with_callback("change", listener.as_ref().unchecked_ref())
        .is_ok()
    {
        SCHEME_WATCH.with(|cell| *cell.borrow_mut() = Some(SchemeWatch { query, listener }));
    }
}

fn unwatch_color_scheme() {
    if let Some(watch) = SCHEME_WATCH.with(|cell| cell.borrow_mut().take()) {
        let _ = watch
            .query
            .remove_event_listener_with_callback("change", watch.listener.as_ref().unchecked_ref());
    }
}

fn adopt_stylesheet(root: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = STYLESHEET.with(|cell| -> Result<CssStyleSheet, JsValue> {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        let sheet = CssStyleSheet::new()?;
        sheet.replace_sync(WIDGET_CSS)?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })?;
    let adopted = root.adopted_style_sheets();
    if !adopted.includes(sheet.as_ref(), 0) {
        adopted.push(sheet.as_ref());
        root.set_adopted_style_sheets(&adopted);
    }
    Ok(())
}

/// What JS callers catch: an `Error` with `message`.
fn js_error(message: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&message.to_string()).into()
}

fn clear(element: &Element) {
    element.set_text_content(None);
}

/// The message for a bad option, styled like the widget's error state.
fn render_message(container: &Element, message: &str) {
    clear(container);
    let Some(document) = container.owner_document() else {
        return;
    };
    let build = || -> Result<(), JsValue> {
        let root = document.create_element("div")?;
        root.set_class_name("slb theme-dark config-error");
        root.set_attribute("part", "root")?;
        let state = document.create_element("div")?;
        state.set_class_name("state state-error");
        state.set_attribute("role", "alert")?;
        let text = document.create_element("p")?;
        // Text, not HTML: the message echoes the bad value.
        text.set_text_content(Some(message));
        state.append_child(&text)?;
        root.append_child(&state)?;
        container.append_child(&root)?;
        Ok(())
    };
    let _ = build();
}

/// `data-*` attributes as option pairs (`data-page-size` becomes `pageSize`).
fn pairs_from_attributes(host: &Element) -> Vec<(String, String)> {
    let names = host.get_attribute_names();
    names
        .iter()
        .filter_map(|name| name.as_string())
        .filter(|name| name.starts_with("data-") && name != AUTO_MOUNT_ATTRIBUTE)
        .filter_map(|name| {
            let value = host.get_attribute(&name)?;
            Some((canonical_name(&name), value))
        })
        .collect()
}

/// A JS options object as pairs; `None` values (null/undefined) mean "remove".
fn pairs_from_js(options: &JsValue) -> Result<Vec<(String, Option<String>)>, OptionError> {
    if options.is_undefined() || options.is_null() {
        return Ok(Vec::new());
    }
    let Some(object) = options.dyn_ref::<Object>().filter(|_| options.is_object()) else {
        return Err(OptionError {
            option: "options".to_string(),
            problem: Problem::wrong(Msg::OptionsNotAnObject, 0),
        });
    };
    let mut pairs = Vec::new();
    for entry in Object::entries(object).iter() {
        let entry: Array = entry.unchecked_into();
        let Some(name) = entry.get(0).as_string() else {
            continue;
        };
        let name = canonical_name(&name);
        let value = entry.get(1);
        let text = if value.is_undefined() || value.is_null() {
            None
        } else if let Some(text) = value.as_string() {
            Some(text)
        } else if let Some(flag) = value.as_bool() {
            Some(flag.to_string())
        } else if let Some(number) = value.as_f64() {
            Some(number_text(number, &value))
        } else {
            return Err(OptionError {
                option: name,
                problem: Problem::wrong(Msg::OptionNotAValue, 0),
            });
        };
        pairs.push((name, text));
    }
    Ok(pairs)
}

/// Whole numbers as integers (`25`); others as JS prints them (`2.5`, `NaN`), which the
/// option parser then refuses with a message (size rule "no float formatting").
fn number_text(number: f64, value: &JsValue) -> String {
    if number.is_finite() && number.fract() == 0.0 && number.abs() < 1e15 {
        (number as i64).to_string()
    } else {
        js_sys::Number::unchecked_from_js_ref(value)
            .to_string_with_radix(10)
            .map(String::from)
            .unwrap_or_default()
    }
}
