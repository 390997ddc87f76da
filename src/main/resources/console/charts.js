// Two small SVG charts: accepted/rejected bars per run, and a sparkline of events delivered per minute.
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, String(v));
  return el;
}

/** Stacked bars, oldest run on the left: accepted (rows_processed) below, rejected (rows_errored) on top. */
export function runBars(runs) {
  const width = 560;
  const height = 120;
  const runsOldestFirst = [...runs].reverse();
  const max = Math.max(1, ...runsOldestFirst.map((r) => (r.rows_processed || 0) + (r.rows_errored || 0)));
  const step = width / Math.max(runsOldestFirst.length, 12);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height + 4}`, class: 'chart', role: 'img',
    'aria-label': `Rows accepted and rejected in the last ${runsOldestFirst.length} runs, oldest first` });
  runsOldestFirst.forEach((run, i) => {
    const accepted = (run.rows_processed || 0) / max * height;
    const rejected = (run.rows_errored || 0) / max * height;
    const x = i * step + step * 0.15;
    const w = Math.max(step * 0.7, 1);
    const bar = svg('g', {});
    const title = svg('title', {});
    title.textContent = `${run.fetch_started_at}: ${run.rows_processed} accepted, ${run.rows_errored} rejected`;
    bar.append(title,
      svg('rect', { x, y: height - accepted, width: w, height: accepted, class: 'accepted' }),
      svg('rect', { x, y: height - accepted - rejected, width: w, height: rejected, class: 'rejected' }));
    chart.append(bar);
  });
  chart.append(svg('line', { x1: 0, y1: height + 0.5, x2: width, y2: height + 0.5, class: 'axis' }));
  return chart;
}

/** A sparkline of the last minutes (oldest first); its label says the total and the peak. */
export function sparkline(values) {
  const width = 120;
  const height = 28;
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const step = width / Math.max(values.length - 1, 1);
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - v / max * (height - 2)).toFixed(1)}`);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'sparkline', role: 'img',
    'aria-label': `${total} events delivered in the last ${values.length} minutes, at most ${Math.max(0, ...values)} in a minute` });
  chart.append(svg('polyline', { points: points.join(' '), fill: 'none' }));
  return chart;
}
