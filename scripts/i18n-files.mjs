// The widget's language files as they ship: every file of src/i18n/ but English (compiled
// into the wasm), its values in the order of en.json's keys, written as a JSON array. The
// wasm reads a message by its index (`Msg as u32`, src/i18n.rs), so the key names stay out
// of the wasm and out of the files; the sources stay keyed objects for translators and
// tests/i18n.rs. A key a language lacks ships as `null` (the widget shows English).
//
//   import { writeLanguageFiles } from '../scripts/i18n-files.mjs'  (www/scripts/build.mjs)
//   node scripts/i18n-files.mjs --trunk                            (Trunk's post_build hook)

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'src', 'i18n');

/** `{ file, text }` for each shipped language file. */
export function languageFiles() {
  const read = (file) => JSON.parse(readFileSync(join(SOURCE, file), 'utf8'));
  const keys = Object.keys(read('en.json'));
  return readdirSync(SOURCE)
    .filter((file) => file.endsWith('.json') && file !== 'en.json')
    .sort()
    .map((file) => {
      const table = read(file);
      return { file, text: JSON.stringify(keys.map((key) => table[key] ?? null)) };
    });
}

/** Writes the shipped language files into `dir` (created if missing); returns their names. */
export function writeLanguageFiles(dir) {
  mkdirSync(dir, { recursive: true });
  const files = languageFiles();
  for (const { file, text } of files) writeFileSync(join(dir, file), text);
  return files.map(({ file }) => file);
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv.includes('--trunk')) {
  const { TRUNK_STAGING_DIR } = process.env;
  if (!TRUNK_STAGING_DIR) throw new Error('--trunk runs as a Trunk hook (TRUNK_STAGING_DIR unset)');
  writeLanguageFiles(join(TRUNK_STAGING_DIR, 'i18n'));
}
