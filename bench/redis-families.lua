-- Redis memory per key family of one board, for bench/redis-periods.sh: one SCAN step (the
-- cursor in ARGV[1], COUNT ARGV[2]) over the keys of prefix ARGV[3] (`{lb}:`), each key's
-- `MEMORY USAGE … SAMPLES 0` (every element counted, not an estimate) added to its family.
-- Returns the next cursor, then `family bytes keys` triples, among them `entries:<scope>`,
-- `players:<scope>` and `periods:<scope>` counts (the ZCARD of the scope's `score:<scope>all`
-- sets, the HLEN of its `best:<scope>all` hashes, and how many such sets). The caller loops
-- until the cursor is 0 and sums the triples.
--
--   redis-cli --eval bench/redis-families.lua , CURSOR COUNT PREFIX
--
-- A family is `<scope>/<kind>`: scope `all` (all time), `day`, `week`, `month` or `shared`
-- (records, profiles, per-player and manifest keys); kind `sets` (the `score:` and `name:`
-- sets of a filter selection), `best` (its `best:` hash), `pfx` (its prefix sets), `view`
-- (the `score:`/`name:` sets of its `view=best` selections, `bv:`), `group` (those of their
-- groups for `sort=mode|region`, `bg:`) and `view-pfx` (the prefix sets of both). The
-- names follow function/src/store/redis/mod.rs, "Key layout".
local cursor, count, prefix = ARGV[1], ARGV[2], ARGV[3]
local step = redis.call('SCAN', cursor, 'MATCH', prefix .. '*', 'COUNT', count)
local sums, order = {}, {}
local function add(family, bytes, keys)
  if not sums[family] then
    sums[family] = {0, 0}
    order[#order + 1] = family
  end
  sums[family][1] = sums[family][1] + bytes
  sums[family][2] = sums[family][2] + keys
end

-- The selection S of a key, and whether it is a prefix set; nil for the shared keys.
local function selection_of(rest)
  local s = string.match(rest, '^score:(.*)$') or string.match(rest, '^name:(.*)$')
  if s then return s, 'sets' end
  s = string.match(rest, '^best:(.*)$')
  if s then return s, 'best' end
  local len, at = string.match(rest, '^pfx:(%d+):()')
  if len then return string.sub(rest, at, at + tonumber(len) - 1), 'pfx' end
  return nil
end

for _, key in ipairs(step[2]) do
  local bytes = redis.call('MEMORY', 'USAGE', key, 'SAMPLES', 0) or 0
  local rest = string.sub(key, #prefix + 1)
  local s, kind = selection_of(rest)
  local scope = 'shared'
  if s then
    scope = string.match(s, '^(%a+):%d%d%d%d%-%d%d%-%d%d/')
    if scope then
      s = string.sub(s, string.find(s, '/', 1, true) + 1)
    else
      scope = 'all'
    end
    local view = string.match(s, '^b([vg]):')
    if view then
      kind = (kind == 'pfx' and 'view-pfx') or (view == 'v' and 'view') or 'group'
    end
    if s == 'all' and kind == 'sets' and string.match(rest, '^score:') then
      add('entries:' .. scope, redis.call('ZCARD', key), 0)
      add('periods:' .. scope, 1, 0)
    elseif s == 'all' and kind == 'best' then
      add('players:' .. scope, redis.call('HLEN', key), 0)
    end
  else
    kind = 'other'
  end
  add(scope .. '/' .. kind, bytes, 1)
end

local out = {step[1]}
for _, family in ipairs(order) do
  out[#out + 1] = family
  out[#out + 1] = sums[family][1]
  out[#out + 1] = sums[family][2]
end
return out
