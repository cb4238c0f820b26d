//! Minifies the widget's stylesheet (src/styles/widget.css) with lightningcss into
//! `$OUT_DIR/widget.min.css`, which src/mount.rs compiles into the wasm: every embed downloads
//! it, and its comments and layout are bytes nobody reads. A stylesheet lightningcss cannot
//! parse fails the build (no error recovery: nothing is dropped silently).
//!
//! It also writes `$OUT_DIR/messages.rs` from the language files of src/i18n/ (src/i18n.rs
//! includes it): the `Msg` enum with one variant per key of `en.json` (the one English
//! source: a key the components name that English lacks does not compile), the English
//! table as minified JSON (compiled into the wasm), and the list of languages, one per file.

use std::env;
use std::fs;
use std::path::Path;

use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};

const SOURCE: &str = "src/styles/widget.css";
/// The language files: `en.json` is the source of every key, one file per other language.
const I18N_DIR: &str = "src/i18n";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed={I18N_DIR}");
    println!("cargo:rerun-if-changed=build.rs");
    if let Err(error) = write_minified().and_then(|()| write_messages()) {
        println!("cargo:warning={error}");
        std::process::exit(1);
    }
}

fn write_minified() -> Result<(), String> {
    let css =
        fs::read_to_string(SOURCE).map_err(|error| format!("cannot read {SOURCE}: {error}"))?;
    let mut sheet = StyleSheet::parse(&css, ParserOptions::default())
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    sheet
        .minify(MinifyOptions::default())
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    let minified = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .map_err(|error| format!("{SOURCE}: {error}"))?;
    let out_dir = env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let target = Path::new(&out_dir).join("widget.min.css");
    fs::write(&target, minified.code)
        .map_err(|error| format!("cannot write {}: {error}", target.display()))
}

/// `noScoresFilter` becomes `NoScoresFilter`.
fn variant_name(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn write_messages() -> Result<(), String> {
    let english_path = Path::new(I18N_DIR).join("en.json");
    let english_text = fs::read_to_string(&english_path)
        .map_err(|error| format!("cannot read {}: {error}", english_path.display()))?;
    let english: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&english_text)
            .map_err(|error| format!("{}: {error}", english_path.display()))?;
    let mut languages = Vec::new();
    for entry in fs::read_dir(I18N_DIR).map_err(|error| format!("{I18N_DIR}: {error}"))? {
        let path = entry
            .map_err(|error| format!("{I18N_DIR}: {error}"))?
            .path();
        if path.extension().is_some_and(|ext| ext == "json") {
            if let Some(stem) = path.file_stem().and_then(|stem| stem.to_str()) {
                languages.push(stem.to_string());
            }
        }
    }
    languages.sort();
    // The languages whose file says `"dir": "rtl"`: a widget lays them out right to left
    // before their file has arrived (its wordless skeleton must not flip when it does).
    let mut right_to_left = Vec::new();
    for lang in &languages {
        let path = Path::new(I18N_DIR).join(format!("{lang}.json"));
        let text = fs::read_to_string(&path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        let file: serde_json::Value =
            serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
        if file.get("dir").and_then(serde_json::Value::as_str) == Some("rtl") {
            right_to_left.push(lang.clone());
        }
    }
    let mut out = String::new();
    out.push_str("/// Every message of src/i18n/en.json, one variant per key.\n");
    out.push_str("#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub enum Msg {\n");
    for key in english.keys() {
        out.push_str(&format!("    {},\n", variant_name(key)));
    }
    out.push_str("}\n\nimpl Msg {\n");
    out.push_str(&format!(
        "    pub const ALL: [Msg; {}] = [\n",
        english.len()
    ));
    for key in english.keys() {
        out.push_str(&format!("        Msg::{},\n", variant_name(key)));
    }
    out.push_str("    ];\n\n    /// The message's key in the language files.\n");
    out.push_str("    pub fn key(self) -> &'static str {\n        match self {\n");
    for key in english.keys() {
        out.push_str(&format!(
            "            Msg::{} => {key:?},\n",
            variant_name(key)
        ));
    }
    out.push_str("        }\n    }\n}\n\n");
    // The values only, in `Msg` order: the wasm names each key once (`Msg::key`).
    let values: Vec<&serde_json::Value> = english.values().collect();
    let minified = serde_json::to_string(&values).map_err(|error| error.to_string())?;
    out.push_str(
        "/// The values of src/i18n/en.json as a JSON array in `Msg` order: the English\n",
    );
    out.push_str("/// table every reader has (the host reads the file itself).\n");
    out.push_str(&format!("pub const ENGLISH: &str = {minified:?};\n\n"));
    out.push_str("/// Every language with a file in src/i18n/ (its file name), sorted.\n");
    out.push_str(&format!(
        "pub const LANGUAGES: [&str; {}] = {languages:?};\n\n",
        languages.len()
    ));
    out.push_str("/// The languages whose file's `dir` is `rtl`.\n");
    out.push_str(&format!(
        "pub const RIGHT_TO_LEFT: [&str; {}] = {right_to_left:?};\n\n",
        right_to_left.len()
    ));
    out.push_str("/// The same, comma-separated (what src/i18n.js matches tags against).\n");
    out.push_str(&format!(
        "pub const LANGUAGE_LIST: &str = {:?};\n\n",
        languages.join(",")
    ));
    out.push_str(&format!(
        "#[cfg(not(target_arch = \"wasm32\"))]\npub const ENGLISH_FILE: &str = include_str!({:?});\n\n",
        fs::canonicalize(&english_path)
            .map_err(|error| format!("{}: {error}", english_path.display()))?
            .display()
            .to_string()
    ));
    out.push_str(
        "/// A language's file, compiled in on the host only (the board page's server).\n",
    );
    out.push_str("#[cfg(not(target_arch = \"wasm32\"))]\n");
    out.push_str("pub fn compiled_table(lang: &str) -> Option<&'static str> {\n    match lang {\n");
    let dir = fs::canonicalize(I18N_DIR).map_err(|error| format!("{I18N_DIR}: {error}"))?;
    for lang in &languages {
        let path = dir.join(format!("{lang}.json"));
        out.push_str(&format!(
            "        {lang:?} => Some(include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("        _ => None,\n    }\n}\n");
    let out_dir = env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let target = Path::new(&out_dir).join("messages.rs");
    fs::write(&target, out).map_err(|error| format!("cannot write {}: {error}", target.display()))
}
