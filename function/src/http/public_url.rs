//! The public base URL of the API and the one place avatar URLs are made safe and absolute.
//!
//! The game's data holds avatar URLs relative to the original site (`images/avatars/default.svg`).
//! A widget embedded on another origin would resolve those against the host page, so every
//! avatar URL leaves the function absolute: relative ones resolve against the public base
//! (`--public-url`, or `<scheme>://<host>/api/` from the request), absolute http(s) ones pass
//! untouched, and anything else (`javascript:`, `data:`, empty) becomes the default avatar.
//! Which is which is the model's one URL rule ([`UrlKind`]).

use std::fmt;
use std::str::FromStr;

use axum::http::HeaderMap;
use leaderboard_model::{LeaderboardResponse, UrlKind, DEFAULT_AVATAR_PATH};

/// Header a proxy sets to the scheme the client used.
pub const X_FORWARDED_PROTO: &str = "x-forwarded-proto";
/// Header a proxy sets to the host the client asked for.
pub const X_FORWARDED_HOST: &str = "x-forwarded-host";

/// An absolute `http`/`https` URL ending in `/`, against which relative avatar URLs resolve.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicBaseUrl {
    /// The whole URL, e.g. `https://game.example/api/`.
    url: String,
    /// Length of `scheme://authority` at the start of `url`.
    origin_len: usize,
    /// Length of the scheme at the start of `url`.
    scheme_len: usize,
}

/// Why a configured public URL is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicUrlError {
    NotHttp,
    BadHost,
    HasQueryOrFragment,
    BadCharacter,
}

impl fmt::Display for PublicUrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PublicUrlError::NotHttp => "the public URL must start with http:// or https://",
            PublicUrlError::BadHost => "the public URL needs a host (letters, digits, . - : [ ])",
            PublicUrlError::HasQueryOrFragment => {
                "the public URL must not have a query (?) or fragment (#)"
            }
            PublicUrlError::BadCharacter => {
                "the public URL must not contain spaces, quotes, < > or backslashes"
            }
        })
    }
}

impl std::error::Error for PublicUrlError {}

impl FromStr for PublicBaseUrl {
    type Err = PublicUrlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (scheme, rest) = text.split_once("://").ok_or(PublicUrlError::NotHttp)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(PublicUrlError::NotHttp);
        }
        let authority_end = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if !is_valid_authority(authority) {
            return Err(PublicUrlError::BadHost);
        }
        if path.contains(['?', '#']) {
            return Err(PublicUrlError::HasQueryOrFragment);
        }
        if path
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '\\'))
        {
            return Err(PublicUrlError::BadCharacter);
        }
        let path = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        Ok(PublicBaseUrl::from_parts(&scheme, authority, &path))
    }
}

impl fmt::Display for PublicBaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl PublicBaseUrl {
    /// `path` starts and ends with `/`.
    fn from_parts(scheme: &str, authority: &str, path: &str) -> Self {
        let url = format!("{scheme}://{authority}{path}");
        PublicBaseUrl {
            origin_len: scheme.len() + 3 + authority.len(),
            scheme_len: scheme.len(),
            url,
        }
    }

    /// The base a request implies: `<scheme>://<host>/api/`, the scheme from
    /// `X-Forwarded-Proto` (else http), the host from `X-Forwarded-Host`, else `Host`, else
    /// `fallback_host` (the address the server listens on). Values that are not a plain
    /// scheme or host are ignored, so a header cannot inject text into the URLs.
    pub fn from_request(headers: &HeaderMap, fallback_host: &str) -> Self {
        let first_value = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(str::trim)
        };
        let scheme = match first_value(X_FORWARDED_PROTO).map(str::to_ascii_lowercase) {
            Some(proto) if proto == "https" => "https",
            _ => "http",
        };
        let host = [
            first_value(X_FORWARDED_HOST),
            first_value(axum::http::header::HOST.as_str()),
        ]
        .into_iter()
        .flatten()
        .find(|host| is_valid_authority(host))
        .unwrap_or(fallback_host);
        PublicBaseUrl::from_parts(scheme, host, "/api/")
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The absolute URL of the default avatar the function serves.
    pub fn default_avatar(&self) -> String {
        format!("{}{DEFAULT_AVATAR_PATH}", self.url)
    }

