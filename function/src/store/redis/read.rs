//! Reads: a leaderboard page and the meta, each in a bounded number of pipelined round
//! trips (at most six for a page, one for the meta) and O(log n + pageSize) work in Redis
//! (plus, for `q` under a score order, at most T matches listed per segment; see the module
//! docs of `store::redis`).
//!
//! A page is read in two steps. First the requested order is laid out as a list of
//! *segments*, each a contiguous run of one sorted set (for `q` under a score order, the
//! prefix set of the selection, or its at most T matches fetched and sorted), whose lengths
//! are known: one segment for
//! `sort=score|player`, one per mode or region (in name order) for `sort=mode|region` over
//! a selection that does not fix that key. The page is then a window of the concatenated
//! segments, read forwards or backwards; `around` places the player's best entry in it
//! with one `ZRANK` per segment. Second, the page's records, ranks and profiles are fetched.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use leaderboard_model::{
    FacetCount, LeaderboardEntry, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, Period,
    PeriodKind, PeriodsMeta, PlayedAt, Profile, Retention, ScoreRecord, SortKey, SortOrder,
};
use redis::{from_redis_value, RedisError, Value};

use super::conn::Conn;
use super::keys::{
    best_view, best_view_group, id_of_rank_key, name_member, period_scope, prefix_bounds,
    rank_key_of_name_member, search_prefix, selection, Keys, SCORE_PREFIX_LEN,
};

/// Why a read failed.
#[derive(Debug)]
pub enum ReadError {
    Redis(RedisError),
    PlayerNotFound {
        profile_id: String,
    },
    /// Stored data that does not decode (written by something else, or changed mid-read).
    Inconsistent(String),
}

impl From<RedisError> for ReadError {
    fn from(e: RedisError) -> Self {
        ReadError::Redis(e)
    }
}

impl From<redis::ParsingError> for ReadError {
    fn from(e: redis::ParsingError) -> Self {
        ReadError::Redis(e.into())
    }
}

/// A contiguous run of the requested order (read forwards).
enum Segment {
    /// Members `base..base + len` (by index) of a lex sorted set. `name_set`: members are
    /// name-set members (name key + rank key), else rank keys (a score or prefix set).
    Indexed {
        key: Vec<u8>,
        name_set: bool,
        base: u64,
        len: u64,
    },
    /// Rank keys already fetched and sorted (q under a score order, at most T matches).
    Listed { rank_keys: Vec<String> },
}

impl Segment {
    fn len(&self) -> u64 {
        match self {
            Segment::Indexed { len, .. } => *len,
            Segment::Listed { rank_keys } => rank_keys.len() as u64,
        }
    }
}

/// What one segment is before its length is known.
struct SegmentPlan {
    /// The selection whose sets the segment reads.
    selection: String,
    /// Player order (name set) rather than leaderboard order.
    by_name: bool,
}

fn lex_below(prefix: &[u8]) -> Vec<u8> {
    if prefix.is_empty() {
        b"-".to_vec()
    } else {
        let mut bound = vec![b'('];
        bound.extend_from_slice(prefix);
        bound
    }
}

