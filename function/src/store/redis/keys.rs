//! Key names and the byte encodings that make Redis's orders equal the reference's.
//!
//! Every index is a "lexicographic" sorted set (all scores 0), which Redis orders by
//! `memcmp` of the members: byte order, the order of Rust's `str`/`[u8]` comparison. Each
//! member is built so that its byte order is the order the API needs.

use leaderboard_model::{Period, ScoreRecord};

/// The hash tag every key carries: all keys live in one cluster slot, so each script and
/// pipeline touches one node (see the module docs of `store::redis`).
pub const LIVE: &str = "{lb}:";
/// Where `import` builds the next data set before swapping it in.
pub const STAGING: &str = "{lb}:staging:";

/// 16 lower-case hex digits that sort byte-wise in *descending* score order: the sign bit
/// is flipped (so two's complement orders as unsigned) and the result complemented.
pub fn score_prefix(score: i64) -> String {
    let ordered = (score as u64) ^ (1u64 << 63);
    format!("{:016x}", !ordered)
}

/// The record's rank key: score prefix then id. Byte order of rank keys is leaderboard
/// order (score desc, then id asc in byte order).
pub fn rank_key(record: &ScoreRecord) -> String {
    let mut key = score_prefix(record.score);
    key.push_str(&record.id);
    key
}

/// Length of the score prefix in a rank key.
pub const SCORE_PREFIX_LEN: usize = 16;

/// The score id inside a rank key.
pub fn id_of_rank_key(rank_key: &str) -> Option<&str> {
    rank_key.get(SCORE_PREFIX_LEN..)
}

/// Appends `text` escaped so that a terminator can follow it without breaking the order:
/// NUL becomes `00 FF`, and [`TERMINATOR`] (`00 01`) ends the field. A field that is a
/// proper prefix of another thus sorts first, exactly as with `str` comparison.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    for &byte in text.as_bytes() {
        if byte == 0 {
            out.extend_from_slice(&[0, 0xFF]);
        } else {
            out.push(byte);
        }
    }
}

/// Ends an escaped field.
pub const TERMINATOR: [u8; 2] = [0, 1];

/// The player-order prefix of a name-set member: lower-cased name, then the raw name
/// (the reference's `name_key`, then `user_name`), each escaped and terminated.
pub fn name_key(user_name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(user_name.len() * 2 + 4);
    push_escaped(&mut out, &user_name.to_lowercase());
    out.extend_from_slice(&TERMINATOR);
    push_escaped(&mut out, user_name);
    out.extend_from_slice(&TERMINATOR);
    out
}

/// Name-set member: name key then rank key.
pub fn name_member(name_key: &[u8], rank_key: &str) -> Vec<u8> {
    let mut member = name_key.to_vec();
    member.extend_from_slice(rank_key.as_bytes());
    member
}

