//! The language files (src/i18n/) and the components that use them: every language has
//! exactly English's keys, forms and placeholders, and no UI text is written in a component.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use space_leaderboard::i18n::{
    load_now, plural_category, resolve, supported, Msg, LANGUAGES, LANGUAGE_LIST,
};
use space_leaderboard::options::WidgetOptions;

/// The plural categories of `Intl.PluralRules`.
const CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// The languages the issue asks for, by file name.
const REQUIRED: [&str; 14] = [
    "en", "de", "fr", "es", "pt-BR", "it", "pl", "tr", "ru", "ja", "ko", "zh-Hans", "ar", "he",
];

fn i18n_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n")
}

fn table(lang: &str) -> Map<String, Value> {
    let path = i18n_dir().join(format!("{lang}.json"));
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => map,
        other => panic!("{}: not a JSON object: {other:?}", path.display()),
    }
}

/// The `{name}`s of a template.
fn placeholders(template: &str) -> BTreeSet<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|piece| piece.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}

/// Every template of a value: the text, or each plural form.
fn templates(value: &Value) -> Vec<(&str, &str)> {
    match value {
        Value::String(text) => vec![("", text.as_str())],
        Value::Object(forms) => forms
            .iter()
            .map(|(category, form)| (category.as_str(), form.as_str().unwrap_or("")))
            .collect(),
        _ => vec![],
    }
}

#[test]
fn every_required_language_has_a_file_and_the_list_is_the_files() {
    let mut files: Vec<String> = fs::read_dir(i18n_dir())
        .unwrap_or_else(|e| panic!("src/i18n: {e}"))
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    files.sort();
    assert_eq!(LANGUAGES.to_vec(), files);
    for lang in REQUIRED {
        assert!(LANGUAGES.contains(&lang), "no src/i18n/{lang}.json");
    }
}

#[test]
fn every_language_file_has_exactly_the_english_keys() {
    let english = table("en");
    let english_keys: BTreeSet<&str> = english.keys().map(String::as_str).collect();
    let msg_keys: BTreeSet<&str> = Msg::ALL.iter().map(|msg| msg.key()).collect();
    assert_eq!(english_keys, msg_keys);
    for lang in LANGUAGES {
        let own = table(lang);
        let missing: Vec<&String> = english.keys().filter(|k| !own.contains_key(*k)).collect();
        let extra: Vec<&String> = own.keys().filter(|k| !english.contains_key(*k)).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{lang}.json: missing {missing:?}, extra {extra:?}"
        );
    }
}

#[test]
fn every_value_is_a_text_or_plural_forms_with_the_english_placeholders() {
    let english = table("en");
    for lang in LANGUAGES {
        let own = table(lang);
        for (key, english_value) in &english {
            let value = &own[key];
            match (english_value, value) {
                (Value::String(_), Value::String(text)) => {
                    assert!(!text.trim().is_empty(), "{lang}.json: {key} is empty");
                }
                (Value::Object(_), Value::Object(forms)) => {
                    assert!(
                        forms.contains_key("other"),
                        "{lang}.json: {key} lacks `other`"
                    );
                    for (category, form) in forms {
                        assert!(
                            CATEGORIES.contains(&category.as_str()),
                            "{lang}.json: {key} has the form {category:?}, not a plural category"
                        );
                        assert!(
                            form.is_string(),
                            "{lang}.json: {key}.{category} is not text"
                        );
                    }
                }
                _ => panic!("{lang}.json: {key} is {value}, English's is {english_value}"),
            }
            let wanted: BTreeSet<String> = templates(english_value)
                .iter()
                .flat_map(|(_, template)| placeholders(template))
                .collect();
            for (category, template) in templates(value) {
                let found = placeholders(template);
                assert!(
                    found.is_subset(&wanted),
                    "{lang}.json: {key} {category} names {found:?}, English has {wanted:?}"
                );
                // A form for one thing may say "once" instead of the number; every other
                // text carries every value English shows.
                if !matches!(category, "zero" | "one" | "two") {
                    assert_eq!(found, wanted, "{lang}.json: {key} {category}");
                }
            }
        }
    }
}

#[test]
fn the_direction_is_rtl_for_arabic_and_hebrew_only() {
    for lang in LANGUAGES {
        let dir = load_now(lang).dir();
        let rtl = matches!(lang, "ar" | "he");
        assert_eq!(dir, if rtl { "rtl" } else { "ltr" }, "{lang}");
    }
}

