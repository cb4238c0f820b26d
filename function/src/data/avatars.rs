//! The avatar images shipped inside the binary, served at `/api/images/avatars/{name}`.
//!
//! The game's profiles point at `images/avatars/default.svg` (relative); the HTTP layer
//! resolves that against the public base URL and answers it from here, so avatars work on
//! any site that embeds the widget. The generator gives most players one of these.
//!
//! Each is a small hand-written SVG: a `viewBox`, simple shapes, no scripts, no event
//! handlers, no external references (the tests check), so serving them as `image/svg+xml`
//! from our origin is safe.

/// Every shipped avatar by file name, `default.svg` first.
pub const AVATARS: &[(&str, &[u8])] = &[
    (
        DEFAULT_AVATAR,
        include_bytes!("../../assets/avatars/default.svg"),
    ),
    (
        "astronaut.svg",
        include_bytes!("../../assets/avatars/astronaut.svg"),
    ),
    (
        "rocket.svg",
        include_bytes!("../../assets/avatars/rocket.svg"),
    ),
    (
        "planet.svg",
        include_bytes!("../../assets/avatars/planet.svg"),
    ),
    ("ufo.svg", include_bytes!("../../assets/avatars/ufo.svg")),
    (
        "comet.svg",
        include_bytes!("../../assets/avatars/comet.svg"),
    ),
    ("moon.svg", include_bytes!("../../assets/avatars/moon.svg")),
    (
        "satellite.svg",
        include_bytes!("../../assets/avatars/satellite.svg"),
    ),
    (
        "alien.svg",
        include_bytes!("../../assets/avatars/alien.svg"),
    ),
    (
        "galaxy.svg",
        include_bytes!("../../assets/avatars/galaxy.svg"),
    ),
];

/// The original game's avatar for every player (`images/avatars/default.svg`).
pub const DEFAULT_AVATAR: &str = "default.svg";

/// The avatar image called `name` (for example `"rocket.svg"`), if one ships. Only exact
/// names match, so no path a client sends can reach anything else.
pub fn avatar(name: &str) -> Option<&'static [u8]> {
    AVATARS
        .iter()
        .find(|(shipped, _)| *shipped == name)
        .map(|(_, bytes)| *bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> &str {
        std::str::from_utf8(bytes).expect("avatars are UTF-8 text")
    }

    #[test]
    fn default_avatar_ships_and_is_first() {
        assert_eq!(AVATARS[0].0, DEFAULT_AVATAR);
        assert!(avatar("default.svg").is_some());
    }

    #[test]
    fn about_eight_distinct_avatars_besides_the_default() {
        let mut names: Vec<&str> = AVATARS.iter().map(|(name, _)| *name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AVATARS.len(), "names are unique");
        assert!(AVATARS.len() >= 9);
        let mut bodies: Vec<&[u8]> = AVATARS.iter().map(|(_, bytes)| *bytes).collect();
        bodies.sort_unstable();
        bodies.dedup();
        assert_eq!(bodies.len(), AVATARS.len(), "images are distinct");
    }

    #[test]
    fn avatars_are_small_safe_svgs_with_a_view_box() {
        for (name, bytes) in AVATARS {
            assert!(name.ends_with(".svg"), "{name}");
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase()
                    || b.is_ascii_digit()
                    || b == b'.'
                    || b == b'-'),
                "{name} is a plain file name"
            );
            assert!(bytes.len() < 1024, "{name} is {} bytes", bytes.len());
            let svg = text(bytes);
            assert!(
                svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
                "{name}"
            );
            assert!(svg.trim_end().ends_with("</svg>"), "{name}");
            assert!(svg.contains("viewBox=\"0 0 64 64\""), "{name}");
            let lower = svg.to_ascii_lowercase();
            for unsafe_part in ["<script", "javascript:", "href", "<foreignobject", "url("] {
                assert!(
                    !lower.contains(unsafe_part),
                    "{name} contains {unsafe_part}"
                );
            }
            assert!(
                !lower
                    .split_whitespace()
                    .any(|token| token.starts_with("on")),
                "{name} has an event handler attribute"
            );
        }
    }

    #[test]
    fn only_exact_names_are_found() {
        assert_eq!(avatar("rocket.svg"), Some(AVATARS[2].1));
        for name in [
            "",
            "ROCKET.SVG",
            "rocket",
            "../rocket.svg",
            "avatars/rocket.svg",
            "x.svg",
        ] {
            assert_eq!(avatar(name), None, "{name:?}");
        }
    }
}