    /// An avatar URL from the data, made absolute and safe to put in an `img src`:
    /// absolute http(s) untouched, relative resolved against this base, anything else the
    /// default avatar. Classifies the way browsers parse URLs (leading and trailing
    /// control characters and spaces ignored, tabs and newlines removed), so a disguised
    /// `java\tscript:` is caught.
    pub fn resolve_avatar(&self, raw: &str) -> String {
        let cleaned: String = raw
            .trim_matches(|c: char| c <= ' ')
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        if cleaned.is_empty() {
            return self.default_avatar();
        }
        match UrlKind::of(&cleaned) {
            UrlKind::Http => return raw.to_string(),
            UrlKind::Other(_) => return self.default_avatar(),
            UrlKind::Relative => {}
        }
        // Browsers read `\` as `/` in http(s) URLs.
        let reference = cleaned.replace('\\', "/");
        if reference.starts_with("//") {
            // Scheme-relative: another host, same scheme.
            format!("{}:{reference}", &self.url[..self.scheme_len])
        } else if reference.starts_with('/') {
            format!("{}{reference}", &self.url[..self.origin_len])
        } else {
            format!("{}{reference}", self.url)
        }
    }
}

/// An avatar URL as [`PublicBaseUrl::resolve_avatar`] resolves it, as up to three borrowed
/// pieces written one after the other: serialising it costs no allocation in the common
/// case (no spaces, control characters or backslashes to clean up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResolvedAvatar<'a> {
    Parts(&'a str, &'a str, &'a str),
    Owned(String),
}

impl fmt::Display for ResolvedAvatar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResolvedAvatar::Parts(a, b, c) => {
                f.write_str(a)?;
                f.write_str(b)?;
                f.write_str(c)
            }
            ResolvedAvatar::Owned(url) => f.write_str(url),
        }
    }
}

impl serde::Serialize for ResolvedAvatar<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ResolvedAvatar::Parts(a, "", "") => serializer.serialize_str(a),
            ResolvedAvatar::Owned(url) => serializer.serialize_str(url),
            parts => serializer.collect_str(parts),
        }
    }
}

impl PublicBaseUrl {
    /// [`PublicBaseUrl::resolve_avatar`] without building the string when `raw` needs no
    /// cleaning: the same URL, as pieces.
    pub fn resolved_avatar<'a>(&'a self, raw: &'a str) -> ResolvedAvatar<'a> {
        // Nothing to trim, remove or replace: the cleaned reference is `raw` itself.
        if !raw.bytes().all(|b| b > b' ' && b != b'\\') {
            return ResolvedAvatar::Owned(self.resolve_avatar(raw));
        }
        let default = ResolvedAvatar::Parts(&self.url, DEFAULT_AVATAR_PATH, "");
        if raw.is_empty() {
            return default;
        }
        match UrlKind::of(raw) {
            UrlKind::Http => return ResolvedAvatar::Parts(raw, "", ""),
            UrlKind::Other(_) => return default,
            UrlKind::Relative => {}
        }
        if raw.starts_with("//") {
            ResolvedAvatar::Parts(&self.url[..self.scheme_len], ":", raw)
        } else if raw.starts_with('/') {
            ResolvedAvatar::Parts(&self.url[..self.origin_len], raw, "")
        } else {
            ResolvedAvatar::Parts(&self.url, raw, "")
        }
    }
}

/// A host, optionally with a port: letters, digits, `.-_:` and IPv6 brackets.
fn is_valid_authority(authority: &str) -> bool {
    !authority.is_empty()
        && authority.len() <= 255
        && authority.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':' | b'[' | b']')
        })
}