#[test]
fn texts_fill_placeholders_and_pick_plural_forms() {
    let german = load_now(resolve(["de-CH"]));
    assert_eq!(german.lang, "de");
    assert_eq!(german.get(Msg::NextPage), "Nächste Seite");
    assert_eq!(
        german.fill(
            Msg::Range,
            &[("from", "1"), ("to", "10"), ("total", "5.000")]
        ),
        "1–10 von 5.000"
    );
    let english = load_now("en");
    assert_eq!(english.plural(Msg::Points, 1, &[("score", "1")]), "1 point");
    assert_eq!(
        english.plural(Msg::Points, 2, &[("score", "2")]),
        "2 points"
    );
    // A placeholder no argument names stays visible rather than vanishing.
    assert_eq!(english.fill(Msg::PageNumber, &[]), "Page {page}");
}

/// The component sources, for the literal-text lint below.
fn component_sources() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/components");
    let mut sources: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let text = fs::read_to_string(&path).ok()?;
            Some((path.file_name()?.to_string_lossy().into_owned(), text))
        })
        .collect();
    sources.sort();
    sources
}

/// The string literals of a line of Rust (no escapes needed for this lint: UI text has none).
fn literals(line: &str) -> Vec<&str> {
    line.split('"').skip(1).step_by(2).collect()
}

/// A literal is UI text when it holds a word: two letters in a row (`"Rank"`, `"Show"`),
/// not a symbol (`"‹"`, `" · "`, `"×"`), a class list or an attribute token.
fn looks_like_text(literal: &str) -> bool {
    let mut previous_letter = false;
    for c in literal.chars() {
        let letter = c.is_alphabetic();
        if letter && previous_letter {
            return true;
        }
        previous_letter = letter;
    }
    false
}