/// The leaderboard page for a validated query.
pub async fn leaderboard(
    conn: &mut Conn,
    keys: &Keys,
    query: &LeaderboardQuery,
    paths: &ReadPaths,
) -> Result<LeaderboardResponse, ReadError> {
    // The filter selection in the query's period (`scope`), and the set the rows come from:
    // its entries, or (view=best) each player's best entry there.
    let scope = period_scope(query.period_window().as_ref());
    let filtered = selection(query.mode.as_deref(), query.region.as_deref());
    let best_view_of = !query.view.is_scores();
    let selected = if best_view_of {
        best_view(&scope, &filtered)
    } else {
        format!("{scope}{filtered}")
    };
    let page_size = query.page_size.max(1);
    // Forwards = the order the sets hold: leaderboard order, or key then leaderboard order.
    let forward = match query.sort {
        SortKey::Score => query.order == SortOrder::Desc,
        _ => query.order == SortOrder::Asc,
    };
    let search = query.q.as_deref().map(search_prefix);
    let group_by_mode = query.sort == SortKey::Mode && query.mode.is_none();
    let group_by_region = query.sort == SortKey::Region && query.region.is_none();

    // Round trip 1: group names (modes or regions present) and the `around` player.
    let mut pipe = redis::pipe();
    if group_by_mode {
        pipe.cmd("HKEYS").arg(keys.mode_counts());
    } else if group_by_region {
        pipe.cmd("HKEYS").arg(keys.region_counts());
    }
    if let Some(profile_id) = &query.around {
        // The player's best entry in the selection: their row in either view.
        pipe.hget(keys.best(&format!("{scope}{filtered}")), profile_id)
            .hget(keys.profiles(), profile_id)
            .hget(keys.name_keys(), profile_id);
    }
    let mut first: std::vec::IntoIter<Value> =
        if query.around.is_some() || group_by_mode || group_by_region {
            pipe.query_async::<Vec<Value>>(conn).await?.into_iter()
        } else {
            Vec::new().into_iter()
        };
    let plans: Vec<SegmentPlan> = if group_by_mode || group_by_region {
        let mut names: Vec<String> = from_redis_value(first.next().unwrap_or(Value::Nil))?;
        names.sort_unstable();
        names
            .iter()
            .map(|name| SegmentPlan {
                selection: match (best_view_of, group_by_mode) {
                    (false, true) => {
                        format!("{scope}{}", selection(Some(name), query.region.as_deref()))
                    }
                    (false, false) => {
                        format!("{scope}{}", selection(query.mode.as_deref(), Some(name)))
                    }
                    (true, true) => {
                        best_view_group(&scope, &filtered, &selection(Some(name), None))
                    }
                    (true, false) => {
                        best_view_group(&scope, &filtered, &selection(None, Some(name)))
                    }
                },
                by_name: false,
            })
            .collect()
    } else {
        vec![SegmentPlan {
            selection: selected.clone(),
            by_name: query.sort == SortKey::Player,
        }]
    };
    // The around player's best entry in the selection, when it matches q.
    let around = match &query.around {
        None => None,
        Some(profile_id) => {
            let best: Option<String> = from_redis_value(first.next().unwrap_or(Value::Nil))?;
            let profile: Option<String> = from_redis_value(first.next().unwrap_or(Value::Nil))?;
            let name_key: Option<Vec<u8>> = from_redis_value(first.next().unwrap_or(Value::Nil))?;
            let not_found = || ReadError::PlayerNotFound {
                profile_id: profile_id.clone(),
            };
            let (best, profile, name_key) = match (best, profile, name_key) {
                (Some(b), Some(p), Some(n)) => (b, p, n),
                _ => return Err(not_found()),
            };
            if let Some(q) = &query.q {
                let profile: Profile = decode(&profile)?;
                if !leaderboard_engine::reference::name_matches(&profile.user_name, q) {
                    return Err(not_found());
                }
            }
            Some((best, name_key))
        }
    };

    // Round trip 2: each segment's length (for q under a score order, its prefix set's
    // length or its at most T matches).
    let segments = match &search {
        Some(prefix) if !plans.first().is_some_and(|plan| plan.by_name) => {
            prefix_segments(conn, keys, &plans, prefix, paths).await?
        }
        _ => counted_segments(conn, keys, &plans, search.as_deref()).await?,
    };
    let total: u64 = segments.iter().map(Segment::len).sum();

    // Round trip 3 (around only): the best entry's place in the order.
    let page = match around {
        None => query.page,
        Some((best, name_key)) => {
            let forward_position = locate(conn, &segments, &best, &name_key)
                .await?
                .ok_or_else(|| ReadError::PlayerNotFound {
                    profile_id: query.around.clone().unwrap_or_default(),
                })?;
            let position = if forward {
                forward_position
            } else {
                total - 1 - forward_position
            };
            u32::try_from(position / u64::from(page_size) + 1).unwrap_or(u32::MAX)
        }
    };

    // Round trip 4: the page's rank keys.
    let offset = u64::from(page.saturating_sub(1)) * u64::from(page_size);
    let window = if offset >= total {
        None
    } else {
        let take = u64::from(page_size).min(total - offset);
        Some(if forward {
            (offset, offset + take)
        } else {
            (total - offset - take, total - offset)
        })
    };
    let mut rank_keys = match window {
        None => Vec::new(),
        Some((from, to)) => read_window(conn, &segments, from, to).await?,
    };
    if !forward {
        rank_keys.reverse();
    }

    // Round trips 5 and 6: records, ranks, profiles.
    let scores = hydrate(conn, keys, &selected, &rank_keys).await?;
    Ok(LeaderboardResponse::for_query(query, page, total, scores))
}

