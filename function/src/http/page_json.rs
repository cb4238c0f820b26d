//! A store's leaderboard page written as the API's JSON, every avatar URL resolved against
//! the public base; a page of lent rows ([`Page::Lent`]) straight from the engine's
//! borrowed rows, without cloning them.
//!
//! Invariants: the wire shape is the model's (the same types, instantiated over borrowed
//! text: `LeaderboardResponse<&str, _>`, `ScoreRecord<&str>`, `Profile<&str,
//! ResolvedAvatar, &[String]>`), and the bytes equal the owned path's (engine →
//! `LeaderboardResponse` → avatars resolved → `serde_json`), as the tests pin. Why the
//! borrowed path exists: bench/analysis.md ("Function: throughput").

use leaderboard_engine::{EntryRef, PageRef};
use leaderboard_model::{
    LeaderboardEntry, LeaderboardQuery, LeaderboardResponse, Profile, ScoreRecord,
};
use serde::ser::SerializeSeq;
use serde::{Serialize, Serializer};

use super::public_url::{absolutize_avatars, PublicBaseUrl, ResolvedAvatar};
use crate::store::Page;

/// Appends the JSON of a store's page for `query`, avatar URLs resolved against `base`.
pub fn write_json(
    out: &mut Vec<u8>,
    query: &LeaderboardQuery,
    page: Page,
    base: &PublicBaseUrl,
) -> serde_json::Result<()> {
    match page {
        Page::Owned(mut response) => {
            absolutize_avatars(&mut response, base);
            serde_json::to_writer(out, &response)
        }
        Page::Lent(lent) => write_page(out, query, &lent.rows(), base),
    }
}

/// A page's rows, serialised as the model's `LeaderboardEntry` list without cloning them.
struct Rows<'a> {
    entries: &'a [EntryRef<'a>],
    base: &'a PublicBaseUrl,
}

impl Serialize for Rows<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.entries.len()))?;
        for entry in self.entries {
            seq.serialize_element(&borrowed_entry(entry, self.base))?;
        }
        seq.end()
    }
}

type BorrowedEntry<'a> =
    LeaderboardEntry<ScoreRecord<&'a str>, Profile<&'a str, ResolvedAvatar<'a>, &'a [String]>>;

fn borrowed_entry<'a>(entry: &EntryRef<'a>, base: &'a PublicBaseUrl) -> BorrowedEntry<'a> {
    LeaderboardEntry {
        rank: entry.rank,
        score: ScoreRecord {
            id: entry.id,
            profile_id: &entry.profile.id,
            score: entry.score,
            game_mode: entry.game_mode,
            game_region: entry.game_region,
            played_at: entry.played_at,
        },
        profile: Profile {
            id: &entry.profile.id,
            user_name: &entry.profile.user_name,
            avatar_url: base.resolved_avatar(&entry.profile.avatar_url),
            achievements: &entry.profile.achievements,
        },
    }
}

/// Appends the JSON of `LeaderboardResponse::for_query(query, page…)` with avatar URLs
/// resolved against `base`: the bytes `serde_json` writes for the owned response.
pub fn write_page(
    out: &mut Vec<u8>,
    query: &LeaderboardQuery,
    page: &PageRef<'_>,
    base: &PublicBaseUrl,
) -> serde_json::Result<()> {
    let rows = Rows {
        entries: &page.entries,
        base,
    };
    let json = LeaderboardResponse::for_query_with(
        query,
        page.page,
        page.total_results,
        rows,
        |text: &str| text,
    );
    serde_json::to_writer(out, &json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use leaderboard_engine::Engine;
    use leaderboard_model::{PlayedAt, Profile, ScoreRecord};

    fn engine() -> Engine {
        let avatars = [
            "images/avatars/default.svg",
            "https://cdn.example/a.png",
            "javascript:alert(1)",
            "",
            "/static/e.png",
            "//cdn.example/x.png",
            " spaced name.png",
            "back\\slash.png",
        ];
        let names = [
            "alice",
            "Alicia",
            "bob",
            "Bobby",
            "Zoë",
            "quote\"d",
            "tab\tname",
            "émile",
            "Ünïcode",
            "x</script>",
        ];
        let profiles: Vec<Profile> = (0..30)
            .map(|i| Profile {
                id: format!("p{i}"),
                user_name: format!("{}{}", names[i % names.len()], i / names.len()),
                avatar_url: avatars[i % avatars.len()].to_string(),
                achievements: (0..i % 4).map(|a| format!("Achievement \"{a}\"")).collect(),
            })
            .collect();
        let modes = ["Solo", "Duo", "Trio \u{2603}"];
        let regions = ["Milky Way", "Andromeda", "Pinwheel", "\"Quoted\" Nebula"];
        let scores = (0..400)
            .map(|i: usize| ScoreRecord {
                id: format!("s{:03}\\{i}", i * 7 % 400),
                profile_id: format!("p{}", i * 13 % 30),
                score: ((i * 37) % 50) as i64 * 10 - 40,
                game_mode: modes[i % modes.len()].to_string(),
                game_region: regions[i * 5 % regions.len()].to_string(),
                // Timed and untimed scores side by side.
                played_at: PlayedAt::from_unix_millis(i as u64 * 86_399_999).filter(|_| i % 3 > 0),
            })
            .collect();
        Engine::build(scores, profiles)
    }

    #[test]
    fn borrowed_pages_serialise_to_the_owned_responses_bytes() {
        let engine = engine();
        let base: PublicBaseUrl = "https://game.example/api/".parse().unwrap();
        let mut checked = 0;
        for mode in ["", "Solo", "Trio \u{2603}", "Nope"] {
            for region in ["", "Andromeda", "\"Quoted\" Nebula"] {
                for sort in ["score", "player", "mode", "region"] {
                    for order in ["asc", "desc"] {
                        for q in ["", "al", "Ü", "zz"] {
                            for (page, page_size) in [("1", "10"), ("2", "7"), ("40", "3")] {
                                for around in ["", "p3", "p29"] {
                                    let pairs = [
                                        ("mode", mode),
                                        ("region", region),
                                        ("sort", sort),
                                        ("order", order),
                                        ("q", q),
                                        ("page", page),
                                        ("pageSize", page_size),
                                        ("around", around),
                                    ];
                                    let query = LeaderboardQuery::from_pairs(
                                        pairs.into_iter().filter(|(_, v)| !v.is_empty()),
                                    )
                                    .unwrap();
                                    let Ok(mut owned) = engine.query(&query) else {
                                        assert!(engine.page(&query).is_err());
                                        continue;
                                    };
                                    absolutize_avatars(&mut owned, &base);
                                    let expected = serde_json::to_vec(&owned).unwrap();
                                    let mut written = Vec::new();
                                    let page = engine.page(&query).unwrap();
                                    write_page(&mut written, &query, &page, &base).unwrap();
                                    assert_eq!(
                                        String::from_utf8(written).unwrap(),
                                        String::from_utf8(expected).unwrap(),
                                        "{query:?}"
                                    );
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }
}
