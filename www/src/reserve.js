// Holds a widget's place on the page until the wasm draws it, so the content below does not
// move when it appears (layout shift). The widget's first render (skeleton rows and an empty
// footer bar) is exactly as tall as its first page of rows; what is estimated here is only
// that first render, from the options that set it, before any of the widget's CSS exists.
// The figures are the widget's heights as measured in Chromium with the default fonts
// (bench/analysis.md, "Layout shift"); a wrong guess costs a small shift, never a gap: the
// reservation ends on the frame the widget first paints.

/** Height of one row of the table, in CSS pixels, by density. */
const ROW = { regular: 56, compact: 44 };
/** Caption, header row, footer bar and padding, by density; more when the footer wraps. */
const CHROME = { regular: 157, compact: 146 };
const NARROW_FOOTER = 50;
/** The filter and search bar, on one line or (narrow) two. */
const TOOLBAR = { wide: 84, narrow: 150 };
/** Widths (the host's, in CSS pixels) below which the footer and the toolbar wrap. */
const FOOTER_WRAPS_BELOW = 680;
const TOOLBAR_WRAPS_BELOW = 460;
/**
 * The periods row, drawn from the first render when the options name a period or a view
 * (src/options.rs `names_period_or_view`), by the host's width from the widest: one line,
 * two (the tabs, then the rest), three (the tabs, the time left, the buttons; the widget's
 * narrow layout from 522 px down, its padding narrower below 402), four (the buttons on two
 * lines); by density.
 */
const PERIODS = {
  from: [780, 522, 402, 290, 0],
  regular: [49, 89, 116, 112, 152],
  compact: [45, 85, 112, 112, 152],
};

const isTrue = (value) => value === true || value === '' || value === 'true';
const isFalse = (value) => value === false || value === 'false';
const isOff = (value) => value == null || ['false', '0', 'no', 'off'].includes(String(value).toLowerCase());
/** Whether the options name a period or a view (the row is drawn before the meta says more). */
const namesPeriodOrView = (options) =>
  !['', 'all', 'undefined'].includes(String(options.period ?? '').toLowerCase()) ||
  !isOff(options.lockPeriod) ||
  !['', 'scores', 'undefined'].includes(String(options.view ?? '').toLowerCase());

/** The estimated height of the first render of a widget with `options` at `width` px. */
export function firstRenderHeight(options, width) {
  const density = isTrue(options.compact) ? 'compact' : 'regular';
  const size = Number.parseInt(options.pageSize ?? '', 10);
  const rows = Number.isFinite(size) ? Math.min(Math.max(size, 1), 50) : 10;
  const search = !isFalse(options.showSearch);
  const filters = !isFalse(options.showFilters) && !(isTrue(options.lockMode) && isTrue(options.lockRegion));
  let height = CHROME[density] + rows * ROW[density];
  if (width < FOOTER_WRAPS_BELOW) height += NARROW_FOOTER;
  if (search || filters) height += width < TOOLBAR_WRAPS_BELOW ? TOOLBAR.narrow : TOOLBAR.wide;
  if (namesPeriodOrView(options)) {
    height += PERIODS[density][PERIODS.from.findIndex((from) => width >= from)];
  }
  return Math.round(height);
}

/**
 * Reserves the first render's height on an empty `host` (inline `min-height`), and gives it
 * back once the widget has drawn into its shadow root (or shown why it could not).
 */
export function reserveHeight(host, options) {
  if (host.shadowRoot || host.style.minHeight || typeof requestAnimationFrame !== 'function') return;
  const width = host.getBoundingClientRect().width || host.parentElement?.clientWidth || innerWidth;
  host.style.minHeight = `${firstRenderHeight(options, width)}px`;
  const release = () => {
    // Before this frame paints: the widget's own render replaces the reservation.
    if (host.shadowRoot?.firstElementChild || !host.isConnected) host.style.minHeight = '';
    else requestAnimationFrame(release);
  };
  requestAnimationFrame(release);
}
