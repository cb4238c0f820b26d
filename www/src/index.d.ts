// Types of the space-leaderboard ESM entry. The options mirror the widget's one options
// type (src/options.rs, `WidgetOptions`): camelCase here, kebab-case as attributes
// (`pageSize` = `page-size` = `data-page-size`). Values may also be given as strings, as
// attributes give them; a bad value shows a readable message inside the widget.

/** Colour theme; `auto` follows `prefers-color-scheme`. Default `dark`. */
export type LeaderboardTheme = 'light' | 'dark' | 'auto';
/** Server-side sort key. Default `score`. */
export type LeaderboardSort = 'score' | 'player' | 'mode' | 'region';
/** Sort order. Default `desc` for `score`, `asc` for the others. */
export type LeaderboardOrder = 'asc' | 'desc';

/** A boolean option: `true`/`false`, or as an attribute `"true" | "false" | ""` (present = true). */
type Flag = boolean | 'true' | 'false' | '' | '1' | '0' | 'yes' | 'no' | 'on' | 'off';

/** Every option of the widget. All are optional. */
export interface LeaderboardOptions {
  /** URL of the leaderboard function (absolute http(s) or relative). Default `/api/LeaderboardFunction`. */
  endpoint?: string;
  /** Initial game mode filter (`Solo`, `Duo`, …); empty or absent: all modes. */
  mode?: string;
  /** Initial region filter (`Milky Way`, `Andromeda`, …); empty or absent: all regions. */
  region?: string;
  /** Lock the mode filter (its control is hidden): `true` locks `mode`; a name locks to that mode. */
  lockMode?: Flag | string;
  /** Lock the region filter: `true` locks `region`; a name locks to that region. */
  lockRegion?: Flag | string;
  /** Rows per page, 1 to 50. Default 10. */
  pageSize?: number | string;
  sort?: LeaderboardSort;
  order?: LeaderboardOrder;
  theme?: LeaderboardTheme;
  /** BCP 47 locale for numbers (`de`, `en-US`); default: the reader's. */
  locale?: string;
  /** Table caption. Default `Space Game leaderboard`. */
  title?: string;
  /** Show the mode/region filters. Default true. */
  showFilters?: Flag;
  /** Show the player search box. Default true. */
  showSearch?: Flag;
  /** Denser rows and smaller type. Default false. */
  compact?: Flag;
  /** Live refresh interval in seconds (1 to 86400; 0 = off). Paused while the page is hidden. */
  refresh?: number | string;
  /** Keep the filters in the page URL (`?mode=Solo&region=Milky%20Way`). Default false: off for embeds. */
  syncUrl?: Flag;
  /** A profile id: shows a "Find me" button that jumps to that player's page. */
  player?: string;
}

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
 * Default: the `.wasm` file next to this module. Called by `mount` when needed.
 */
export function load(
  wasm?: string | URL | Request | Response | Promise<Response> | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Mounts a leaderboard in `host` (inside its open shadow root). Throws only if `host` is not an element. */
export function mount(host: Element, options?: LeaderboardOptions): LeaderboardHandle;

/**
 * Mounts every `[data-space-leaderboard]` element not mounted yet (options from `data-*`); resolves to how many.
 * The first call also watches the page: such elements added later are mounted, removed ones destroyed.
 */
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
  /** Resolves once the wasm is instantiated. */
  readonly ready: Promise<unknown>;
  mount(host: Element, options?: LeaderboardOptions): Omit<LeaderboardHandle, 'destroyed'>;
  mountAll(): Promise<number>;
  defineElement(name?: string): Promise<unknown>;
}