/// Segments of a plain order (`q` absent) or of player order (`q` a range of the name set).
async fn counted_segments(
    conn: &mut Conn,
    keys: &Keys,
    plans: &[SegmentPlan],
    search: Option<&[u8]>,
) -> Result<Vec<Segment>, ReadError> {
    let mut pipe = redis::pipe();
    for plan in plans {
        let name_set = keys.name(&plan.selection);
        match (search, plan.by_name) {
            (None, false) => {
                pipe.zcard(keys.score(&plan.selection));
            }
            (None, true) => {
                pipe.zcard(name_set);
            }
            (Some(prefix), _) => {
                let (min, max) = prefix_bounds(prefix);
                pipe.cmd("ZLEXCOUNT")
                    .arg(&name_set)
                    .arg("-")
                    .arg(lex_below(prefix));
                pipe.cmd("ZLEXCOUNT").arg(&name_set).arg(min).arg(max);
            }
        }
    }
    let mut sizes = run(conn, &pipe).await?.into_iter();
    let mut segments = Vec::with_capacity(plans.len());
    for plan in plans {
        let mut next = || sizes.next().unwrap_or(Value::Nil);
        let (key, base) = match (search, plan.by_name) {
            (None, false) => (keys.score(&plan.selection), 0),
            (None, true) => (keys.name(&plan.selection), 0),
            (Some(_), _) => (keys.name(&plan.selection), from_redis_value(next())?),
        };
        segments.push(Segment::Indexed {
            key: key.into_bytes(),
            name_set: plan.by_name || search.is_some(),
            base,
            len: from_redis_value(next())?,
        });
    }
    Ok(segments)
}

