//! Minifies the widget's stylesheet (src/styles/widget.css) into `$OUT_DIR/widget.min.css`,
//! which src/mount.rs compiles into the wasm: comments and layout whitespace are bytes every
//! embed downloads (about 40% of the file).
//!
//! Conservative on purpose: it removes comments, collapses whitespace, and drops it only
//! next to `{ } ; ,` and after `:`, where CSS never gives it meaning; strings are copied as
//! they are. A self-check then compares the output with the input less all whitespace and
//! comments; if they differ the raw stylesheet is used and cargo prints a warning, so a
//! stylesheet this minifier does not understand still ships correctly.

use std::env;
use std::fs;
use std::path::Path;

const SOURCE: &str = "src/styles/widget.css";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed=build.rs");
    let css = match fs::read_to_string(SOURCE) {
        Ok(css) => css,
        Err(error) => {
            println!("cargo:warning=cannot read {SOURCE}: {error}");
            std::process::exit(1);
        }
    };
    let minified = minify(&css);
    let shipped = if same_tokens(&css, &minified) {
        shorten_private_properties(&minified)
    } else {
        println!("cargo:warning={SOURCE}: the minified stylesheet failed its self-check; shipping it unminified");
        css
    };
    let Some(out_dir) = env::var_os("OUT_DIR") else {
        println!("cargo:warning=OUT_DIR is not set");
        std::process::exit(1);
    };
    let target = Path::new(&out_dir).join("widget.min.css");
    if let Err(error) = fs::write(&target, shipped) {
        println!("cargo:warning=cannot write {}: {error}", target.display());
        std::process::exit(1);
    }
}

/// Where whitespace may be dropped on both sides.
fn is_tight(c: char) -> bool {
    matches!(c, '{' | '}' | ';' | ',')
}

pub fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    // Whitespace seen since the last kept character, written only if still needed.
    let mut pending_space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut previous = ' ';
                for c in chars.by_ref() {
                    if previous == '*' && c == '/' {
                        break;
                    }
                    previous = c;
                }
                // A comment separates tokens like whitespace does.
                pending_space = true;
            }
            c if c.is_whitespace() => pending_space = true,
            '"' | '\'' => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
                let mut escaped = false;
                for inner in chars.by_ref() {
                    out.push(inner);
                    if escaped {
                        escaped = false;
                    } else if inner == '\\' {
                        escaped = true;
                    } else if inner == c {
                        break;
                    }
                }
            }
            '}' => {
                pending_space = false;
                if out.ends_with(';') {
                    out.pop();
                }
                out.push('}');
            }
            c => {
                flush_space(&mut out, &mut pending_space, c);
                out.push(c);
            }
        }
    }
    out
}

/// Writes one space before `next` unless CSS ignores whitespace there.
fn flush_space(out: &mut String, pending_space: &mut bool, next: char) {
    if std::mem::take(pending_space) {
        let after = out.chars().next_back();
        let droppable = match after {
            None => true,
            Some(previous) => is_tight(previous) || previous == ':' || is_tight(next),
        };
        if !droppable {
            out.push(' ');
        }
    }
}

/// Renames the stylesheet's private custom properties (`--_muted`, `--_surface-hover`, ..:
/// the `--_` prefix marks them as ours, never set by hosts, never read by the Rust code) to
/// `--_a`, `--_b`, .. (the most used first): their long names were 0.8 kB raw, 80 B of gzip.
/// The public `--slb-*` properties keep their names. Strings are copied as they are.
pub fn shorten_private_properties(css: &str) -> String {
    const PREFIX: &str = "--_";
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    // Pass 1: every private name with its number of uses, outside strings.
    let mut names: Vec<(&str, usize)> = Vec::new();
    for_each_private_name(css, PREFIX, is_name_char, |name| {
        match names.iter_mut().find(|(known, _)| *known == name) {
            Some((_, uses)) => *uses += 1,
            None => names.push((name, 1)),
        }
    });
    // Most used first; ties keep their first appearance (the sort is stable).
    names.sort_by_key(|(_, uses)| std::cmp::Reverse(*uses));
    let short_name = |index: usize| {
        let mut name = String::from(PREFIX);
        let mut rest = index;
        loop {
            let offset = u8::try_from(rest % 26).unwrap_or_default();
            name.push(char::from(b'a' + offset));
            rest /= 26;
            if rest == 0 {
                break name;
            }
            rest -= 1;
        }
    };
    // Pass 2: copy, replacing each name.
    let mut out = String::with_capacity(css.len());
    let mut copied_to = 0;
    for_each_private_name(css, PREFIX, is_name_char, |name| {
        let start = name.as_ptr() as usize - css.as_ptr() as usize;
        out.push_str(&css[copied_to..start]);
        let index = names
            .iter()
            .position(|(known, _)| *known == name)
            .unwrap_or(0);
        out.push_str(&short_name(index));
        copied_to = start + name.len();
    });
    out.push_str(&css[copied_to..]);
    out
}

/// Calls `found` with every `--_name` outside quoted strings, in order.
fn for_each_private_name<'a>(
    css: &'a str,
    prefix: &str,
    is_name_char: impl Fn(char) -> bool,
    mut found: impl FnMut(&'a str),
) {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut chars = css.char_indices();
    while let Some((at, c)) = chars.next() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        if c == '"' || c == '\'' {
            quote = Some(c);
        } else if css[at..].starts_with(prefix) {
            let end = css[at + prefix.len()..]
                .find(|c: char| !is_name_char(c))
                .map_or(css.len(), |len| at + prefix.len() + len);
            found(&css[at..end]);
            // Skip the rest of the name.
            for _ in css[at + 1..end].chars() {
                chars.next();
            }
        }
    }
}

/// True when `minified` is `original` less comments, whitespace and `;` before `}`, i.e.
/// every other character kept, in order. Strings are compared as they are.
pub fn same_tokens(original: &str, minified: &str) -> bool {
    let strip = |text: &str, drop_comments: bool| -> String {
        let text = if drop_comments {
            without_comments(text)
        } else {
            text.to_string()
        };
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        compact.replace(";}", "}")
    };
    strip(original, true) == strip(minified, false)
}

fn without_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}
