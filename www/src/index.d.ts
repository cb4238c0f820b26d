// Types of the space-leaderboard embed: the ESM entry (index.js) and the classic loader's
// `window.SpaceLeaderboard`. The options are the widget's (src/options.rs): camelCase here,
// kebab-case as attributes (`pageSize` = `page-size` = `data-page-size`); a bad value shows a
// readable message inside the widget.

// BEGIN generated from src/options.rs by tests/generated.rs (SLB_WRITE_GENERATED=1 cargo test -p space-leaderboard --test generated)
/** A boolean option: `true`/`false`, or as an attribute `""`, `"true"`, `"1"`, `"yes"`, `"on"`, `"false"`, `"0"`, `"no"`, `"off"` (present and empty = true). */
type Flag = boolean | '' | 'true' | '1' | 'yes' | 'on' | 'false' | '0' | 'no' | 'off';

/** Initial period tab: all time, or the current UTC day, ISO week or month (the tabs show when the data has timed scores). Default: `all`. */
export type LeaderboardPeriod = 'all' | 'day' | 'week' | 'month';

/** `scores` lists every score, `best` each player once with their best score (the "Best per player" switch). Default: `scores`. */
export type LeaderboardView = 'scores' | 'best';

/** Sort key; the function sorts the whole board. Default: `score`. */
export type LeaderboardSort = 'score' | 'player' | 'mode' | 'region';

/** Sort order. Default: `desc` for `score`, `asc` for the others. */
export type LeaderboardOrder = 'asc' | 'desc';

/** Colour theme; `auto` follows `prefers-color-scheme`. Default: `dark`. */
export type LeaderboardTheme = 'dark' | 'light' | 'auto';

/** Every option of the widget. All are optional; values may also be strings, as attributes give them. */
export interface LeaderboardOptions {
  /** URL of the leaderboard function (absolute http(s) or relative). Default: `/api/LeaderboardFunction`. */
  endpoint?: string;
  /** Initial game mode filter (`Solo`, `Duo`, `Trio`). Default: all modes (also when empty). */
  mode?: string;
  /** Initial region filter (`Milky Way`, `Andromeda`, …). Default: all regions (also when empty). */
  region?: string;
  /** Locks the mode filter and hides its control: `true` locks `mode`, a name (`Solo`) locks to that mode. Default: `false`. */
  lockMode?: Flag | string;
  /** Locks the region filter and hides its control: `true` locks `region`, a name locks to that region. Default: `false`. */
  lockRegion?: Flag | string;
  /** Initial period tab: all time, or the current UTC day, ISO week or month (the tabs show when the data has timed scores). Default: `all`. */
  period?: LeaderboardPeriod;
  /** Locks the period and hides its tabs: `true` locks `period`, a period (`week`) locks to that period. Default: `false`. */
  lockPeriod?: Flag | string;
  /** `scores` lists every score, `best` each player once with their best score (the "Best per player" switch). Default: `scores`. */
  view?: LeaderboardView;
  /** Rows per page, 1 to 50. Default: `10`. */
  pageSize?: number | string;
  /** Sort key; the function sorts the whole board. Default: `score`. */
  sort?: LeaderboardSort;
  /** Sort order. Default: `desc` for `score`, `asc` for the others. */
  order?: LeaderboardOrder;
  /** Colour theme; `auto` follows `prefers-color-scheme`. Default: `dark`. */
  theme?: LeaderboardTheme;
  /** BCP 47 locale for numbers (`de`, `en-US`), set apart from the language. Default: the widget's language. */
  locale?: string;
  /** BCP 47 language of the widget's text (`de`, `pt-BR`, `zh-CN`, `ar`); English when no language file matches. Default: the host's nearest `lang`, then `<html lang>`, then the browser's. */
  lang?: string;
  /** Table caption, at most 200 characters. Default: `Space Game leaderboard`, in the widget's language. */
  title?: string;
  /** Shows the mode and region filters. Default: `true`. */
  showFilters?: Flag;
  /** Shows the player search box. Default: `true`. */
  showSearch?: Flag;
  /** Denser rows and smaller type. Default: `false`. */
  compact?: Flag;
  /** Live refresh every N seconds (1 to 86400; 0 = off), paused while the page is hidden. Default: off. */
  refresh?: number | string;
  /** Keeps the filters in the page URL (`?mode=Solo&region=Milky%20Way`): for the game's own page, not for embeds. Default: `false`. */
  syncUrl?: Flag;
  /** A profile id: shows a "Find me" button that jumps to that player's page. Default: none. */
  player?: string;
}
// END generated

/** Options to merge in `update`: `null` (or `undefined`) removes an option (back to its default). */
export type LeaderboardOptionChanges = {
  [K in keyof LeaderboardOptions]?: LeaderboardOptions[K] | null;
};

/** A mounted widget. Usable at once: calls wait for the wasm and run in call order. */
export interface LeaderboardHandle {
  readonly host: Element;
  /** Resolves to this handle once the widget is mounted; rejects if the wasm could not load. */
  readonly ready: Promise<LeaderboardHandle>;
  /** The message of the bad option the widget shows, if any (undefined until mounted). */
  readonly error: string | undefined;
  /** True once `destroy()` was called. */
  readonly destroyed: boolean;
  /** Merges options; resolves when applied, rejects with the message of a bad value (also shown in the widget). */
  update(options: LeaderboardOptionChanges): Promise<void>;
  /** Removes the widget: nodes, stylesheet, listeners, timers. Idempotent. */
  destroy(): Promise<void>;
}

/** Every option name, camelCase. */
export const OPTION_NAMES: readonly (keyof LeaderboardOptions)[];

/**
 * Loads and instantiates the wasm once per page (later calls return the same promise).
 * Default: the `.wasm` file next to this module. Called by `mount` when needed. Once
 * instantiated, the wasm mounts every `[data-space-leaderboard]` element (options from
 * `data-*`) and watches the page: such elements added later are mounted, removed ones destroyed.
 */
export function load(
  wasm?: string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Mounts a leaderboard in `host` (inside its open shadow root). Throws only if `host` is not an element. */
export function mount(host: Element, options?: LeaderboardOptions): LeaderboardHandle;

/** Mounts every `[data-space-leaderboard]` element not mounted yet (the wasm does at load); resolves to how many. */
export function mountAll(): Promise<number>;

/** How many widgets are live on the page (0 before the wasm has loaded). */
export function mountedCount(): number;

/** Options read from an element's attributes (`page-size` or `data-page-size`). */
export function optionsFromAttributes(element: Element): LeaderboardOptions;

/** The `<space-leaderboard>` element: attributes are options; removal destroys the widget. */
export interface SpaceLeaderboardElement extends HTMLElement {
  /** The widget handle while the element is connected. */
  readonly handle: LeaderboardHandle | null;
}

/** Defines the custom element (default `space-leaderboard`); returns its class. Safe to call twice. */
export function defineElement(name?: string): { new (): SpaceLeaderboardElement; prototype: SpaceLeaderboardElement };

/** `window.SpaceLeaderboard`, defined by the classic loader `space-leaderboard.js`. */
export interface SpaceLeaderboardGlobal {
  readonly version: string;
  /** Resolves to this object once the wasm is instantiated; rejects if it could not load. */
  readonly ready: Promise<SpaceLeaderboardGlobal>;
  mount(host: Element, options?: LeaderboardOptions): LeaderboardHandle;
  mountAll(): Promise<number>;
  mountedCount(): number;
  /** Defines the custom element under another name too (`<space-leaderboard>` is defined already). */
  defineElement(name?: string): Promise<unknown>;
}
