//! The one rule for URLs a leaderboard hands to a browser: http(s) or relative, nothing
//! else (`javascript:`, `data:`, …). Ingestion refuses other avatar URLs, the function
//! replaces them with the default avatar, and the widget refuses them as options and
//! shows a placeholder for them.
//!
//! Invariant: the scheme is found exactly as browsers find it in a cleaned URL (a letter,
//! then letters, digits, `+`, `-`, `.`, then `:`), so no text this rule calls relative can
//! run as another scheme. Callers clean or refuse what browsers would strip first
//! (surrounding spaces and controls, tabs, newlines).

/// Where the function serves the default avatar, relative to its public base; the avatar
/// of a posted profile that sent none.
pub const DEFAULT_AVATAR_PATH: &str = "images/avatars/default.svg";
/// Longest avatar URL accepted by ingestion, in bytes.
pub const MAX_AVATAR_URL_LEN: usize = 2048;

/// What a URL reference is, by its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind<'a> {
    /// `http:` or `https:` (any case).
    Http,
    /// No scheme: a path, `//host/…`, `?query` or `#fragment`.
    Relative,
    /// Any other scheme, as written.
    Other(&'a str),
}

impl<'a> UrlKind<'a> {
    pub fn of(url: &'a str) -> UrlKind<'a> {
        // Bytes, not chars: every byte of a scheme is ASCII.
        let Some(colon) = url.bytes().position(|b| b == b':') else {
            return UrlKind::Relative;
        };
        let scheme = url.get(..colon).unwrap_or_default();
        let mut bytes = scheme.bytes();
        let is_scheme = bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
            && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        if !is_scheme {
            UrlKind::Relative
        } else if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
            UrlKind::Http
        } else {
            UrlKind::Other(scheme)
        }
    }
}

/// True for `http://…`, `https://…`, `//host/…` and relative references, given as a
/// browser would use them: not empty, no surrounding whitespace, no control characters.
pub fn is_http_or_relative_url(url: &str) -> bool {
    !url.is_empty()
        && url.trim() == url
        && !url.chars().any(char::is_control)
        && !matches!(UrlKind::of(url), UrlKind::Other(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_found_as_browsers_find_them() {
        assert_eq!(UrlKind::of("https://cdn.example/a.png"), UrlKind::Http);
        assert_eq!(UrlKind::of("HTTP://x/y"), UrlKind::Http);
        for relative in [
            "a.png",
            "/api/a.svg",
            "//cdn/a.png",
            "./a?b=c:d",
            "1abc:def",
            "a_b:c",
        ] {
            assert_eq!(UrlKind::of(relative), UrlKind::Relative, "{relative}");
        }
        assert_eq!(
            UrlKind::of("JavaScript:alert(1)"),
            UrlKind::Other("JavaScript")
        );
        assert_eq!(UrlKind::of("C:\\a.png"), UrlKind::Other("C"));
    }

    #[test]
    fn only_clean_http_or_relative_urls_are_safe() {
        for safe in ["https://cdn.example/a.png", "a.png", "//cdn.example/a.png"] {
            assert!(is_http_or_relative_url(safe), "{safe}");
        }
        for unsafe_url in ["", " a.png", "java\nscript:x", "data:image/png;base64,AA"] {
            assert!(!is_http_or_relative_url(unsafe_url), "{unsafe_url:?}");
        }
    }
}