/// Literal UI text in a component: a text node (`{ "Rank" }`) or a text-bearing attribute
/// (`aria-label`, `placeholder`, `title`, `alt`, a facet `label`). Everything a reader sees
/// or hears comes from src/i18n/en.json through `Texts`.
#[test]
fn no_component_writes_ui_text_outside_the_language_files() {
    let attributes = [
        "aria-label=\"",
        "placeholder=\"",
        "title=\"",
        "alt=\"",
        "label: \"",
        "all_label: \"",
        "aria-roledescription=\"",
    ];
    let mut found = Vec::new();
    for (file, source) in component_sources() {
        for (number, line) in source.lines().enumerate() {
            let code = line.trim_start();
            if code.starts_with("//") {
                continue;
            }
            // A text node follows a tag or another node (`<th>{ "Rank" }`), not an `if`
            // or `else` choosing a class.
            let pieces: Vec<&str> = code.split("{ \"").collect();
            let text_nodes = pieces.windows(2).filter_map(|pair| {
                let before = pair.first()?.trim_end();
                let node = before.is_empty() || before.ends_with('>') || before.ends_with('}');
                let (literal, _) = pair.get(1)?.split_once('"')?;
                node.then_some(literal)
            });
            let attribute_values = attributes.iter().flat_map(|attribute| {
                code.split(attribute)
                    .skip(1)
                    .filter_map(|rest| rest.split_once('"').map(|(literal, _)| literal))
            });
            for literal in text_nodes.chain(attribute_values) {
                if looks_like_text(literal) {
                    found.push(format!("src/components/{file}:{}: {literal:?}", number + 1));
                }
            }
            // `format!("Page {n}")`-style text built in a component (class lists are
            // lower-case words; a sentence starts with a capital).
            if code.contains("format!(") {
                for literal in literals(code) {
                    let sentence = literal.split(['{', '}']).any(|part| {
                        part.split(' ').any(|word| {
                            let mut chars = word.chars();
                            chars.next().is_some_and(char::is_uppercase)
                                && chars.next().is_some_and(char::is_lowercase)
                        })
                    });
                    if sentence {
                        found.push(format!("src/components/{file}:{}: {literal:?}", number + 1));
                    }
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "UI text written in components (put it in src/i18n/en.json and use Texts):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_lint_finds_literal_text() {
    assert!(looks_like_text("Rank"));
    assert!(looks_like_text("Retry now"));
    assert!(!looks_like_text("‹"));
    assert!(!looks_like_text(" · "));
    assert!(!looks_like_text("×"));
    assert!(looks_like_text("次のページ"));
}

/// The browser matches tags in src/i18n.js, the board page's server in src/i18n.rs: both
/// give every tag the same language file (node runs the JavaScript one).
#[test]
fn the_browser_and_the_server_match_tags_alike() {
    let tags = [
        "de",
        "DE-at",
        "de_CH",
        "pt",
        "pt-PT",
        "pt-br",
        "PT_BR",
        "zh",
        "zh-CN",
        "zh-Hans-SG",
        "zh-TW",
        "zh-Hant",
        "zh-hk",
        "zh-MO",
        "en-GB",
        "en",
        "sv-SE",
        "",
        " fr ",
        "ar-EG",
        "he-IL",
        "iw",
        "ja-JP",
        "ko-KR",
        "x-klingon",
        "-",
        "de-",
        "tr-TR",
        "ru-RU",
        "pl",
        "es-419",
    ];
    let script = format!(
        "import {{ supported }} from {:?};\n\
         const tags = {};\n\
         console.log(JSON.stringify(tags.map((tag) => supported(tag, {LANGUAGE_LIST:?}) ?? null)));",
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("src/i18n.js")
            .display()
            .to_string(),
        serde_json::to_string(&tags).unwrap(),
    );
    let browser: Vec<Option<String>> =
        serde_json::from_value(node_json(&["--input-type=module", "-e", &script])).unwrap();
    let server: Vec<Option<String>> = tags
        .iter()
        .map(|tag| supported(tag).map(str::to_string))
        .collect();
    assert_eq!(browser, server, "tags {tags:?}");
}

/// A bad option's message is in the reader's language, naming the option and the value.
#[test]
fn option_errors_speak_the_readers_language() {
    let error = WidgetOptions::from_pairs([("data-page-size", "lots")]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid option pageSize (data-page-size): expected a whole number from 1 to 50, got \"lots\""
    );
    assert_eq!(
        error.message(&load_now("de")),
        "Ungültige Option pageSize (data-page-size): erwartet: eine ganze Zahl von 1 bis 50, \
         erhalten: „lots“"
    );
    let error = WidgetOptions::from_pairs([("title", "x".repeat(201))]).unwrap_err();
    assert_eq!(
        error.message(&load_now("fr")),
        "Option title non valide (data-title) : au plus 200 caractères"
    );
    let error = WidgetOptions::from_pairs([("theme", "neon")]).unwrap_err();
    assert_eq!(
        error.message(&load_now("ja")),
        "オプション theme (data-theme) が無効です: light、dark、auto のいずれかが必要ですが「neon」が指定されました"
    );
}

/// The counts the plural comparison below tries: every count to 1,200 and some large ones
/// (French's `many` starts at a million).
fn plural_counts() -> Vec<u64> {
    (0..=1200)
        .chain([
            10_000,
            100_000,
            1_000_000,
            1_000_001,
            2_000_000,
            1_000_000_000,
        ])
        .collect()
}

/// The browser picks plural forms with `Intl.PluralRules` (src/i18n.js), the board page's
/// server with ICU4X (src/i18n.rs): both give every count the same category in every
/// language (node's `Intl` is V8's over ICU, as Chromium's; tests/e2e/i18n-first-text.test.mjs
/// checks Chromium's against node's).
#[test]
fn the_browser_and_the_server_pick_the_same_plural_categories() {
    let counts = plural_counts();
    let script = format!(
        "const counts = {};\n\
         const languages = {LANGUAGE_LIST:?}.split(',');\n\
         console.log(JSON.stringify(languages.map((lang) => \
         counts.map((count) => new Intl.PluralRules(lang).select(count)))));",
        serde_json::to_string(&counts).unwrap(),
    );
    let browser: Vec<Vec<String>> = serde_json::from_value(node_json(&["-e", &script])).unwrap();
    assert_eq!(browser.len(), LANGUAGES.len());
    for (lang, browser) in LANGUAGES.iter().zip(browser) {
        for (count, browser) in counts.iter().zip(browser) {
            assert_eq!(
                plural_category(lang, *count),
                browser,
                "{lang}: the category of {count}"
            );
        }
    }
}

/// What node prints as JSON when run with `args` (JavaScript's side of a comparison).
fn node_json(args: &[&str]) -> serde_json::Value {
    let output = std::process::Command::new("node")
        .args(args)
        .output()
        .expect("node runs (the e2e tests need it too)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
