//! Posted scores: one Lua script per score, so each is applied atomically (in every set of
//! its four selections, or in none) and idempotently by id.

use std::sync::LazyLock;

use leaderboard_model::{BoardRank, PostedScore, Profile, ScoreRecord};
use redis::{RedisError, Script};

use super::conn::Conn;
use super::keys::{
    name_key, player_prefix, prefix_successor, rank_key, score_prefix, Keys, TERMINATOR,
};
use super::read::{decode, ReadError};
use crate::store::NewScore;

/// KEYS[1] = the version key (routes the script to the `{lb}` slot; every key it touches
/// carries that tag). ARGV: 1 key prefix, 2 score id, 3 score JSON, 4 profile id,
/// 5 rank key, 6 score prefix, 7 mode, 8 region, 9 name key of the sent profile ("" when
/// none), 10 profile JSON ("" when none), 11 player prefix, 12 its successor.
///
/// Answers `{"conflict"}`, `{"unknown"}`, or `{"same"|"created", score JSON, profile
/// JSON, rank all, rank mode, rank region, rank mode+region}`. String comparisons that
/// need byte order are made by Redis (ZRANK), never by Lua (`<` on strings uses the
/// server's locale).
const POST_SCRIPT: &str = r#"
local P = ARGV[1]
local id, rec, pid, rank, hex = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local mode, region, nkey, prof = ARGV[7], ARGV[8], ARGV[9], ARGV[10]
local pfx, pfx_next = ARGV[11], ARGV[12]
local function sels(m, r)
  return {'all', 'm:' .. m, 'r:' .. r, 'mr:' .. #m .. ':' .. m .. r}
end
local function answer(status, sl)
  local out = {status, redis.call('HGET', P .. 'rec', id), redis.call('HGET', P .. 'prof', pid) or ''}
  for _, s in ipairs(sl) do
    out[#out + 1] = 1 + redis.call('ZLEXCOUNT', P .. 'score:' .. s, '-', '(' .. hex)
  end
  return out
end
local mine = sels(mode, region)
local existing = redis.call('HGET', P .. 'rec', id)
if existing then
  if existing ~= rec then return {'conflict'} end
  return answer('same', mine)
end
local stored = redis.call('HGET', P .. 'prof', pid)
if (not stored) and prof == '' then return {'unknown'} end
if prof ~= '' and prof ~= stored then
  redis.call('HSET', P .. 'prof', pid, prof)
  local old = redis.call('HGET', P .. 'pkey', pid)
  if old ~= nkey then
    redis.call('HSET', P .. 'pkey', pid, nkey)
    if old then
      local entries = redis.call('ZRANGE', P .. 'pscores', '[' .. pfx, '(' .. pfx_next, 'BYLEX')
      for _, entry in ipairs(entries) do
        local r2 = string.sub(entry, #pfx + 1)
        local rec2 = cjson.decode(redis.call('HGET', P .. 'rec', string.sub(r2, 17)))
        for _, s in ipairs(sels(rec2.gameMode, rec2.gameRegion)) do
          redis.call('ZREM', P .. 'name:' .. s, old .. r2)
          redis.call('ZADD', P .. 'name:' .. s, 0, nkey .. r2)
        end
      end
    end
  end
end
local key = redis.call('HGET', P .. 'pkey', pid)
redis.call('HSET', P .. 'rec', id, rec)
redis.call('ZADD', P .. 'pscores', 0, pfx .. rank)
redis.call('SADD', P .. 'keys', P .. 'rec', P .. 'prof', P .. 'pkey', P .. 'pscores',
  P .. 'players', P .. 'facet:mode', P .. 'facet:region')
for _, s in ipairs(mine) do
  local sk, nk, bk = P .. 'score:' .. s, P .. 'name:' .. s, P .. 'best:' .. s
  redis.call('ZADD', sk, 0, rank)
  redis.call('ZADD', nk, 0, key .. rank)
  local best = redis.call('HGET', bk, pid)
  if (not best) or redis.call('ZRANK', sk, rank) < redis.call('ZRANK', sk, best) then
    redis.call('HSET', bk, pid, rank)
  end
  redis.call('SADD', P .. 'keys', sk, nk, bk)
end
redis.call('HINCRBY', P .. 'facet:mode', mode, 1)
redis.call('HINCRBY', P .. 'facet:region', region, 1)
redis.call('HINCRBY', P .. 'players', pid, 1)
redis.call('INCR', P .. 'version')
return answer('created', mine)
"#;

static POST: LazyLock<Script> = LazyLock::new(|| Script::new(POST_SCRIPT));

/// Why a post was refused.
#[derive(Debug)]
pub enum PostError {
    Read(ReadError),
    UnknownProfile { profile_id: String },
    Conflict { id: String },
}

impl From<RedisError> for PostError {
    fn from(e: RedisError) -> Self {
        PostError::Read(ReadError::Redis(e))
    }
}

impl From<ReadError> for PostError {
    fn from(e: ReadError) -> Self {
        PostError::Read(e)
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Serializing these plain structs cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

/// Stores one score (and its profile, when sent) atomically.
pub async fn post_one(conn: &mut Conn, post: &NewScore) -> Result<PostedScore, PostError> {
    let keys = Keys::live();
    let record: &ScoreRecord = &post.score;
    let rank = rank_key(record);
    let (name, profile_json) = match &post.profile {
        Some(profile) => (name_key(&profile.user_name), to_json(profile)),
        None => (Vec::new(), String::new()),
    };
    let prefix = player_prefix(&record.profile_id);
    let mut prefix_next = prefix[..prefix.len() - TERMINATOR.len()].to_vec();
    prefix_next.extend_from_slice(&[0, 2]);
    debug_assert!(prefix_successor(&prefix).is_some());
    let reply: Vec<redis::Value> = POST
        .key(keys.version())
        .arg(keys.prefix)
        .arg(&record.id)
        .arg(to_json(record))
        .arg(&record.profile_id)
        .arg(&rank)
        .arg(score_prefix(record.score))
        .arg(&record.game_mode)
        .arg(&record.game_region)
        .arg(name)
        .arg(profile_json)
        .arg(prefix)
        .arg(prefix_next)
        .invoke_async(conn)
        .await?;
    let mut reply = reply.into_iter();
    let status: String = redis::from_redis_value(reply.next().unwrap_or(redis::Value::Nil))
        .map_err(RedisError::from)?;
    match status.as_str() {
        "conflict" => {
            return Err(PostError::Conflict {
                id: record.id.clone(),
            })
        }
        "unknown" => {
            return Err(PostError::UnknownProfile {
                profile_id: record.profile_id.clone(),
            })
        }
        _ => {}
    }
    let mut text = || -> Result<String, PostError> {
        Ok(
            redis::from_redis_value(reply.next().unwrap_or(redis::Value::Nil))
                .map_err(RedisError::from)?,
        )
    };
    let score: ScoreRecord = decode(&text()?)?;
    let profile: Profile = decode(&text()?)?;
    let ranks: Vec<u64> = reply
        .map(redis::from_redis_value)
        .collect::<Result<_, _>>()
        .map_err(RedisError::from)?;
    let boards = [
        (None, None),
        (Some(score.game_mode.clone()), None),
        (None, Some(score.game_region.clone())),
        (
            Some(score.game_mode.clone()),
            Some(score.game_region.clone()),
        ),
    ];
    Ok(PostedScore {
        created: status == "created",
        ranks: boards
            .into_iter()
            .zip(ranks)
            .map(|((mode, region), rank)| BoardRank { mode, region, rank })
            .collect(),
        score,
        profile,
    })
}
