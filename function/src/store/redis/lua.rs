//! The Lua the post and removal scripts share, put in front of each script's text: the
//! four selections of a (mode, region) and the search prefixes of a name key. Both scripts
//! must see the same sets a score belongs to, or a removal would leave entries a post made.

/// `sels(mode, region)`: the selection suffixes of the keys a score is in;
/// `prefixes(name key)`: its char-boundary prefixes, as `keys::search_prefix_ends`.
pub const SHARED: &str = r#"
local function sels(m, r)
  return {'all', 'm:' .. m, 'r:' .. r, 'mr:' .. #m .. ':' .. m .. r}
end
-- The escaped lower-cased name at the start of a name key, and its char-boundary prefixes
-- (by UTF-8 lead byte; NUL is escaped as 00 FF, 00 01 ends the field): as
-- keys::search_prefix_ends.
local function prefixes(nk)
  local out, i, len = {}, 1, #nk
  while i <= len do
    local b = string.byte(nk, i)
    local step
    if b == 0 then
      if string.byte(nk, i + 1) == 1 then break end
      step = 2
    elseif b < 128 then step = 1
    elseif b >= 240 then step = 4
    elseif b >= 224 then step = 3
    else step = 2 end
    i = math.min(i + step, len + 1)
    out[#out + 1] = string.sub(nk, 1, i - 1)
  end
  return out
end
"#;
