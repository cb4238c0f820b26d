// The reader's language in the browser, for the wasm (src/i18n.rs imports this module; the
// embed's build bundles it into the glue, so it costs no request of its own): which language
// a widget speaks, its language file fetched once per page, and a message's text with the
// plural form the language's Intl.PluralRules picks. The wasm keeps only the message
// indexes, English's table and the filling of `{name}`s.
//
// What must stay true: `supported` matches tags exactly as `supported` in src/i18n.rs does
// (the board page's server resolves with that one; tests/i18n.rs runs both on the same
// tags); one fetch per language per page, however many widgets ask.

/** The language of everything shown when nothing else matches. */
const ENGLISH = 'en';
/** How long a widget shows no words while its language's file is on its way: then English,
 * as for a file that could not be had (a widget shown later gets the file if it came). */
const WAIT_MS = 3000;

/** Parsed tables by language: an array in `Msg` order, a promise while it is fetched
 * (for at most WAIT_MS), `null` once its file could not be had in time (English is shown). */
const tables = new Map();
/** `Intl.PluralRules` by language. */
const pluralRules = new Map();

/**
 * The language file (one of `languages`, comma-separated) that a BCP 47 tag matches: the
 * exact tag (any case), else one of the same primary language (`de-AT` → `de`, `pt` →
 * `pt-BR`); Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) only a `zh-Hant` file.
 */
export function supported(tag, languages) {
  const wanted = String(tag).trim().toLowerCase();
  const list = languages.split(',');
  const file = (name) => list.find((lang) => lang.toLowerCase() === name);
  const [primary, ...rest] = wanted.split(/[-_]/);
  if (primary === 'zh' && rest.some((part) => ['hant', 'tw', 'hk', 'mo'].includes(part))) {
    return file(wanted) ?? file('zh-hant');
  }
  return file(wanted) ?? list.find((lang) => lang.split('-')[0].toLowerCase() === primary);
}

/**
 * The language a widget speaks: its `lang` option when given (English if no file matches
 * it), else the first of the host's nearest `lang` (the page's `<html lang>` at the latest)
 * and the browser's language that a file matches; English when none does.
 */
export function widgetLanguage(option, host, languages) {
  if (option) return supported(option, languages) ?? ENGLISH;
  for (const tag of [host?.closest('[lang]')?.getAttribute('lang'), navigator.language]) {
    const lang = tag && supported(tag, languages);
    if (lang) return lang;
  }
  return ENGLISH;
}

/**
 * `lang`'s table if this page has it (English's, `english` as JSON, always); else a promise
 * that resolves once its file (`i18n/<lang>.json` beside `glueUrl`, fetched once per page:
 * the loader's preload, www/src/prefetch.js, answers it) has arrived or WAIT_MS have passed;
 * `undefined` when the file could not be had in time.
 */
export function languageTable(lang, english, glueUrl) {
  if (!tables.has(ENGLISH)) tables.set(ENGLISH, Object.assign(JSON.parse(english), { lang: ENGLISH }));
  if (!tables.has(lang)) {
    const arriving = fetch(new URL(`i18n/${lang}.json`, glueUrl))
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null)
      .then((table) => {
        tables.set(lang, Array.isArray(table) ? Object.assign(table, { lang }) : null);
      });
    const waited = Promise.race([arriving, new Promise((resolve) => setTimeout(resolve, WAIT_MS))]).then(() => {
      if (tables.get(lang) === waited) tables.set(lang, null);
    });
    tables.set(lang, waited);
  }
  return tables.get(lang) ?? undefined;
}

/**
 * Message `index` of `table` (from `languageTable`), or English's when the table lacks it:
 * its text, or for a counting message (`count` given) the plural form `count` takes in the
 * table's language (`other` when the table lacks that form). No table: a widget waiting for
 * its language's file, which shows no words.
 */
export function message(table, index, count) {
  if (!table) return '';
  const pick = (table) => {
    const value = table[index];
    if (value == null || typeof value === 'string') return value;
    if (count == null) return undefined;
    if (!pluralRules.has(table.lang)) pluralRules.set(table.lang, new Intl.PluralRules(table.lang));
    return value[pluralRules.get(table.lang).select(count)] ?? value.other;
  };
  return pick(table) ?? pick(tables.get(ENGLISH)) ?? '';
}
