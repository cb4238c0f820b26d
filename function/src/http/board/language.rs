//! The board page's language, the one rule for the board and for the page saying why it
//! cannot be shown: the `lang` parameter when the query names one (English when no language
//! file matches it, as the widget treats its `lang` option), else the first of the reader's
//! `Accept-Language` languages that a file matches, else English. The wasm that takes the
//! board over reads the same language from the page's `<html lang>`.

use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::HeaderMap;
use space_leaderboard::i18n;
use space_leaderboard::options::{canonical_name, OptionName};
use space_leaderboard::WidgetOptions;

/// The language of the board page asked for by `raw_query` with `headers`.
pub fn page_language(raw_query: &str, headers: &HeaderMap) -> &'static str {
    // The last `lang` wins, as in the widget's options; an empty or malformed one (a bad
    // option: the page says so) names nothing, as the widget then speaks its host's language.
    let named = form_urlencoded::parse(raw_query.as_bytes())
        .filter(|(name, _)| canonical_name(name) == OptionName::Lang.as_str())
        .last()
        .and_then(|(_, value)| WidgetOptions::from_pairs([("lang", value)]).ok()?.lang);
    if let Some(tag) = named {
        return i18n::resolve([tag.as_str()]);
    }
    let accepted = headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(accept_language::parse_with_quality)
        .unwrap_or_default();
    // `q=0` means "not this one".
    i18n::resolve(
        accepted
            .iter()
            .filter(|(_, quality)| *quality > 0.0)
            .map(|(tag, _)| tag.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_accept_language(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, value.parse().unwrap());
        headers
    }

    #[test]
    fn the_lang_parameter_wins_then_accept_language_then_english() {
        let german = with_accept_language("sv-SE, de-CH;q=0.8, en;q=0.5");
        assert_eq!(page_language("", &german), "de");
        assert_eq!(page_language("mode=Solo&lang=ar", &german), "ar");
        assert_eq!(page_language("lang=fr&data-lang=ja", &german), "ja");
        // A named language without a file is English, whatever the reader accepts.
        assert_eq!(page_language("lang=sv", &german), "en");
        assert_eq!(page_language("lang=%20", &german), "de");
        assert_eq!(page_language("lang=%3Cscript%3E", &german), "de");
        assert_eq!(page_language("", &HeaderMap::new()), "en");
        assert_eq!(
            page_language("", &with_accept_language("ru;q=0.2, pl;q=0.9")),
            "pl"
        );
        assert_eq!(page_language("", &with_accept_language("de;q=0, it")), "it");
        assert_eq!(page_language("", &with_accept_language("*")), "en");
    }
}
