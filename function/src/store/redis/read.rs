//! Reads: a leaderboard page and the meta, each in a bounded number of pipelined round
//! trips (at most six for a page, one for the meta) and O(log n + pageSize) work in Redis,
//! except `q` under a non-player sort (see the module docs of `store::redis`).
//!
//! A page is read in two steps. First the requested order is laid out as a list of
//! *segments*, each a contiguous run of one sorted set (or, for `q` under a score order,
//! the matching entries fetched and sorted), whose lengths are known: one segment for
//! `sort=score|player`, one per mode or region (in name order) for `sort=mode|region` over
//! a selection that does not fix that key. The page is then a window of the concatenated
//! segments, read forwards or backwards; `around` places the player's best entry in it
//! with one `ZRANK` per segment. Second, the page's records, ranks and profiles are fetched.

use leaderboard_model::{
    FacetCount, LeaderboardEntry, LeaderboardMeta, LeaderboardQuery, LeaderboardResponse, Profile,
    ScoreRecord, SortKey, SortOrder,
};
use redis::{from_redis_value, RedisError, Value};

use super::conn::Conn;
use super::keys::{
    id_of_rank_key, name_member, prefix_bounds, rank_key_of_name_member, search_prefix, selection,
    Keys, SCORE_PREFIX_LEN,
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
    /// name-set members (name key + rank key), else rank keys.
    Indexed {
        key: String,
        name_set: bool,
        base: u64,
        len: u64,
    },
    /// Rank keys already fetched and sorted (q under a score order).
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
) -> Result<LeaderboardResponse, ReadError> {
    let selected = selection(query.mode.as_deref(), query.region.as_deref());
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
        pipe.hget(keys.best(&selected), profile_id)
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
                selection: if group_by_mode {
                    selection(Some(name), query.region.as_deref())
                } else {
                    selection(query.mode.as_deref(), Some(name))
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

    // q under a score order over one set, not `around`: when the matches are dense enough,
    // walking the leaderboard from the top until the page is full beats fetching them all.
    if let (Some(prefix), [plan], None) = (&search, plans.as_slice(), &around) {
        if !plan.by_name {
            if let Some(page) =
                scan_if_cheaper(conn, keys, &plan.selection, prefix, query, forward).await?
            {
                let (total, rank_keys) = page;
                let scores = hydrate(conn, keys, &selected, &rank_keys).await?;
                return Ok(LeaderboardResponse::for_query(
                    query, query.page, total, scores,
                ));
            }
        }
    }

    // Round trip 2: each segment's length (or, for q under a score order, its entries).
    let mut pipe = redis::pipe();
    for plan in &plans {
        let name_set = keys.name(&plan.selection);
        match (&search, plan.by_name) {
            (None, false) => {
                pipe.zcard(keys.score(&plan.selection));
            }
            (None, true) => {
                pipe.zcard(name_set);
            }
            (Some(prefix), true) => {
                let (min, max) = prefix_bounds(prefix);
                pipe.cmd("ZLEXCOUNT")
                    .arg(&name_set)
                    .arg("-")
                    .arg(lex_below(prefix));
                pipe.cmd("ZLEXCOUNT").arg(&name_set).arg(min).arg(max);
            }
            (Some(prefix), false) => {
                let (min, max) = prefix_bounds(prefix);
                pipe.cmd("ZRANGE")
                    .arg(&name_set)
                    .arg(min)
                    .arg(max)
                    .arg("BYLEX");
            }
        }
    }
    let mut sizes = run(conn, &pipe).await?.into_iter();
    let mut segments = Vec::with_capacity(plans.len());
    for plan in &plans {
        let mut next = || sizes.next().unwrap_or(Value::Nil);
        let segment = match (&search, plan.by_name) {
            (None, by_name) => Segment::Indexed {
                key: if by_name {
                    keys.name(&plan.selection)
                } else {
                    keys.score(&plan.selection)
                },
                name_set: by_name,
                base: 0,
                len: from_redis_value(next())?,
            },
            (Some(_), true) => Segment::Indexed {
                key: keys.name(&plan.selection),
                name_set: true,
                base: from_redis_value(next())?,
                len: from_redis_value(next())?,
            },
            (Some(_), false) => {
                let members: Vec<Vec<u8>> = from_redis_value(next())?;
                let mut rank_keys = members
                    .iter()
                    .map(|m| {
                        rank_key_of_name_member(m)
                            .map(str::to_string)
                            .ok_or_else(|| ReadError::Inconsistent("a name-set member".into()))
                    })
                    .collect::<Result<Vec<String>, ReadError>>()?;
                rank_keys.sort_unstable();
                Segment::Listed { rank_keys }
            }
        };
        segments.push(segment);
    }
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

/// Walks a score set in the requested direction, keeping entries whose player's name key
/// starts with ARGV[2], until ARGV[3] are found. KEYS[1] = the score set; ARGV[1] = the key
/// prefix; ARGV[4] = `f` (forwards) or `b`. Prefix equality is `string.sub ==`, which is
/// byte equality (no locale involved).
const SCAN_SCRIPT: &str = r#"
local P, q, need, forward = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4] == 'f'
local found, start, chunk = {}, 0, 64
while #found < need do
  local batch
  if forward then
    batch = redis.call('ZRANGE', KEYS[1], start, start + chunk - 1)
  else
    batch = redis.call('ZREVRANGE', KEYS[1], start, start + chunk - 1)
  end
  if #batch == 0 then break end
  for _, rk in ipairs(batch) do
    local rec = redis.call('HGET', P .. 'rec', string.sub(rk, 17))
    if rec then
      local nk = redis.call('HGET', P .. 'pkey', cjson.decode(rec).profileId)
      if nk and string.sub(nk, 1, #q) == q then
        found[#found + 1] = rk
        if #found >= need then break end
      end
    end
  end
  start = start + chunk
  chunk = math.min(chunk * 2, 4096)
end
return found
"#;

static SCAN: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(SCAN_SCRIPT));

/// Cost of walking one leaderboard entry (two hash lookups and a JSON decode in Lua)
/// relative to listing one match (a set member sent and sorted): measured at 1,000,000
/// scores, about 9.
const WALK_COST: u64 = 10;

/// Whether walking the leaderboard for `need` matches (expected `need · selection / matches`
/// entries) is cheaper than fetching and sorting all `matches`.
pub fn scan_is_cheaper(need: u64, matches: u64, selection: u64) -> bool {
    matches > 0
        && need.saturating_mul(selection).saturating_mul(WALK_COST)
            < matches.saturating_mul(matches)
}

/// `(total, page rank keys in the requested order)` by a scan, when that is cheaper.
async fn scan_if_cheaper(
    conn: &mut Conn,
    keys: &Keys,
    selected: &str,
    prefix: &[u8],
    query: &LeaderboardQuery,
    forward: bool,
) -> Result<Option<(u64, Vec<String>)>, ReadError> {
    let (min, max) = prefix_bounds(prefix);
    let (matches, size): (u64, u64) = redis::pipe()
        .cmd("ZLEXCOUNT")
        .arg(keys.name(selected))
        .arg(min)
        .arg(max)
        .zcard(keys.score(selected))
        .query_async(conn)
        .await?;
    let offset = query.offset();
    let need = offset + u64::from(query.page_size.max(1));
    if offset >= matches {
        return Ok(Some((matches, Vec::new())));
    }
    if !scan_is_cheaper(need.min(matches), matches, size) {
        return Ok(None);
    }
    let found: Vec<String> = SCAN
        .key(keys.score(selected))
        .arg(keys.prefix)
        .arg(prefix)
        .arg(need.min(matches))
        .arg(if forward { "f" } else { "b" })
        .invoke_async(conn)
        .await?;
    let page = found
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .collect();
    Ok(Some((matches, page)))
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
    for key in rank_keys {
        let prefix = key.get(..SCORE_PREFIX_LEN).unwrap_or_default();
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
    let higher: Vec<u64> = values.map(from_redis_value).collect::<Result<_, _>>()?;
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

/// Modes and regions with counts, totals: one round trip.
pub async fn meta(conn: &mut Conn, keys: &Keys) -> Result<LeaderboardMeta, ReadError> {
    let (modes, regions, total_scores, total_players): (Counts, Counts, u64, u64) = redis::pipe()
        .hgetall(keys.mode_counts())
        .hgetall(keys.region_counts())
        .zcard(keys.score(&selection(None, None)))
        .hlen(keys.players())
        .query_async(conn)
        .await?;
    let facets = |counts: Vec<(String, u64)>| {
        let mut facets: Vec<FacetCount> = counts
            .into_iter()
            .filter(|(_, count)| *count > 0)
            .map(|(name, count)| FacetCount { name, count })
            .collect();
        facets.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        facets
    };
    Ok(LeaderboardMeta {
        modes: facets(modes),
        regions: facets(regions),
        total_scores,
        total_players,
    })
}

pub fn decode<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, ReadError> {
    serde_json::from_str(json).map_err(|e| ReadError::Inconsistent(format!("stored JSON: {e}")))
}
