//! The reader's language: every user-visible and accessible string of the widget.
//!
//! `src/i18n/en.json` is the one English source; each other language is one file beside it
//! (`de.json`, `pt-BR.json`, …) with exactly the same keys (tests/i18n.rs). A value is a
//! template (`"Page {page}"`) or, for a message that counts, an object of plural forms keyed
//! by the language's `Intl.PluralRules` categories (`{"one": …, "other": …}`).
//!
//! English is compiled into the wasm (build.rs writes the [`Msg`] enum and English's values
//! as a JSON array in `Msg` order); an English reader downloads nothing else. In the
//! browser, src/i18n.js (JavaScript, bundled into the glue) decides which language a widget
//! speaks, fetches another language once per page from `i18n/<lang>.json` next to the glue
//! (shipped in the same array form by scripts/i18n-files.mjs) and picks plural forms; the
//! wasm asks it by message index ([`texts`]). Until a file arrives, and for any key or form
//! it lacks, the English text is shown. On the host (the board page's server) every
//! language file is compiled in and tags are matched by [`supported`].

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The language of everything shown when nothing else matches.
pub const ENGLISH_TAG: &str = "en";

/// The supported language for a BCP 47 tag, if any: the exact tag (any case), else a file
/// of the same primary language (`de-AT` → `de`, `pt` → `pt-BR`, `zh-CN` → `zh-Hans`).
/// Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) matches only a `zh-Hant` file,
/// never the Simplified one.
pub fn supported(tag: &str) -> Option<&'static str> {
    let tag = tag.trim().to_ascii_lowercase();
    let file = |wanted: &str| {
        LANGUAGES
            .iter()
            .copied()
            .find(|lang| lang.eq_ignore_ascii_case(wanted))
    };
    let mut parts = tag.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    if primary == "zh" && parts.any(|part| matches!(part, "hant" | "tw" | "hk" | "mo")) {
        return file(&tag).or_else(|| file("zh-Hant"));
    }
    file(&tag).or_else(|| {
        LANGUAGES.iter().copied().find(|lang| {
            let own = lang.split('-').next().unwrap_or_default();
            own.eq_ignore_ascii_case(primary)
        })
    })
}

/// The first of `candidates` (the `lang` option, the host's nearest `lang`, the page's,
/// the browser's) that a language file matches; English when none does.
pub fn resolve<'a>(candidates: impl IntoIterator<Item = &'a str>) -> &'static str {
    candidates
        .into_iter()
        .find_map(supported)
        .unwrap_or(ENGLISH_TAG)
}

/// One language's messages, shared by every view of a widget.
pub struct Texts {
    /// The supported language tag (`pt-BR`), also the plural rules' and the `lang`
    /// attribute's.
    pub lang: String,
    table: Table,
}

/// Texts of one language are the same texts (a language's file is loaded once per page).
impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl Texts {
    /// A message without placeholders.
    pub fn get(&self, msg: Msg) -> String {
        self.table.text(msg, None)
    }

    /// A message with its `{name}` placeholders filled.
    pub fn fill(&self, msg: Msg, args: &[(&str, &str)]) -> String {
        fill(self.table.text(msg, None), args)
    }

    /// A counting message: the plural form for `count` in this language, filled.
    pub fn plural(&self, msg: Msg, count: u64, args: &[(&str, &str)]) -> String {
        fill(self.table.text(msg, Some(count)), args)
    }

    /// `rtl` for right-to-left languages, from the file's own `dir`.
    pub fn dir(&self) -> &'static str {
        if self.get(Msg::Dir) == "rtl" {
            "rtl"
        } else {
            "ltr"
        }
    }
}

/// `template` with each `{name}` replaced by its value (an unknown `{name}` stays as it is).
fn fill(template: String, args: &[(&str, &str)]) -> String {
    if args.is_empty() {
        return template;
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut pieces = template.split('{');
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        let value = piece.split_once('}').and_then(|(name, rest)| {
            let (_, value) = args.iter().find(|(known, _)| *known == name)?;
            Some((value, rest))
        });
        match value {
            Some((value, rest)) => {
                out.push_str(value);
                out.push_str(rest);
            }
            None => {
                out.push('{');
                out.push_str(piece);
            }
        }
    }
    out
}

#[cfg(target_arch = "wasm32")]
pub use browser::{english, texts, Table};
#[cfg(not(target_arch = "wasm32"))]
pub use host::{english, texts, Table};

/// In the browser: which language a widget speaks, fetching its file (once per page) and
/// picking plural forms (`Intl.PluralRules`) are JavaScript's (src/i18n.js, bundled into
/// the glue); tables are `JSON.parse`d arrays in `Msg` order (size rule "no serde").
#[cfg(target_arch = "wasm32")]
mod browser {
    use std::rc::Rc;

    use js_sys::Promise;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::Element;

    use super::{Msg, Texts, ENGLISH, ENGLISH_TAG, LANGUAGE_LIST};

    #[wasm_bindgen(module = "/src/i18n.js")]
    extern "C" {
        #[wasm_bindgen(js_name = widgetLanguage)]
        fn widget_language(option: Option<&str>, host: Option<&Element>, languages: &str)
            -> String;
        #[wasm_bindgen(js_name = languageTable)]
        fn language_table(lang: &str, english: &str, glue_url: &JsValue) -> JsValue;
        fn message(table: &JsValue, index: u32, count: Option<f64>) -> String;
    }

    #[wasm_bindgen]
    extern "C" {
        /// The URL of the wasm-bindgen glue module: the language files are beside it.
        #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
        static GLUE_URL: JsValue;
    }