/// For each selection (KEYS[1] = the threshold key; ARGV: 1, 2 the lex range of the
/// prefix, then name set and prefix set per selection): `{"set", m}` when the m matches
/// number more than T and the prefix set holds them all (O(log n)), else `{"list" or
/// "fallback", members...}` with the matching name-set members (at most T for "list";
/// "fallback": no threshold, or the prefix set is missing, data from an older version).
/// One script, so the count and the set's length are one moment's. Declared `no-writes`
/// and sent as `EVAL_RO`, so replicas answer it (a cluster routes it to one).
const PREFIX_SEGMENTS_SCRIPT: &str = r#"#!lua flags=no-writes
local T = tonumber(redis.call('GET', KEYS[1]))
local lo, hi = ARGV[1], ARGV[2]
local out = {}
for i = 3, #ARGV, 2 do
  local m = redis.call('ZLEXCOUNT', ARGV[i], lo, hi)
  if T and m > T and redis.call('ZCARD', ARGV[i + 1]) == m then
    out[#out + 1] = {'set', m}
  else
    local members = redis.call('ZRANGE', ARGV[i], lo, hi, 'BYLEX')
    table.insert(members, 1, (T and m <= T) and 'list' or 'fallback')
    out[#out + 1] = members
  end
end
return out
"#;

/// Set once the first fallback read has been logged.
static FALLBACK_LOGGED: AtomicBool = AtomicBool::new(false);

/// Segments of `q` under a score order: per selection, its prefix set (more than T
/// matches) or its at most T matches sorted here.
async fn prefix_segments(
    conn: &mut Conn,
    keys: &Keys,
    plans: &[SegmentPlan],
    prefix: &[u8],
    paths: &ReadPaths,
) -> Result<Vec<Segment>, ReadError> {
    if plans.is_empty() {
        return Ok(Vec::new());
    }
    let (min, max) = prefix_bounds(prefix);
    // The script's text each time rather than EVALSHA: a replica or a promoted node may not
    // have it cached, and the text is small.
    let mut invocation = redis::cmd("EVAL_RO");
    invocation
        .arg(PREFIX_SEGMENTS_SCRIPT)
        .arg(1)
        .arg(keys.prefix_threshold())
        .arg(min)
        .arg(max);
    for plan in plans {
        invocation
            .arg(keys.name(&plan.selection))
            .arg(keys.prefix_set(&plan.selection, prefix));
    }
    let replies: Vec<Value> = invocation.query_async(conn).await?;
    if replies.len() != plans.len() {
        return Err(ReadError::Inconsistent(
            "the prefix script answered for another number of selections".into(),
        ));
    }
    let mut segments = Vec::with_capacity(plans.len());
    for (plan, reply) in plans.iter().zip(replies) {
        let mut parts = from_redis_value::<Vec<Value>>(reply)?.into_iter();
        let kind: String = from_redis_value(parts.next().unwrap_or(Value::Nil))?;
        if kind == "set" {
            paths.prefix_set_segments.fetch_add(1, Ordering::Relaxed);
            segments.push(Segment::Indexed {
                key: keys.prefix_set(&plan.selection, prefix),
                name_set: false,
                base: 0,
                len: from_redis_value(parts.next().unwrap_or(Value::Nil))?,
            });
            continue;
        }
        let mut rank_keys = parts
            .map(|member| {
                let member: Vec<u8> = from_redis_value(member)?;
                rank_key_of_name_member(&member)
                    .map(str::to_string)
                    .ok_or_else(|| ReadError::Inconsistent("a name-set member".into()))
            })
            .collect::<Result<Vec<String>, ReadError>>()?;
        rank_keys.sort_unstable();
        let listed = rank_keys.len() as u64;
        if kind == "fallback" {
            paths.fallback_segments.fetch_add(1, Ordering::Relaxed);
            if !FALLBACK_LOGGED.swap(true, Ordering::Relaxed) {
                eprintln!(
                    "warning: a q read listed {listed} matches of {}: the Redis data has no \
                     prefix score sets (imported or changed by an older version), so q under \
                     sort=score|mode|region costs O(matches); run `leaderboard-function \
                     import` again to build them (logged once)",
                    plan.selection
                );
            }
        } else {
            paths.listed_segments.fetch_add(1, Ordering::Relaxed);
            paths.most_listed.fetch_max(listed, Ordering::Relaxed);
        }
        segments.push(Segment::Listed { rank_keys });
    }
    Ok(segments)
}

/// How `q` reads under a score order were answered, per segment, since the store was
/// made: counted so tests can pin which path a read took (no timing involved).
#[derive(Debug, Default)]
pub struct ReadPaths {
    prefix_set_segments: AtomicU64,
    listed_segments: AtomicU64,
    most_listed: AtomicU64,
    fallback_segments: AtomicU64,
}

/// A snapshot of [`ReadPaths`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadPathCounts {
    /// Segments paged by index in a prefix set.
    pub prefix_set_segments: u64,
    /// Segments whose at most T matches were listed and sorted.
    pub listed_segments: u64,
    /// The most matches one listed segment fetched (never more than T).
    pub most_listed: u64,
    /// Segments listed because the prefix set was missing (older data): O(matches).
    pub fallback_segments: u64,
}

impl ReadPaths {
    pub fn counts(&self) -> ReadPathCounts {
        ReadPathCounts {
            prefix_set_segments: self.prefix_set_segments.load(Ordering::Relaxed),
            listed_segments: self.listed_segments.load(Ordering::Relaxed),
            most_listed: self.most_listed.load(Ordering::Relaxed),
            fallback_segments: self.fallback_segments.load(Ordering::Relaxed),
        }
    }
}

/// Sends a pipeline (nothing, when it is empty: Redis refuses an empty one).
async fn run(conn: &mut Conn, pipe: &redis::Pipeline) -> Result<Vec<Value>, RedisError> {
    if pipe.cmd_iter().next().is_none() {
        return Ok(Vec::new());
    }
    pipe.query_async(conn).await
}

/// The forward position of the rank key `best` in the concatenated segments.
async fn locate(
    conn: &mut Conn,
    segments: &[Segment],
    best: &str,
    name_key: &[u8],
) -> Result<Option<u64>, ReadError> {
    let mut pipe = redis::pipe();
    for segment in segments {
        if let Segment::Indexed { key, name_set, .. } = segment {
            if *name_set {
                pipe.zrank(key, name_member(name_key, best));
            } else {
                pipe.zrank(key, best);
            }
        }
    }
    let mut ranks = run(conn, &pipe).await?.into_iter();
    let mut before = 0;
    for segment in segments {
        let within = match segment {
            Segment::Indexed { base, len, .. } => {
                let rank: Option<u64> = from_redis_value(ranks.next().unwrap_or(Value::Nil))?;
                rank.filter(|r| *r >= *base && *r < base + len)
                    .map(|r| r - base)
            }
            Segment::Listed { rank_keys } => rank_keys
                .binary_search_by(|k| k.as_str().cmp(best))
                .ok()
                .map(|i| i as u64),
        };
        if let Some(within) = within {
            return Ok(Some(before + within));
        }
        before += segment.len();
    }
    Ok(None)
}

/// Rank keys at forward positions `from..to` of the concatenated segments.
async fn read_window(
    conn: &mut Conn,
    segments: &[Segment],
    from: u64,
    to: u64,
) -> Result<Vec<String>, ReadError> {
    enum Part<'a> {
        Fetched { name_set: bool },
        Listed(&'a [String]),
    }
    let mut pipe = redis::pipe();
    let mut parts = Vec::new();
    let mut start = 0;
    for segment in segments {
        let end = start + segment.len();
        let (lo, hi) = (from.max(start), to.min(end));
        if lo < hi {
            match segment {
                Segment::Indexed {
                    key,
                    name_set,
                    base,
                    ..
                } => {
                    pipe.cmd("ZRANGE")
                        .arg(key)
                        .arg(base + lo - start)
                        .arg(base + hi - start - 1);
                    parts.push(Part::Fetched {
                        name_set: *name_set,
                    });
                }
                Segment::Listed { rank_keys } => parts.push(Part::Listed(
                    &rank_keys[(lo - start) as usize..(hi - start) as usize],
                )),
            }
        }
        start = end;
    }
    let mut fetched = run(conn, &pipe).await?.into_iter();
    let mut out = Vec::new();
    for part in parts {
        match part {
            Part::Listed(keys) => out.extend(keys.iter().cloned()),
            Part::Fetched { name_set } => {
                let members: Vec<Vec<u8>> = from_redis_value(fetched.next().unwrap_or(Value::Nil))?;
                for member in members {
                    let key = if name_set {
                        rank_key_of_name_member(&member).map(str::to_string)
                    } else {
                        String::from_utf8(member).ok()
                    };
                    out.push(key.ok_or_else(|| ReadError::Inconsistent("a set member".into()))?);
                }
            }
        }
    }
    Ok(out)
}

/// Records, competition ranks in `selected`, and profiles of the page's rank keys.
async fn hydrate(
    conn: &mut Conn,
    keys: &Keys,
    selected: &str,
    rank_keys: &[String],
) -> Result<Vec<LeaderboardEntry>, ReadError> {
    if rank_keys.is_empty() {
        return Ok(Vec::new());
    }
    let score_set = keys.score(selected);
    let mut pipe = redis::pipe();
    let mut hmget = redis::cmd("HMGET");
    hmget.arg(keys.records());
    for key in rank_keys {
        hmget.arg(id_of_rank_key(key).unwrap_or_default());
    }
    pipe.add_command(hmget);
    // One count per distinct score on the page: tied entries share their rank.
    let mut distinct: Vec<&str> = Vec::with_capacity(rank_keys.len());
    let which: Vec<usize> = rank_keys
        .iter()
        .map(|key| {
            let prefix = key.get(..SCORE_PREFIX_LEN).unwrap_or_default();
            match distinct.iter().position(|seen| *seen == prefix) {
                Some(at) => at,
                None => {
                    distinct.push(prefix);
                    distinct.len() - 1
                }
            }
        })
        .collect();
    for prefix in &distinct {
        pipe.cmd("ZLEXCOUNT")
            .arg(&score_set)
            .arg("-")
            .arg(format!("({prefix}"));
    }
    let mut values = pipe.query_async::<Vec<Value>>(conn).await?.into_iter();
    let records: Vec<Option<String>> = from_redis_value(values.next().unwrap_or(Value::Nil))?;
    let records = records
        .into_iter()
        .map(|r| {
            r.ok_or_else(|| ReadError::Inconsistent("a score changed during the read".into()))
                .and_then(|json| decode::<ScoreRecord>(&json))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let counted: Vec<u64> = values.map(from_redis_value).collect::<Result<_, _>>()?;
    let higher = which
        .iter()
        .map(|&at| counted.get(at).copied().unwrap_or_default());
    let mut hmget = redis::cmd("HMGET");
    hmget.arg(keys.profiles());
    for record in &records {
        hmget.arg(&record.profile_id);
    }
    let profiles: Vec<Option<String>> = hmget.query_async(conn).await?;
    records
        .into_iter()
        .zip(profiles)
        .zip(higher)
        .map(|((score, profile), higher)| {
            let profile = profile
                .ok_or_else(|| ReadError::Inconsistent("a score's profile is missing".into()))
                .and_then(|json| decode::<Profile>(&json))?;
            Ok(LeaderboardEntry {
                rank: higher + 1,
                score,
                profile,
            })
        })
        .collect()
}

/// Name → count pairs of a facet hash.
type Counts = Vec<(String, u64)>;

/// Modes and regions with counts, totals, and (when there are timed scores) which retained
/// periods hold scores: one round trip, one `ZCARD` per retained period.
pub async fn meta(
    conn: &mut Conn,
    keys: &Keys,
    now: PlayedAt,
    retention: &Retention,
) -> Result<LeaderboardMeta, ReadError> {
    let retained: Vec<Period> = PeriodKind::RESETTING
        .into_iter()
        .flat_map(|kind| retention.retained(kind, now))
        .collect();
    let mut pipe = redis::pipe();
    pipe.hgetall(keys.mode_counts())
        .hgetall(keys.region_counts())
        .zcard(keys.score(&selection(None, None)))
        .hlen(keys.players())
        .get(keys.timed());
    for period in &retained {
        let scope = period_scope(Some(period));
        pipe.zcard(keys.score(&format!("{scope}{}", selection(None, None))));
    }
    let mut values = pipe.query_async::<Vec<Value>>(conn).await?.into_iter();
    let mut next = || values.next().unwrap_or(Value::Nil);
    let modes: Counts = from_redis_value(next())?;
    let regions: Counts = from_redis_value(next())?;
    let total_scores: u64 = from_redis_value(next())?;
    let total_players: u64 = from_redis_value(next())?;
    let timed: Option<u64> = from_redis_value(next())?;
    let mut held = HashMap::with_capacity(retained.len());
    for period in retained {
        held.insert(period, from_redis_value::<u64>(next())? > 0);
    }
    let facets = |counts: Vec<(String, u64)>| {
        let mut facets: Vec<FacetCount> = counts
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(name, count)| FacetCount { name, count })
            .collect();
        facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        facets
    };
    let periods = match timed {
        Some(count) if count > 0 => PeriodsMeta::new(now, retention, |period| {
            held.get(period).copied().unwrap_or(false)
        }),
        _ => None,
    };
    Ok(LeaderboardMeta {
        modes: facets(modes),
        regions: facets(regions),
        total_scores,
        total_players,
        periods,
    })
}

pub fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ReadError> {
    serde_json::from_str(json).map_err(|e| ReadError::Inconsistent(format!("stored JSON: {e}")))
}
