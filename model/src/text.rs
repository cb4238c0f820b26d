//! How messages show outside text and values: one cut, one description of a JSON value.
//!
//! Invariant: a message never echoes more than [`SHOWN_CHARS`] characters of what a caller
//! sent, so an error body stays small whatever the input.

use std::fmt;

/// How many characters of outside text a message shows.
pub const SHOWN_CHARS: usize = 40;

/// The first [`SHOWN_CHARS`] characters of `text` (all of it when shorter), cut on a
/// character boundary.
pub fn shown_prefix(text: &str) -> &str {
    let end = text
        .char_indices()
        .nth(SHOWN_CHARS)
        .map_or(text.len(), |(at, _)| at);
    text.get(..end).unwrap_or(text)
}

/// Outside text as a message shows it: [`shown_prefix`], with `…` when something was cut.
/// `{}` writes it bare, `{:?}` quoted and escaped as Rust's `{:?}` quotes a string.
#[derive(Clone, Copy)]
pub struct Excerpt<'a>(pub &'a str);

impl Excerpt<'_> {
    fn is_cut(&self) -> bool {
        shown_prefix(self.0).len() < self.0.len()
    }
}

impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(shown_prefix(self.0))?;
        if self.is_cut() {
            f.write_str("…")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_cut() {
            fmt::Debug::fmt(&self.to_string(), f)
        } else {
            fmt::Debug::fmt(self.0, f)
        }
    }
}

/// A JSON value found where another kind was expected, as every message names it
/// (`found the number 1.5`, `found a string "12"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Null,
    Bool(bool),
    /// The number as JSON writes it (`12`, `1.5`, `1e300`).
    Number(String),
    Text(String),
    List,
    Object,
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Found::Null => f.write_str("null"),
            Found::Bool(value) => write!(f, "{value}"),
            Found::Number(number) => write!(f, "the number {}", Excerpt(number)),
            Found::Text(text) => write!(f, "a string {:?}", Excerpt(text)),
            Found::List => f.write_str("a list"),
            Found::Object => f.write_str("an object"),
        }
    }
}

/// A JSON number that is not an integer, written as `serde_json` writes it (shortest
/// round trip; `.0` on whole values; an exponent, `e+16` or `e-6`, from 1e16 and below
/// 1e-5), so a message shows the number as every other message of the API does. A test
/// pins this to the `serde_json` in use.
pub(crate) fn json_float_text(value: f64) -> String {
    let magnitude = value.abs();
    if value.is_finite() && value.fract() == 0.0 && magnitude < 1e16 {
        format!("{value:.1}")
    } else if magnitude != 0.0 && !(1e-5..1e16).contains(&magnitude) {
        let text = format!("{value:e}");
        match text.split_once('e') {
            Some((digits, exponent)) if !exponent.starts_with('-') => {
                format!("{digits}e+{exponent}")
            }
            _ => text,
        }
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_cut_at_forty_characters_on_a_boundary() {
        let long = "ë".repeat(60);
        assert_eq!(Excerpt(&long).to_string().chars().count(), 41);
        assert!(Excerpt(&long).to_string().ends_with('…'));
        assert_eq!(Excerpt("Zoë").to_string(), "Zoë");
        assert_eq!(format!("{:?}", Excerpt("a\"b")), r#""a\"b""#);
        assert_eq!(
            format!("{:?}", Excerpt(&"x".repeat(41))),
            format!("\"{}…\"", "x".repeat(40))
        );
        assert_eq!(shown_prefix(&long), "ë".repeat(40));
    }

    #[test]
    fn values_are_described_for_messages() {
        assert_eq!(Found::Null.to_string(), "null");
        assert_eq!(Found::Bool(true).to_string(), "true");
        assert_eq!(Found::Number("1.5".into()).to_string(), "the number 1.5");
        assert_eq!(Found::Text("12".into()).to_string(), r#"a string "12""#);
        assert_eq!(Found::List.to_string(), "a list");
        assert_eq!(Found::Object.to_string(), "an object");
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        for value in [
            0.0,
            -0.0,
            1.5,
            12.5,
            1000.0,
            1e15,
            9.5e15,
            1e16,
            1.5e16,
            1e21,
            1e300,
            1e-5,
            1.5e-5,
            9.99e-6,
            1e-7,
            0.1,
            -2.25,
            123456.789,
            5e-324,
            1.7976931348623157e308,
            1e-4,
            1.234e-10,
            -1e17,
        ] {
            assert_eq!(
                json_float_text(value),
                serde_json::Number::from_f64(value).unwrap().to_string(),
                "{value:?}"
            );
        }
    }
}