    /// A parsed language file: an array in `Msg` order (scripts/i18n-files.mjs), which
    /// src/i18n.js marks with its language (for its plural rules).
    pub struct Table(JsValue);

    impl Table {
        pub(super) fn text(&self, msg: Msg, count: Option<u64>) -> String {
            message(&self.0, msg as u32, count.map(|count| count as f64))
        }
    }

    fn table(lang: &str) -> JsValue {
        GLUE_URL.with(|url| language_table(lang, ENGLISH, url))
    }

    /// The English messages (compiled in).
    pub fn english() -> Rc<Texts> {
        Rc::new(Texts {
            lang: ENGLISH_TAG.to_string(),
            table: Table(table(ENGLISH_TAG)),
        })
    }

    /// The messages of the language a widget speaks (its `lang` option, else `host`'s:
    /// src/i18n.js), if this page has them; else English, and the promise of the language's
    /// file arriving (show the widget again when it resolves).
    pub fn texts(option: Option<&str>, host: Option<&Element>) -> (Rc<Texts>, Option<Promise>) {
        let lang = widget_language(option, host, LANGUAGE_LIST);
        let table = table(&lang);
        match table.dyn_into::<Promise>() {
            Ok(arriving) => (english(), Some(arriving)),
            Err(table) if table.is_undefined() => (english(), None),
            Err(table) => (
                Rc::new(Texts {
                    lang,
                    table: Table(table),
                }),
                None,
            ),
        }
    }
}

/// On the host (the board page's server): every language file is compiled in. The host
/// has no `Intl.PluralRules`: a counting message takes its `one` form for 1 and `other`
/// otherwise (the server renders no counting message: they are in the profile dialog and
/// the live region's refresh text, both browser-only).
#[cfg(not(target_arch = "wasm32"))]
mod host {
    use std::rc::Rc;
    use std::sync::LazyLock;

    use super::{compiled_table, Msg, Texts, ENGLISH_TAG, LANGUAGES};

    pub struct Table(&'static serde_json::Value);

    /// Every compiled-in file, parsed once per process (the server renders many pages).
    static TABLES: LazyLock<Vec<(&'static str, serde_json::Value)>> = LazyLock::new(|| {
        LANGUAGES
            .iter()
            .filter_map(|&lang| {
                let table = serde_json::from_str(compiled_table(lang)?).ok()?;
                Some((lang, table))
            })
            .collect()
    });

    fn table_of(lang: &str) -> Option<&'static serde_json::Value> {
        TABLES
            .iter()
            .find(|(tag, _)| *tag == lang)
            .map(|(_, table)| table)
    }

    fn english_table() -> &'static serde_json::Value {
        static EMPTY: serde_json::Value = serde_json::Value::Null;
        table_of(ENGLISH_TAG).unwrap_or(&EMPTY)
    }

    impl Table {
        pub(super) fn text(&self, msg: Msg, count: Option<u64>) -> String {
            let pick = |table: &serde_json::Value| -> Option<String> {
                let value = table.get(msg.key())?;
                if let Some(text) = value.as_str() {
                    return Some(text.to_string());
                }
                let count = count?;
                let category = if count == 1 { "one" } else { "other" };
                value
                    .get(category)
                    .or_else(|| value.get("other"))
                    .and_then(|form| form.as_str())
                    .map(str::to_string)
            };
            pick(self.0)
                .or_else(|| pick(english_table()))
                .unwrap_or_default()
        }
    }

    pub fn english() -> Rc<Texts> {
        load_now(ENGLISH_TAG)
    }

    /// The messages of the `lang` option's language (every file is there; the host has no
    /// page to read a language from).
    pub fn texts(
        option: Option<&str>,
        _host: Option<&web_sys::Element>,
    ) -> (Rc<Texts>, Option<js_sys::Promise>) {
        (load_now(super::resolve(option)), None)
    }

    /// `lang`'s messages, at once (the server renders in one pass).
    pub fn load_now(lang: &'static str) -> Rc<Texts> {
        let table = table_of(lang).unwrap_or_else(english_table);
        Rc::new(Texts {
            lang: lang.to_string(),
            table: Table(table),
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use host::load_now;

#[cfg(test)]
mod tests {
    use super::{resolve, supported};

    #[test]
    fn tags_match_their_language_file() {
        assert_eq!(supported("de"), Some("de"));
        assert_eq!(supported("DE-at"), Some("de"));
        assert_eq!(supported("pt"), Some("pt-BR"));
        assert_eq!(supported("pt-PT"), Some("pt-BR"));
        assert_eq!(supported("pt-br"), Some("pt-BR"));
        assert_eq!(supported("zh-CN"), Some("zh-Hans"));
        assert_eq!(supported("zh"), Some("zh-Hans"));
        assert_eq!(supported("zh-Hans-SG"), Some("zh-Hans"));
        assert_eq!(supported("zh-TW"), None);
        assert_eq!(supported("zh-Hant"), None);
        assert_eq!(supported("en-GB"), Some("en"));
        assert_eq!(supported("sv-SE"), None);
        assert_eq!(supported(""), None);
    }

    #[test]
    fn the_first_supported_candidate_wins_and_english_is_the_fallback() {
        assert_eq!(resolve(["sv", "", "ja-JP"]), "ja");
        assert_eq!(resolve(["he", "de"]), "he");
        assert_eq!(resolve(["sv", "zh-TW"]), "en");
        assert_eq!(resolve([]), "en");
    }
}