/// Makes every avatar URL in a response absolute and safe (see [`PublicBaseUrl::resolve_avatar`]).
pub fn absolutize_avatars(response: &mut LeaderboardResponse, base: &PublicBaseUrl) {
    for entry in &mut response.scores {
        entry.profile.avatar_url = base.resolve_avatar(&entry.profile.avatar_url);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn base(text: &str) -> PublicBaseUrl {
        text.parse().unwrap()
    }

    #[test]
    fn configured_base_is_normalised_to_end_with_a_slash() {
        assert_eq!(
            base("HTTPS://game.example/api").as_str(),
            "https://game.example/api/"
        );
        assert_eq!(base("http://h:8080").as_str(), "http://h:8080/");
        for bad in [
            "ftp://h/",
            "h/api",
            "https:///api",
            "https://h/a?x=1",
            "https://h/a b",
            "javascript:alert(1)",
        ] {
            assert!(bad.parse::<PublicBaseUrl>().is_err(), "{bad}");
        }
    }

    #[test]
    fn borrowed_resolution_equals_the_owned_one() {
        let bases = [
            base("https://game.example/api/"),
            base("http://127.0.0.1:8080/sub/dir/"),
        ];
        let raws = [
            "",
            " ",
            "images/avatars/default.svg",
            "/static/eve.png",
            "//cdn.example/x.png",
            "https://cdn.example/a.png",
            "HTTP://old.example/z.png",
            "javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:image/png;base64,AAAA",
            " images/x.png ",
            "images\\x.png",
            "\\\\evil.example/x.png",
            "a b.png",
            "ünï/cödé.svg",
            "mailto:x@y",
            "1abc:def",
            "\u{0}images/x.png",
        ];
        for base in &bases {
            for raw in raws {
                assert_eq!(
                    base.resolved_avatar(raw).to_string(),
                    base.resolve_avatar(raw),
                    "{raw:?} against {base}"
                );
                assert_eq!(
                    serde_json::to_string(&base.resolved_avatar(raw)).unwrap(),
                    serde_json::to_string(&base.resolve_avatar(raw)).unwrap()
                );
            }
        }
    }

    #[test]
    fn relative_avatars_resolve_against_the_base() {
        let b = base("https://game.example/lb/api/");
        assert_eq!(
            b.resolve_avatar("images/avatars/default.svg"),
            "https://game.example/lb/api/images/avatars/default.svg"
        );
        assert_eq!(
            b.resolve_avatar("/static/a.png"),
            "https://game.example/static/a.png"
        );
        assert_eq!(
            b.resolve_avatar("//cdn.example/a.png"),
            "https://cdn.example/a.png"
        );
        assert_eq!(
            b.resolve_avatar("\\\\cdn.example\\a.png"),
            "https://cdn.example/a.png"
        );
    }

    #[test]
    fn absolute_http_avatars_pass_untouched() {
        let b = base("https://game.example/api/");
        assert_eq!(
            b.resolve_avatar("http://other.example/A.PNG?x=1"),
            "http://other.example/A.PNG?x=1"
        );
        assert_eq!(
            b.resolve_avatar("HTTPS://other.example/a.png"),
            "HTTPS://other.example/a.png"
        );
    }

    #[test]
    fn unsafe_or_empty_avatars_become_the_default() {
        let b = base("https://game.example/api/");
        let default = "https://game.example/api/images/avatars/default.svg";
        for raw in [
            "",
            "   ",
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "data:image/svg+xml,<svg/>",
            "vbscript:x",
            "file:///etc/passwd",
            "C:\\avatars\\a.png",
        ] {
            assert_eq!(b.resolve_avatar(raw), default, "{raw:?}");
        }
    }

    #[test]
    fn request_base_comes_from_forwarded_headers_then_host() {
        let mut headers = HeaderMap::new();
        assert_eq!(
            PublicBaseUrl::from_request(&headers, "127.0.0.1:8080").as_str(),
            "http://127.0.0.1:8080/api/"
        );
        headers.insert("host", HeaderValue::from_static("lb.example:81"));
        assert_eq!(
            PublicBaseUrl::from_request(&headers, "x").as_str(),
            "http://lb.example:81/api/"
        );
        headers.insert(X_FORWARDED_PROTO, HeaderValue::from_static("https, http"));
        headers.insert(
            X_FORWARDED_HOST,
            HeaderValue::from_static("game.example, proxy.internal"),
        );
        assert_eq!(
            PublicBaseUrl::from_request(&headers, "x").as_str(),
            "https://game.example/api/"
        );
        // A header that is not a plain host is ignored rather than copied into URLs.
        headers.insert(
            X_FORWARDED_HOST,
            HeaderValue::from_static("evil.example/\"><script>"),
        );
        headers.insert(X_FORWARDED_PROTO, HeaderValue::from_static("javascript"));
        assert_eq!(
            PublicBaseUrl::from_request(&headers, "x").as_str(),
            "http://lb.example:81/api/"
        );
    }
}
