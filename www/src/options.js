// generated from src/options.rs by tests/generated.rs (SLB_WRITE_GENERATED=1 cargo test -p space-leaderboard --test generated).

/** Every option of the widget, camelCase; attributes use kebab-case (`page-size`). */
export const OPTION_NAMES = Object.freeze([
  'endpoint',
  'mode',
  'region',
  'lockMode',
  'lockRegion',
  'period',
  'lockPeriod',
  'view',
  'pageSize',
  'sort',
  'order',
  'theme',
  'locale',
  'lang',
  'title',
  'showFilters',
  'showSearch',
  'compact',
  'refresh',
  'syncUrl',
  'player',
]);
