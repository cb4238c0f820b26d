//! The embed's copies of the options table (`OptionName::ALL` and its specs in
//! src/options.rs), generated here:
//!
//! - `www/src/options.js`: the option names the loader and the ESM entry know before the wasm
//!   has loaded (script-tag options, the custom element's observed attributes);
//! - the generated part of `www/src/index.d.ts`: the option types;
//! - the generated part of `www/README.md`: the options table.
//!
//! Each test fails while a checked-in file differs from what the table gives. After changing
//! an option, rewrite them with
//! `SLB_WRITE_GENERATED=1 cargo test -p space-leaderboard --test generated`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use space_leaderboard::options::{
    kebab_case, OptionName, OptionSpec, ValueKind, FALSE_WORDS, TRUE_WORDS,
};

const HEADER: &str = "generated from src/options.rs by tests/generated.rs \
                      (SLB_WRITE_GENERATED=1 cargo test -p space-leaderboard --test generated)";

fn specs() -> Vec<OptionSpec> {
    OptionName::ALL.iter().map(|option| option.spec()).collect()
}

fn repo_file(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Compares `wanted` with the checked-in file, or writes it when asked to.
fn check_or_write(path: &str, wanted: &str) {
    let file = repo_file(path);
    let current = fs::read_to_string(&file).unwrap_or_default();
    if current == wanted {
        return;
    }
    if std::env::var_os("SLB_WRITE_GENERATED").is_some() {
        fs::write(&file, wanted).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
        return;
    }
    let line = current
        .lines()
        .zip(wanted.lines())
        .position(|(have, want)| have != want)
        .unwrap_or_else(|| current.lines().count().min(wanted.lines().count()));
    panic!(
        "{path} differs from src/options.rs (first at line {}): run \
         SLB_WRITE_GENERATED=1 cargo test -p space-leaderboard --test generated",
        line + 1
    );
}

/// `current` with the text between the two marker lines replaced by `generated`.
fn replace_between(path: &str, current: &str, begin: &str, end: &str, generated: &str) -> String {
    let start = current
        .find(begin)
        .unwrap_or_else(|| panic!("{path} has no line `{begin}`"));
    let body_start = start + begin.len();
    let stop = current[body_start..]
        .find(end)
        .map(|at| body_start + at)
        .unwrap_or_else(|| panic!("{path} has no line `{end}` after `{begin}`"));
    format!("{}{generated}{}", &current[..body_start], &current[stop..])
}

/// `www/src/options.js`, whole.
fn options_module() -> String {
    let names: Vec<&str> = OptionName::ALL.iter().map(|o| o.as_str()).collect();
    let listed: String = names.iter().map(|name| format!("  '{name}',\n")).collect();
    format!(
        "// {HEADER}.\n\n\
         /** Every option of the widget, camelCase; attributes use kebab-case (`page-size`). */\n\
         export const OPTION_NAMES = Object.freeze([\n{listed}]);\n"
    )
}

fn doc_line(indent: &str, spec: &OptionSpec) -> String {
    format!("{indent}/** {} Default: {}. */\n", spec.doc, spec.default)
}

/// The option types of `www/src/index.d.ts`.
fn declarations() -> String {
    let flag_words: Vec<&str> = TRUE_WORDS
        .iter()
        .chain(FALSE_WORDS.iter())
        .copied()
        .collect();
    let mut out = format!(
        "\n/** A boolean option: `true`/`false`, or as an attribute {} (present and empty = true). */\n\
         type Flag = boolean | {};\n",
        flag_words
            .iter()
            .map(|word| format!("`\"{word}\"`"))
            .collect::<Vec<_>>()
            .join(", "),
        flag_words
            .iter()
            .map(|word| format!("'{word}'"))
            .collect::<Vec<_>>()
            .join(" | ")
    );
    for spec in specs() {
        if let ValueKind::OneOf { type_name, values } = &spec.kind {
            out.push('\n');
            out.push_str(&doc_line("", &spec));
            let union: Vec<String> = values.iter().map(|value| format!("'{value}'")).collect();
            out.push_str(&format!(
                "export type {type_name} = {};\n",
                union.join(" | ")
            ));
        }
    }
    out.push_str(
        "\n/** Every option of the widget. All are optional; values may also be strings, as \
         attributes give them. */\nexport interface LeaderboardOptions {\n",
    );
    for spec in specs() {
        let type_text = match &spec.kind {
            ValueKind::Text => "string".to_string(),
            ValueKind::Flag => "Flag".to_string(),
            ValueKind::FlagOrText => "Flag | string".to_string(),
            ValueKind::Number => "number | string".to_string(),
            ValueKind::OneOf { type_name, .. } => type_name.to_string(),
        };
        out.push_str(&doc_line("  ", &spec));
        out.push_str(&format!("  {}?: {type_text};\n", spec.option.as_str()));
    }
    out.push_str("}\n");
    out
}

/// The options table of `www/README.md`.
fn readme_table() -> String {
    let mut out = String::from("\n| JS | attribute | default | meaning |\n|---|---|---|---|\n");
    for spec in specs() {
        let name = spec.option.as_str();
        out.push_str(&format!(
            "| `{name}` | `data-{}` | {} | {} |\n",
            kebab_case(name),
            spec.default,
            spec.doc.trim_end_matches('.')
        ));
    }
    out
}

#[test]
fn the_embed_option_names_are_the_options_table() {
    check_or_write("www/src/options.js", &options_module());
}

#[test]
fn the_typescript_option_types_are_the_options_table() {
    let path = "www/src/index.d.ts";
    let current = fs::read_to_string(repo_file(path)).unwrap_or_default();
    let begin = format!("// BEGIN {HEADER}");
    let wanted = replace_between(path, &current, &begin, "// END generated", &declarations());
    check_or_write(path, &wanted);
}

#[test]
fn the_readme_options_table_is_the_options_table() {
    let path = "www/README.md";
    let current = fs::read_to_string(repo_file(path)).unwrap_or_default();
    let begin = format!("<!-- BEGIN {HEADER} -->");
    let wanted = replace_between(
        path,
        &current,
        &begin,
        "<!-- END generated -->",
        &readme_table(),
    );
    check_or_write(path, &wanted);
}

/// The table and the parser agree: every option in the table is parsed (a value changes the
/// result, a bad one is refused naming the option), and names are unique.
#[test]
fn every_option_in_the_table_is_parsed_by_from_pairs() {
    use space_leaderboard::WidgetOptions;
    let defaults = WidgetOptions::default();
    for spec in specs() {
        let name = spec.option.as_str();
        assert_eq!(OptionName::from_name(name), Some(spec.option));
        let candidates: Vec<&str> = match (name, &spec.kind) {
            ("endpoint", _) => vec!["/elsewhere"],
            ("locale", _) => vec!["de"],
            ("lockPeriod", _) => vec!["week"],
            (_, ValueKind::Text | ValueKind::FlagOrText) => vec!["Pinwheel"],
            (_, ValueKind::Flag) => vec!["true", "false"],
            (_, ValueKind::Number) => vec!["7"],
            (_, ValueKind::OneOf { values, .. }) => values.clone(),
        };
        assert!(
            candidates.iter().any(|value| {
                WidgetOptions::from_pairs([(name, value)]).is_ok_and(|parsed| parsed != defaults)
            }),
            "no value of {name} ({candidates:?}) changed the options"
        );
        let refused = WidgetOptions::from_pairs([(name, "\u{1}".repeat(300))])
            .expect_err("300 control characters are no option value");
        assert_eq!(refused.option, name);
    }
    let mut names: Vec<&str> = OptionName::ALL.iter().map(|o| o.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), OptionName::ALL.len());
}
