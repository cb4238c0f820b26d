// Shortens the names the wasm imports from its wasm-bindgen glue. wasm-bindgen names each
// import `__wbg_<method>_<16 hex digits>` (182 of them for the widget), all from the module
// `./space-leaderboard-core_bg.js`; the names appear twice, in the wasm's import section and
// as keys of the glue's imports object, and their random hex digits do not compress: about
// 6 KB of the gzip embed. Both sides are renamed together (module `.`, names `a0`, `a1`, …),
// so the module instantiates exactly as before.
//
// Defensive: anything unexpected (an import kind this parser does not know, a name that is
// not exactly one object key in the glue) returns the inputs unchanged, with the reason.

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder('utf-8', { fatal: true });

class Reader {
  constructor(bytes, offset = 0) {
    this.bytes = bytes;
    this.offset = offset;
  }

  byte() {
    if (this.offset >= this.bytes.length) throw new Error('unexpected end of the wasm');
    return this.bytes[this.offset++];
  }

  /** An unsigned LEB128 number (up to 2^53, enough for sizes and indices). */
  leb() {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.byte();
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
  }

  name() {
    const length = this.leb();
    const end = this.offset + length;
    if (end > this.bytes.length) throw new Error('a name runs past the end of the wasm');
    const text = textDecoder.decode(this.bytes.subarray(this.offset, end));
    this.offset = end;
    return text;
  }

  /** Table/memory limits: a flags byte, the minimum and, when flagged, the maximum. */
  limits() {
    const flags = this.byte();
    if (flags & ~0x07) throw new Error(`unknown limits flags ${flags}`);
    this.leb();
    if (flags & 0x01) this.leb();
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

function nameBytes(text) {
  const bytes = textEncoder.encode(text);
  return [...leb(bytes.length), ...bytes];
}

/** Reads the import section body: every import with its bytes after the names. */
function readImports(body) {
  const reader = new Reader(body);
  const count = reader.leb();
  const imports = [];
  for (let index = 0; index < count; index++) {
    const module = reader.name();
    const field = reader.name();
    const descStart = reader.offset;
    const kind = reader.byte();
    if (kind === 0x00) {
      reader.leb(); // function type index
    } else if (kind === 0x01) {
      const refType = reader.byte();
      if (refType !== 0x70 && refType !== 0x6f) throw new Error(`unknown table type ${refType}`);
      reader.limits();
    } else if (kind === 0x02) {
      reader.limits();
    } else if (kind === 0x03) {
      const valueType = reader.byte();
      if (![0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x70, 0x6f].includes(valueType)) {
        throw new Error(`unknown global type ${valueType}`);
      }
      reader.byte(); // mutability
    } else {
      throw new Error(`unknown import kind ${kind}`);
    }
    imports.push({ module, field, desc: body.subarray(descStart, reader.offset) });
  }
  if (reader.offset !== body.length) throw new Error('the import section has trailing bytes');
  return imports;
}

/** What the glue's import module is renamed to. */
const SHORT_MODULE = '.';

/** The short name of the `index`-th renamed import: a0 … a9, aa … az, a10, … */
function shortName(index) {
  return `a${index.toString(36)}`;
}

/**
 * Renames the glue's imports. `wasm`: the module's bytes; `glue`: the glue's JS source
 * (before minification); `module`: the import module name the glue provides
 * (`./space-leaderboard-core_bg.js`). Returns `{ wasm, glue, renamed, skipped }`.
 */
export function shortenImportNames(wasm, glue, module) {
  const unchanged = (reason) => ({ wasm, glue, renamed: 0, skipped: reason });
  try {
    const reader = new Reader(wasm);
    const magic = wasm.subarray(0, 8);
    if (magic.length < 8 || magic[0] !== 0x00 || magic[1] !== 0x61 || magic[4] !== 0x01) {
      return unchanged('not a wasm module (version 1)');
    }
    reader.offset = 8;
    let importSection = null;
    while (reader.offset < wasm.length) {
      const start = reader.offset;
      const id = reader.byte();
      const size = reader.leb();
      const bodyStart = reader.offset;
      if (id === 2) importSection = { start, bodyStart, end: bodyStart + size };
      reader.offset = bodyStart + size;
    }
    if (reader.offset !== wasm.length) return unchanged('the wasm sections do not add up');
    if (!importSection) return unchanged('the wasm has no import section');

    const imports = readImports(wasm.subarray(importSection.bodyStart, importSection.end));
    const renames = new Map();
    for (const entry of imports) {
      if (entry.module !== module || !/^__wb\w+$/.test(entry.field)) continue;
      if (!renames.has(entry.field)) renames.set(entry.field, shortName(renames.size));
    }
    if (renames.size === 0) return unchanged(`no __wb… imports from ${module}`);

    // Each old name must be exactly one object key in the glue (`name: function`), and
    // appear nowhere else; no new name may already be a key.
    let renamedGlue = glue;
    for (const [from, to] of renames) {
      const uses = glue.split(from).length - 1;
      const keys = glue.split(`${from}:`).length - 1;
      if (uses !== 1 || keys !== 1) {
        return unchanged(`${from} appears ${uses} times in the glue (${keys} as a key)`);
      }
      if (new RegExp(`[\\s{,]${to}\\s*:`).test(glue)) return unchanged(`${to} is already a key`);
      renamedGlue = renamedGlue.replace(`${from}:`, `${to}:`);
    }
    // The module name: one quoted key of the object the glue hands to instantiate.
    const quoted = [`"${module}"`, `'${module}'`].filter((text) => glue.includes(text));
    if (quoted.length !== 1 || glue.split(quoted[0]).length !== 2 || glue.split(`${quoted[0]}:`).length !== 2) {
      return unchanged(`the module name ${module} is not exactly one key in the glue`);
    }
    if (glue.includes(`'${SHORT_MODULE}':`) || glue.includes(`"${SHORT_MODULE}":`)) {
      return unchanged(`${SHORT_MODULE} is already a key`);
    }
    renamedGlue = renamedGlue.replace(`${quoted[0]}:`, `"${SHORT_MODULE}":`);

    const body = [...leb(imports.length)];
    for (const entry of imports) {
      body.push(...nameBytes(entry.module === module ? SHORT_MODULE : entry.module));
      body.push(...nameBytes(renames.get(entry.field) ?? entry.field));
      body.push(...entry.desc);
    }
    const section = [2, ...leb(body.length), ...body];
    const out = new Uint8Array(wasm.length - (importSection.end - importSection.start) + section.length);
    out.set(wasm.subarray(0, importSection.start), 0);
    out.set(section, importSection.start);
    out.set(wasm.subarray(importSection.end), importSection.start + section.length);
    return { wasm: out, glue: renamedGlue, renamed: renames.size, skipped: null };
  } catch (error) {
    return unchanged(error.message);
  }
}
