// terser, as every shipped script of ours is minified: the embed's files (www/scripts/build.mjs)
// and the native page's wasm-bindgen glue (Trunk's post_build hook, Trunk.toml). Nothing it
// emits needs eval, so a strict CSP still runs the result.
//
// As a Trunk hook (`node scripts/minify-js.mjs --trunk`): minifies every .js in Trunk's staging
// folder in a release build. Trunk's own `minify` cannot parse the glue (minify-js stops at
// `export { ... as default }` and copies it unminified); the embed build sets
// TRUNK_BUILD_MINIFY=false, because it rewrites names in the glue first and minifies after.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Minifies `path` in place; `module`: an ES module (else a classic script). */
export async function minifyFile(path, module) {
  let terser;
  try {
    terser = await import('terser');
  } catch {
    throw new Error('terser not found: npm install at the repo root (a devDependency)');
  }
  const result = await terser.minify(readFileSync(path, 'utf8'), {
    module,
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true },
    mangle: true,
    format: { comments: false },
  });
  writeFileSync(path, result.code);
}

/** The subresource-integrity value of a file's bytes, as Trunk writes it (sha384). */
function integrity(path) {
  return `sha384-${createHash('sha384').update(readFileSync(path)).digest('base64')}`;
}

/**
 * Minifies the staged scripts. Trunk has already written each one's integrity into the page,
 * so the page's values are replaced with the minified files' own (SRI stays on).
 */
async function trunkHook() {
  const { TRUNK_PROFILE, TRUNK_STAGING_DIR, TRUNK_BUILD_MINIFY } = process.env;
  if (!TRUNK_STAGING_DIR) throw new Error('--trunk runs as a Trunk hook (TRUNK_STAGING_DIR unset)');
  if (TRUNK_PROFILE !== 'release' || TRUNK_BUILD_MINIFY === 'false') return;
  const pages = readdirSync(TRUNK_STAGING_DIR).filter((name) => name.endsWith('.html'));
  const html = new Map(pages.map((name) => [name, readFileSync(join(TRUNK_STAGING_DIR, name), 'utf8')]));
  for (const file of readdirSync(TRUNK_STAGING_DIR).filter((name) => name.endsWith('.js'))) {
    const path = join(TRUNK_STAGING_DIR, file);
    const before = integrity(path);
    await minifyFile(path, true);
    const after = integrity(path);
    for (const [name, text] of html) html.set(name, text.split(before).join(after));
  }
  for (const [name, text] of html) writeFileSync(join(TRUNK_STAGING_DIR, name), text);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--trunk')) {
  trunkHook().catch((error) => {
    console.error(`minify-js: ${error.message}`);
    process.exit(1);
  });
}
