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
//! (shipped in the same array form by scripts/i18n-files.mjs; the loader preloads it while the
//! wasm downloads) and picks plural forms; the wasm asks it by message index ([`texts`]).
//! Until a file arrives a widget shows no words (its loading skeleton), for a bounded wait;
//! then, for a file that could not be had and for any key or form a file lacks, English.
//! On the host (the board page's server) every language file is compiled in, tags are
//! matched by [`supported`] and plural forms are picked by ICU4X's CLDR rules, the ones
//! `Intl.PluralRules` applies (`plural_category`).

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

/// Texts of one language are the same texts (a language's file is loaded once per page),
/// but for the wordless texts of a widget waiting for that file.
impl PartialEq for Texts {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang && self.waiting() == other.waiting()
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

    /// No words yet: every message is empty while the language's file is on its way (the
    /// widget shows its loading skeleton rather than English).
    pub fn waiting(&self) -> bool {
        self.table.waiting()
    }

    /// `rtl` for right-to-left languages, from the file's own `dir` (read by the build while
    /// the file is on its way, so the wordless skeleton does not flip when it arrives).
    pub fn dir(&self) -> &'static str {
        let rtl = if self.waiting() {
            RIGHT_TO_LEFT.contains(&self.lang.as_str())
        } else {
            self.get(Msg::Dir) == "rtl"
        };
        if rtl {
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
    /// src/i18n.js marks with its language (for its plural rules); `undefined` while the
    /// file is on its way (every message empty).
    pub struct Table(JsValue);

    impl Table {
        pub(super) fn text(&self, msg: Msg, count: Option<u64>) -> String {
            message(&self.0, msg as u32, count.map(|count| count as f64))
        }

        pub(super) fn waiting(&self) -> bool {
            self.0.is_undefined()
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
    /// src/i18n.js), if this page has them; while its file is on its way, no words and the
    /// promise of the file arriving or the wait ending (show the widget again when it
    /// resolves); English when the file could not be had in time.
    pub fn texts(option: Option<&str>, host: Option<&Element>) -> (Rc<Texts>, Option<Promise>) {
        let lang = widget_language(option, host, LANGUAGE_LIST);
        let table = table(&lang);
        match table.dyn_into::<Promise>() {
            Ok(arriving) => (
                Rc::new(Texts {
                    lang,
                    table: Table(JsValue::UNDEFINED),
                }),
                Some(arriving),
            ),
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

/// On the host (the board page's server): every language file is compiled in, and a
/// counting message takes the plural form that ICU4X's CLDR rules pick for the language,
/// the rules the browser's `Intl.PluralRules` applies (tests/i18n.rs compares the two for
/// every language), so the wasm's takeover of a server-rendered board changes no word.
#[cfg(not(target_arch = "wasm32"))]
mod host {
    use std::rc::Rc;
    use std::sync::LazyLock;

    use icu_locale_core::Locale;
    use icu_plurals::{PluralCategory, PluralRules};

    use super::{compiled_table, Msg, Texts, ENGLISH_TAG, LANGUAGES};

    pub struct Table {
        table: &'static serde_json::Value,
        rules: Option<PluralRules>,
    }

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

    /// The cardinal plural rules of a BCP 47 tag (ICU4X's compiled CLDR data), as
    /// `new Intl.PluralRules(tag)` would pick them.
    fn cardinal_rules(tag: &str) -> Option<PluralRules> {
        let locale = Locale::try_from_str(tag).ok()?;
        PluralRules::try_new_cardinal((&locale).into()).ok()
    }

    /// The CLDR plural category (`zero`, `one`, `two`, `few`, `many`, `other`) of `count`
    /// in language `tag`, as `new Intl.PluralRules(tag).select(count)` gives it; `other`
    /// for a tag without rules.
    pub fn plural_category(tag: &str, count: u64) -> &'static str {
        category_name(cardinal_rules(tag).map(|rules| rules.category_for(count)))
    }

    fn category_name(category: Option<PluralCategory>) -> &'static str {
        match category {
            Some(PluralCategory::Zero) => "zero",
            Some(PluralCategory::One) => "one",
            Some(PluralCategory::Two) => "two",
            Some(PluralCategory::Few) => "few",
            Some(PluralCategory::Many) => "many",
            Some(PluralCategory::Other) | None => "other",
        }
    }

    impl Table {
        /// The host has every file at once.
        pub(super) fn waiting(&self) -> bool {
            false
        }

        pub(super) fn text(&self, msg: Msg, count: Option<u64>) -> String {
            // A form of this table's language, or English's (for a key the table lacks)
            // by English's rules, as src/i18n.js picks them.
            let pick = |table: &serde_json::Value, rules: Option<&PluralRules>| {
                let value = table.get(msg.key())?;
                if let Some(text) = value.as_str() {
                    return Some(text.to_string());
                }
                let count = count?;
                let category = category_name(rules.map(|rules| rules.category_for(count)));
                value
                    .get(category)
                    .or_else(|| value.get("other"))
                    .and_then(|form| form.as_str())
                    .map(str::to_string)
            };
            pick(self.table, self.rules.as_ref())
                .or_else(|| {
                    let english = cardinal_rules(ENGLISH_TAG);
                    pick(english_table(), english.as_ref())
                })
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
            table: Table {
                table,
                rules: cardinal_rules(lang),
            },
        })
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use host::{load_now, plural_category};

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

    /// Known CLDR cardinal categories, including the languages with more than one/other.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn plural_categories_follow_cldr() {
        use super::plural_category;
        let cases: &[(&str, &[(u64, &str)])] = &[
            (
                "en",
                &[(0, "other"), (1, "one"), (2, "other"), (21, "other")],
            ),
            ("de", &[(1, "one"), (5, "other")]),
            (
                "fr",
                &[(0, "one"), (1, "one"), (2, "other"), (1_000_000, "many")],
            ),
            ("pt-BR", &[(0, "one"), (1, "one"), (2, "other")]),
            (
                "ru",
                &[
                    (1, "one"),
                    (2, "few"),
                    (4, "few"),
                    (5, "many"),
                    (11, "many"),
                    (12, "many"),
                    (21, "one"),
                    (22, "few"),
                    (25, "many"),
                    (111, "many"),
                ],
            ),
            (
                "pl",
                &[
                    (1, "one"),
                    (2, "few"),
                    (5, "many"),
                    (12, "many"),
                    (21, "many"),
                    (22, "few"),
                    (112, "many"),
                ],
            ),
            (
                "ar",
                &[
                    (0, "zero"),
                    (1, "one"),
                    (2, "two"),
                    (3, "few"),
                    (10, "few"),
                    (11, "many"),
                    (99, "many"),
                    (100, "other"),
                    (102, "other"),
                    (103, "few"),
                    (111, "many"),
                ],
            ),
            ("he", &[(1, "one"), (2, "two"), (3, "other"), (20, "other")]),
            ("ja", &[(1, "other")]),
            ("zh-Hans", &[(1, "other")]),
        ];
        for (lang, counts) in cases {
            for &(count, category) in *counts {
                assert_eq!(plural_category(lang, count), category, "{lang} {count}");
            }
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_counting_message_takes_its_languages_form() {
        use super::{load_now, Msg};
        let range = |lang, count: u64| {
            load_now(lang).plural(Msg::LiveRange, count, &[("range", &count.to_string())])
        };
        assert_eq!(range("ru", 5), "5 результатов");
        assert_eq!(range("ru", 21), "21 результата");
        assert_eq!(range("pl", 3), "3 wyników");
        assert_eq!(range("ar", 4), "4 نتائج");
        assert_eq!(
            load_now("ar").plural(Msg::Points, 2, &[("score", "2")]),
            "نقطتان"
        );
        assert_eq!(
            load_now("pl").plural(Msg::Points, 25, &[("score", "25")]),
            "25 punktów"
        );
    }

    #[test]
    fn the_first_supported_candidate_wins_and_english_is_the_fallback() {
        assert_eq!(resolve(["sv", "", "ja-JP"]), "ja");
        assert_eq!(resolve(["he", "de"]), "he");
        assert_eq!(resolve(["sv", "zh-TW"]), "en");
        assert_eq!(resolve([]), "en");
    }
}
