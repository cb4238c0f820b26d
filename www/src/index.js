// space-leaderboard: the ESM entry (npm, bundlers). The implementation is embed.js; this file
// says where the glue and the wasm are. Both are literal relative imports, so bundlers (Vite,
// webpack) find them and emit the wasm as an asset.

import * as glue from './space-leaderboard-core.js';
import { locate } from './embed.js';

locate(
  () => Promise.resolve(glue),
  () => new URL('./space-leaderboard-core_bg.wasm', import.meta.url),
  new URL('./', import.meta.url),
);

export {
  OPTION_NAMES,
  defineElement,
  load,
  mount,
  mountAll,
  mountedCount,
  optionsFromAttributes,
} from './embed.js';
