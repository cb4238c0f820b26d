//! The stylesheet the wasm ships (build.rs minifies src/styles/widget.css into it).
#![cfg(not(target_arch = "wasm32"))]

use space_leaderboard::mount::WIDGET_CSS;

const SOURCE: &str = include_str!("../src/styles/widget.css");

/// Every name after `prefix` in `css` that starts with a letter (custom properties, classes,
/// parts), sorted, once each.
fn names(css: &str, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = css
        .split(prefix)
        .skip(1)
        .map(|rest| {
            rest.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<String>()
        })
        .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The source without its comments.
fn without_comments(css: &str) -> String {
    let mut out = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[test]
fn the_shipped_stylesheet_is_minified() {
    assert!(
        WIDGET_CSS.len() * 10 < SOURCE.len() * 7,
        "{} of {} bytes",
        WIDGET_CSS.len(),
        SOURCE.len()
    );
    assert!(!WIDGET_CSS.contains("/*"));
    assert!(!WIDGET_CSS.contains('\n'));
}

#[test]
fn the_shipped_stylesheet_keeps_every_custom_property_class_and_part() {
    let source = without_comments(SOURCE);
    for prefix in ["--slb-", "--_", ".", "::part("] {
        let (before, after) = (names(&source, prefix), names(WIDGET_CSS, prefix));
        let lost: Vec<&String> = before.iter().filter(|name| !after.contains(name)).collect();
        assert!(lost.is_empty(), "lost {prefix}: {lost:?}");
    }
    assert!(WIDGET_CSS.contains(":host"));
    assert!(names(&source, "--slb-").len() >= 15);
    assert!(names(&source, "--_").len() > 20);
}

/// Right-to-left languages (Arabic, Hebrew) mirror the widget through `dir="rtl"` on its
/// root: every side is a logical one (`padding-inline-start`, `text-align: end`), so no
/// property may name a physical side.
#[test]
fn the_stylesheet_names_no_physical_side() {
    let source = without_comments(SOURCE);
    let physical = [
        "-left",
        "-right",
        "left:",
        "right:",
        "align: left",
        "align: right",
        "float:",
    ];
    for word in physical {
        assert!(
            !source.contains(word),
            "src/styles/widget.css uses {word:?}: write the logical property (inline-start/end)"
        );
    }
}
