//! Locale-aware number formatting (the browser's `Intl.NumberFormat` through js-sys; on the
//! host, for the board page's server, ICU4X's `DecimalFormatter` over the same CLDR data, so
//! the wasm's takeover of a server-rendered board changes no number) and small text helpers
//! for names and avatars.

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
    /// On the host: the locale's CLDR grouping; `None` for a tag ICU4X cannot read.
    #[cfg(not(target_arch = "wasm32"))]
    format: Option<Rc<icu_decimal::DecimalFormatter>>,
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
            #[cfg(not(target_arch = "wasm32"))]
            format: locale.and_then(host::decimal_formatter),
        })
    }

    pub fn format_i64(&self, value: i64) -> String {
        #[cfg(target_arch = "wasm32")]
        if let Some(text) = self.call(wasm_bindgen::JsValue::from(value)) {
            return text;
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(format) = &self.format {
            return format.format_to_string(&value.into());
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
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(format) = &self.format {
            return format.format_to_string(&value.into());
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
    use js_sys::{Array, Function};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `Intl.NumberFormat`, bound with `catch`: a locale tag the browser refuses throws
        /// (an exception crossing into wasm would leave the widget in a broken state).
        #[wasm_bindgen(js_namespace = Intl)]
        type NumberFormat;

        #[wasm_bindgen(catch, constructor, js_namespace = Intl)]
        fn new(locales: &Array) -> Result<NumberFormat, JsValue>;

        #[wasm_bindgen(method, getter)]
        fn format(this: &NumberFormat) -> Function;
    }

    /// `new Intl.NumberFormat(locale).format`.
    pub fn number_format(locale: Option<&str>) -> Option<Function> {
        let locales = match locale {
            Some(tag) => Array::of1(&JsValue::from_str(tag)),
            None => Array::new(),
        };
        NumberFormat::new(&locales)
            .ok()
            .map(|formatter| formatter.format())
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    use std::rc::Rc;

    use icu_decimal::DecimalFormatter;
    use icu_locale_core::Locale;

    /// The formatter of a BCP 47 tag, as `Intl.NumberFormat` would pick it.
    pub fn decimal_formatter(tag: &str) -> Option<Rc<DecimalFormatter>> {
        let locale = Locale::try_from_str(tag).ok()?;
        DecimalFormatter::try_new((&locale).into(), Default::default())
            .ok()
            .map(Rc::new)
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
    // Pushed, not collected (size rule "no generic string building").
    let mut letters = String::new();
    for letter in name
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-' || c == '.')
        .filter_map(|word| word.chars().find(|&c| unicode::is_alphanumeric(c)))
        .take(2)
    {
        letters.push(letter);
    }
    if letters.is_empty() {
        "?".to_string()
    } else {
        unicode::to_uppercase(&letters)
    }
}

/// Letter classes and case mapping beyond ASCII. In the browser they come from JS, the same
/// Unicode data as `char::is_alphanumeric` and `char::to_uppercase` (size rule "no Unicode
/// tables").
#[cfg(target_arch = "wasm32")]
mod unicode {
    use js_sys::{Array, Function, JsString, Reflect, RegExp};
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        /// `/^[\p{Alphabetic}\p{N}]$/u`: Rust's `char::is_alphanumeric`. `None` where the
        /// browser lacks Unicode property escapes (then only ASCII counts).
        static ALPHANUMERIC: Option<RegExp> = {
            let constructor = Reflect::get(&js_sys::global(), &JsValue::from_str("RegExp"))
                .ok()
                .and_then(|constructor| constructor.dyn_into::<Function>().ok());
            let arguments = Array::of2(
                &JsValue::from_str(r"^[\p{Alphabetic}\p{N}]$"),
                &JsValue::from_str("u"),
            );
            constructor
                .and_then(|constructor| Reflect::construct(&constructor, &arguments).ok())
                .and_then(|regex| regex.dyn_into::<RegExp>().ok())
        };
    }

    pub fn is_alphanumeric(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        let mut buffer = [0; 4];
        let text: &str = c.encode_utf8(&mut buffer);
        ALPHANUMERIC.with(|regex| regex.as_ref().is_some_and(|regex| regex.test(text)))
    }

    pub fn to_uppercase(text: &str) -> String {
        JsString::from(text).to_upper_case().into()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod unicode {
    pub fn is_alphanumeric(c: char) -> bool {
        c.is_alphanumeric()
    }

    pub fn to_uppercase(text: &str) -> String {
        text.to_uppercase()
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

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    use super::initials;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn initials_use_unicode_letters_digits_and_case_beyond_ascii() {
        assert_eq!(initials("élan vital"), "ÉV");
        assert_eq!(initials("zoë"), "Z");
        assert_eq!(initials("straße_ölund"), "SÖ");
        assert_eq!(initials("ßig"), "SS");
        assert_eq!(initials("李 小龙"), "李小");
        assert_eq!(initials("٣rd.Ωmega"), "٣Ω");
        assert_eq!(initials("★ ☄ -- .."), "?");
        assert_eq!(initials("  __Ada--lovelace  "), "AL");
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod host_tests {
    use super::NumberFormatter;

    /// The server groups as Chromium's `Intl.NumberFormat` does (CLDR): tests/board checks
    /// the takeover keeps every number.
    #[test]
    fn numbers_are_grouped_per_locale() {
        let format =
            |locale: &str, value: u64| NumberFormatter::new(Some(locale)).format_u64(value);
        assert_eq!(format("en", 5000), "5,000");
        assert_eq!(format("de", 5000), "5.000");
        assert_eq!(format("fr", 5000), "5\u{202f}000");
        assert_eq!(format("ru", 98700), "98\u{a0}700");
        // Spanish and Polish group only from five digits.
        assert_eq!(format("es", 5000), "5000");
        assert_eq!(format("es", 98700), "98.700");
        assert_eq!(format("pl", 98700), "98\u{a0}700");
        assert_eq!(format("pt-BR", 1234567), "1.234.567");
        assert_eq!(format("zh-Hans", 5000), "5,000");
        assert_eq!(NumberFormatter::new(Some("de")).format_i64(-1234), "-1.234");
        assert_eq!(format("not a tag!", 5000), "5,000");
    }
}
