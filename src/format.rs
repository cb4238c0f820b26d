//! Locale-aware number formatting (the browser's `Intl.NumberFormat` through js-sys) and
//! small text helpers for names and avatars.

use std::rc::Rc;

/// Formats whole numbers for one locale. Built once per widget (building an
/// `Intl.NumberFormat` is the slow part) and shared by every cell.
#[derive(Clone)]
pub struct NumberFormatter {
    locale: Option<String>,
    /// The `format` function of an `Intl.NumberFormat`; `None` when the browser has no Intl
    /// (or on non-wasm targets), in which case digits are grouped with commas.
    #[cfg(target_arch = "wasm32")]
    format: Option<js_sys::Function>,
}

impl PartialEq for NumberFormatter {
    fn eq(&self, other: &Self) -> bool {
        self.locale == other.locale
    }
}

impl std::fmt::Debug for NumberFormatter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NumberFormatter({:?})", self.locale)
    }
}

impl NumberFormatter {
    /// A formatter for `locale` (a BCP 47 tag), or for the reader's own locale when `None`.
    /// A tag the browser refuses falls back to the reader's locale.
    pub fn new(locale: Option<&str>) -> Rc<Self> {
        Rc::new(NumberFormatter {
            locale: locale.map(str::to_string),
            #[cfg(target_arch = "wasm32")]
            format: intl::number_format(locale).or_else(|| intl::number_format(None)),
        })
    }

    pub fn format_i64(&self, value: i64) -> String {
        #[cfg(target_arch = "wasm32")]
        if let Some(text) = self.call(wasm_bindgen::JsValue::from(value)) {
            return text;
        }
        let grouped = group_digits(value.unsigned_abs());
        if value < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    }

    pub fn format_u64(&self, value: u64) -> String {
        #[cfg(target_arch = "wasm32")]
        if let Some(text) = self.call(wasm_bindgen::JsValue::from(value)) {
            return text;
        }
        group_digits(value)
    }

    /// Values go to Intl as BigInt, so 64-bit scores keep every digit.
    #[cfg(target_arch = "wasm32")]
    fn call(&self, value: wasm_bindgen::JsValue) -> Option<String> {
        let format = self.format.as_ref()?;
        format
            .call1(&wasm_bindgen::JsValue::UNDEFINED, &value)
            .ok()?
            .as_string()
    }
}

#[cfg(target_arch = "wasm32")]
mod intl {
    use js_sys::{Array, Function, Reflect};
    use wasm_bindgen::{JsCast, JsValue};

    /// `new Intl.NumberFormat(locale).format`, with every step that can throw caught
    /// (an exception crossing into wasm would leave the widget in a broken state).
    pub fn number_format(locale: Option<&str>) -> Option<Function> {
        let intl = Reflect::get(&js_sys::global(), &JsValue::from_str("Intl")).ok()?;
        let constructor: Function = Reflect::get(&intl, &JsValue::from_str("NumberFormat"))
            .ok()?
            .dyn_into()
            .ok()?;
        let locales = match locale {
            Some(tag) => Array::of1(&JsValue::from_str(tag)),
            None => Array::new(),
        };
        let formatter = Reflect::construct(&constructor, &Array::of1(&locales)).ok()?;
        Reflect::get(&formatter, &JsValue::from_str("format"))
            .ok()?
            .dyn_into()
            .ok()
    }
}

/// `1234567` becomes `1,234,567` (the fallback when Intl is unavailable).
pub fn group_digits(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// Up to two initials for an avatar placeholder: "Ada Lovelace" gives "AL", "zoë" gives "Z";
/// names without letters or digits give "?".
pub fn initials(name: &str) -> String {
    let letters: String = name
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-' || c == '.')
        .filter_map(|word| word.chars().find(|c| c.is_alphanumeric()))
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".to_string()
    } else {
        letters
    }
}

/// Number of placeholder colours (`.avatar-c0` … `.avatar-c7` in the stylesheet).
pub const PLACEHOLDER_COLOURS: u32 = 8;

/// A stable colour slot for a name, so a player's placeholder keeps its colour.
pub fn placeholder_colour(name: &str) -> u32 {
    let hash = name.bytes().fold(2_166_136_261_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(16_777_619)
    });
    hash % PLACEHOLDER_COLOURS
}

/// Shortens untrusted text for display (names can be arbitrarily long).
pub fn clip(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}