/// The rank key at the end of a name-set member (after the second terminator).
pub fn rank_key_of_name_member(member: &[u8]) -> Option<&str> {
    let mut terminators = 0;
    let mut i = 0;
    while i + 1 < member.len() {
        if member[i] == 0 {
            if member[i + 1] == 1 {
                terminators += 1;
                if terminators == 2 {
                    return std::str::from_utf8(&member[i + 2..]).ok();
                }
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    None
}

/// The escaped lower-cased `q`: members whose name key starts with it are the matches.
pub fn search_prefix(q: &str) -> Vec<u8> {
    let mut out = Vec::new();
    push_escaped(&mut out, &q.to_lowercase());
    out
}

/// The smallest byte string greater than every string starting with `prefix`, if any.
pub fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last < 0xFF {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// `ZRANGE BYLEX` bounds for "starts with `prefix`": `[prefix` to `(successor` (or `+`).
pub fn prefix_bounds(prefix: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut min = vec![b'['];
    min.extend_from_slice(prefix);
    let max = match prefix_successor(prefix) {
        Some(successor) => {
            let mut max = vec![b'('];
            max.extend_from_slice(&successor);
            max
        }
        None => b"+".to_vec(),
    };
    (min, max)
}

/// Byte ends of the char-boundary prefixes of the escaped lower-cased name at the start of
/// a name key (or of a [`search_prefix`]): `name_key[..end]` for each end is the
/// [`search_prefix`] of one non-empty prefix of the lower-cased name. The walk goes by UTF-8
/// lead bytes and the `00 FF` escape, stopping at the terminator; the post script walks
/// name keys the same way in Lua.
pub fn search_prefix_ends(name_key: &[u8]) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut i = 0;
    while i < name_key.len() {
        let lead = name_key[i];
        let step = match lead {
            0 if name_key.get(i + 1) == Some(&TERMINATOR[1]) => break,
            0 => 2,
            0x01..=0x7F => 1,
            0xF0..=0xFF => 4,
            0xE0..=0xEF => 3,
            _ => 2,
        };
        i = (i + step).min(name_key.len());
        ends.push(i);
    }
    ends
}

/// The escaped lower-cased name at the start of a name key or name-set member.
pub fn lowered_part(name_key: &[u8]) -> &[u8] {
    &name_key[..search_prefix_ends(name_key).last().copied().unwrap_or(0)]
}

/// The `pscores` member prefix of a player: escaped id, terminated.
pub fn player_prefix(profile_id: &str) -> Vec<u8> {
    let mut out = Vec::new();
    push_escaped(&mut out, profile_id);
    out.extend_from_slice(&TERMINATOR);
    out
}

/// A leaderboard selection's key suffix: `all`, `m:<mode>`, `r:<region>` or
/// `mr:<byte length of mode>:<mode><region>` (the length keeps it unambiguous).
/// The post script builds the same strings in Lua.
pub fn selection(mode: Option<&str>, region: Option<&str>) -> String {
    match (mode, region) {
        (None, None) => "all".to_string(),
        (Some(mode), None) => format!("m:{mode}"),
        (None, Some(region)) => format!("r:{region}"),
        (Some(mode), Some(region)) => format!("mr:{}:{mode}{region}", mode.len()),
    }
}

/// The key part naming a period: `day:`, `week:` or `month:` and the period's first day
/// (`YYYY-MM-DD`), then `/`; a period selection is its scope followed by a selection
/// (`week:2026-11-30/m:Solo`), all time has the empty scope. The Lua `scopes` (`lua.rs`)
/// builds the same strings.
pub fn period_scope(period: Option<&Period>) -> String {
    match period {
        None => String::new(),
        Some(period) => {
            let start = period.start().to_string();
            format!("{}:{}/", period.kind(), start.get(..10).unwrap_or_default())
        }
    }
}

/// The `view=best` selection of filter selection `selection` in `scope`: each player's best
/// entry there (`bv:<byte length>:<selection>`).
pub fn best_view(scope: &str, selection: &str) -> String {
    format!("{scope}bv:{}:{selection}", selection.len())
}

/// The `view=best` entries of `selection` in `scope` whose `group` (the selection of the key
/// `selection` leaves free: `m:<mode>` or `r:<region>`) is given: the segments of
/// `sort=mode|region` over best entries (`bg:<byte length>:<selection><group>`).
pub fn best_view_group(scope: &str, selection: &str, group: &str) -> String {
    format!("{scope}bg:{}:{selection}{group}", selection.len())
}

/// The four selections a score belongs to.
pub fn selections_of(record: &ScoreRecord) -> [String; 4] {
    let (mode, region) = (record.game_mode.as_str(), record.game_region.as_str());
    [
        selection(None, None),
        selection(Some(mode), None),
        selection(None, Some(region)),
        selection(Some(mode), Some(region)),
    ]
}

/// The default prefix threshold T: a name prefix matched by more than T scores of a
/// selection gets a prefix score set ([`Keys::prefix_set`]); `q` reads list and sort at
/// most T matches otherwise. Measured at 1,000,000 generated scores: T = 1024 means 15.7
/// million prefix-set members (+2.1 GB in Redis, import about twice as long), T = 4096
/// means 9.2 million (+1.2 GB); the price is up to 4,096 matches listed by a `q` read
/// of a rarer prefix (BENCHMARKS.md has both shapes).
pub const DEFAULT_PREFIX_THRESHOLD: u64 = 4096;

/// The name of one board (a game, a season) among several on one Redis: its keys carry
/// the hash tag `{lb:<name>}` instead of `{lb}`, so each board is one slot of its own and
/// a cluster spreads boards over its masters (ARCHITECTURE.md, "Beyond one shard"). 1 to
/// 64 characters from `A-Z a-z 0-9 - _ .` (no brace: it would end the hash tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardName(String);

impl std::str::FromStr for BoardName {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
        if text.is_empty() || text.len() > 64 || !text.chars().all(allowed) {
            return Err(format!(
                "a board name is 1 to 64 characters from A-Z a-z 0-9 - _ . (got {text:?})"
            ));
        }
        Ok(BoardName(text.to_string()))
    }
}

impl std::fmt::Display for BoardName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Key names under one namespace (a board's live keys, or where its import stages).
#[derive(Debug, Clone)]
pub struct Keys {
    pub prefix: String,
}

impl Keys {
    /// The default board's live keys ([`LIVE`]).
    pub fn live() -> Keys {
        Keys::of_board(None)
    }

    /// The default board's staging keys ([`STAGING`]).
    pub fn staging() -> Keys {
        Keys::staging_of_board(None)
    }

    /// The live keys of `board` (`None`: the default board, [`LIVE`]).
    pub fn of_board(board: Option<&BoardName>) -> Keys {
        Keys {
            prefix: match board {
                None => LIVE.to_string(),
                Some(name) => format!("{{lb:{name}}}:"),
            },
        }
    }

    /// Where an import of `board` stages its data: the live prefix + `staging:` (the same
    /// slot, so the swap is one script).
    pub fn staging_of_board(board: Option<&BoardName>) -> Keys {
        Keys {
            prefix: format!("{}staging:", Keys::of_board(board).prefix),
        }
    }

    fn key(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// Lex set of rank keys of a selection: leaderboard order.
    pub fn score(&self, selection: &str) -> String {
        self.key(&format!("score:{selection}"))
    }

    /// Lex set of name members of a selection: player order.
    pub fn name(&self, selection: &str) -> String {
        self.key(&format!("name:{selection}"))
    }

    /// Hash profile id -> rank key of the player's best entry in a selection.
    pub fn best(&self, selection: &str) -> String {
        self.key(&format!("best:{selection}"))
    }

    /// Lex set of the rank keys (as in [`Keys::score`]) of the entries of `selection` whose
    /// escaped lower-cased name starts with `prefix`; kept for every prefix matched by more
    /// than the threshold. The selection's length makes the name unambiguous.
    pub fn prefix_set(&self, selection: &str, prefix: &[u8]) -> Vec<u8> {
        let mut key = self
            .key(&format!("pfx:{}:{selection}:", selection.len()))
            .into_bytes();
        key.extend_from_slice(prefix);
        key
    }

    /// String: the prefix threshold T the prefix sets were built with (absent: data
    /// imported by a version without prefix sets).
    pub fn prefix_threshold(&self) -> String {
        self.key("pfxmin")
    }

    /// Hash score id -> the score record's JSON.
    pub fn records(&self) -> String {
        self.key("rec")
    }

    /// Hash profile id -> the profile's JSON.
    pub fn profiles(&self) -> String {
        self.key("prof")
    }

    /// Hash profile id -> the player's name key (to re-key entries on a rename).
    pub fn name_keys(&self) -> String {
        self.key("pkey")
    }

    /// Lex set of player prefix + rank key: each player's entries.
    pub fn player_scores(&self) -> String {
        self.key("pscores")
    }

    /// Hash profile id -> number of entries (`HLEN` = players with scores).
    pub fn players(&self) -> String {
        self.key("players")
    }

    pub fn mode_counts(&self) -> String {
        self.key("facet:mode")
    }

    pub fn region_counts(&self) -> String {
        self.key("facet:region")
    }

    /// Set of every data key of this namespace (what a swap replaces).
    pub fn manifest(&self) -> String {
        self.key("keys")
    }

    /// Counter bumped by every write (live only).
    pub fn version(&self) -> String {
        self.key("version")
    }

    /// Token naming the imported data set (live only): with the counter, the version.
    pub fn epoch(&self) -> String {
        self.key("epoch")
    }

    /// Count of timed scores (absent at 0): whether the meta has periods.
    pub fn timed(&self) -> String {
        self.key("timed")
    }

    /// Sorted set: every period key (score = its expiry, Unix seconds), so an import can
    /// replace them without a scan; posts trim the expired ones.
    pub fn period_manifest(&self) -> String {
        self.key("pkeys")
    }

    /// The fixed (not per-selection) data keys.
    pub fn fixed(&self) -> [String; 8] {
        [
            self.records(),
            self.profiles(),
            self.name_keys(),
            self.player_scores(),
            self.players(),
            self.mode_counts(),
            self.region_counts(),
            self.timed(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, score: i64) -> ScoreRecord {
        ScoreRecord {
            id: id.into(),
            profile_id: "p".into(),
            score,
            game_mode: "m".into(),
            game_region: "r".into(),
            played_at: None,
        }
    }

    #[test]
    fn rank_keys_sort_bytewise_in_leaderboard_order() {
        let records = [
            record("b", i64::MAX),
            record("a", 5),
            record("a0", 5),
            record("b", 5),
            record("a", 0),
            record("z", -1),
            record("a", i64::MIN),
        ];
        for pair in records.windows(2) {
            assert!(rank_key(&pair[0]) < rank_key(&pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn name_keys_sort_like_the_reference_and_prefixes_match() {
        let names = [
            "", "a", "a\0", "aB", "ab", "Ab\u{0}x", "abc", "Zoë", "zoë", "é",
        ];
        let mut by_reference: Vec<&str> = names.to_vec();
        by_reference.sort_by(|a, b| {
            a.to_lowercase()
                .cmp(&b.to_lowercase())
                .then_with(|| a.cmp(b))
        });
        let mut by_key: Vec<&str> = names.to_vec();
        by_key.sort_by_key(|n| name_key(n));
        assert_eq!(by_key, by_reference);
        for name in names {
            for q in ["", "a", "A", "ab", "zo", "ZOË", "\0"] {
                let matches = name.to_lowercase().starts_with(&q.to_lowercase());
                assert_eq!(
                    name_key(name).starts_with(&search_prefix(q)),
                    matches,
                    "{name:?} {q:?}"
                );
            }
        }
    }

    #[test]
    fn boards_get_hash_tags_of_their_own() {
        assert_eq!(Keys::live().prefix, LIVE);
        assert_eq!(Keys::staging().prefix, STAGING);
        let season: BoardName = "season-7".parse().unwrap();
        assert_eq!(
            Keys::of_board(Some(&season)).version(),
            "{lb:season-7}:version"
        );
        assert_eq!(
            Keys::staging_of_board(Some(&season)).prefix,
            "{lb:season-7}:staging:"
        );
        for bad in ["", "a}b", "a{b", "a b", "é", &"x".repeat(65)] {
            assert!(bad.parse::<BoardName>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn prefix_ends_are_the_search_prefixes_of_every_prefix_of_the_name() {
        for name in [
            "",
            "a",
            "Ab\u{0}x",
            "Zoë",
            "İstanbul",
            "日本語",
            "x\u{1F680}y",
            "\u{0}",
        ] {
            let key = name_key(name);
            let lowered = name.to_lowercase();
            let expected: Vec<Vec<u8>> = lowered
                .char_indices()
                .map(|(i, c)| search_prefix(&lowered[..i + c.len_utf8()]))
                .collect();
            let actual: Vec<Vec<u8>> = search_prefix_ends(&key)
                .into_iter()
                .map(|end| key[..end].to_vec())
                .collect();
            assert_eq!(actual, expected, "{name:?}");
            assert_eq!(lowered_part(&key), search_prefix(name).as_slice());
        }
    }

    #[test]
    fn rank_key_comes_back_out_of_a_name_member() {
        let key = rank_key(&record("s\u{0}1", 7));
        let member = name_member(&name_key("A\0b"), &key);
        assert_eq!(rank_key_of_name_member(&member), Some(key.as_str()));
    }

    #[test]
    fn successor_bounds_every_extension() {
        assert_eq!(prefix_successor(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_successor(&[b'a', 0xFF]), Some(b"b".to_vec()));
        assert_eq!(prefix_successor(&[0xFF]), None);
    }
}
