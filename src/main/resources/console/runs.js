// Runs of an import (with a chart of the last runs) and one run with its files. Both poll every second while
// a run is under way, so its progress bar moves.
import * as api from './api.js';
import { h, replace, table, badge } from './dom.js';
import { time, count } from './format.js';
import { runBars } from './charts.js';

const underWay = (run) => run.fetch_status === 'Fetching' || run.processing_status === 'Processing'
  || (run.fetch_status === 'Fetched' && !run.processing_status);

function progress(run) {
  const percent = run.percent_processed === null || run.percent_processed === undefined ? null : Number(run.percent_processed);
  const bar = h('progress', { max: 100, 'aria-label': `Rows processed of run ${run.id}` });
  if (percent !== null) bar.value = percent;
  else if (!underWay(run)) bar.value = 0;
  return h('span', { class: 'progress-line' }, bar, h('small', {}, percent === null ? '—' : `${percent.toFixed(0)} %`));
}

function errorsButton(run, ctx) {
  return h('button', { type: 'button', class: 'link', 'data-errors-csv': run.id, disabled: !run.rows_errored && !run.reason,
    'aria-label': `Download errors.csv of run ${run.id}`, onclick: async () => {
      try { await api.download(`/api/runs/${run.id}/errors.csv`, `errors-${run.id}.csv`); } catch (e) { ctx.fail(e); }
    } }, 'errors.csv');
}

function status(run) {
  return h('span', {}, badge(run.processing_status || run.fetch_status), run.reason ? h('small', { class: 'reason' }, ' ' + run.reason) : null);
}

export async function renderImport(page, [name], ctx) {
  const chart = h('figure', { class: 'card' });
  const list = h('div');
  replace(page, h('p', {}, h('a', { href: '#/imports' }, '← Imports & syncs')),
    h('h2', {}, 'Runs of ', h('span', { id: 'runs-of' }, name)), chart, list);
  let busy = false;
  await ctx.poll(async () => {
    const answer = await api.get(`/api/imports/${encodeURIComponent(name)}/runs?limit=20`);
    busy = answer.runs.some(underWay);
    replace(chart, runBars(answer.runs), h('figcaption', {},
      h('span', { class: 'key accepted' }, 'accepted'), ' and ', h('span', { class: 'key rejected' }, 'rejected'),
      ` rows in the last ${answer.runs.length} runs (of ${answer.total}), oldest first`));
    replace(list, table(`Runs of ${name}, newest first`,
      ['Started', 'Trigger', 'Fetch', 'Processing', 'Total', 'Accepted', 'Rejected', 'Warnings', 'Processed', 'Rejected rows'],
      answer.runs.map((run) => Object.assign([
        h('a', { href: `#/runs/${run.id}` }, time(run.fetch_started_at)),
        `${run.kind} · ${run.trigger}`,
        h('span', {}, badge(run.fetch_status), h('br'), h('small', {}, 'until ', time(run.fetch_ended_at))),
        h('span', {}, status(run), h('br'), h('small', {}, 'until ', time(run.processing_ended_at))),
        count(run.rows_total), count(run.rows_processed), count(run.rows_errored), count(run.rows_warnings),
        progress(run), errorsButton(run, ctx),
      ], { attributes: { 'data-run-id': run.id } }))));
  }, () => (busy ? 1000 : 5000));
}

export async function renderRun(page, [id], ctx) {
  const body = h('div');
  replace(page, body);
  let busy = true;
  await ctx.poll(async () => {
    const run = await api.get(`/api/runs/${id}`);
    busy = underWay(run);
    const facts = [
      ['Import', h('a', { href: `#/imports/${encodeURIComponent(run.import)}/runs` }, run.import)],
      ['Kind · trigger', `${run.kind} · ${run.trigger}`],
      ['Fetch', h('span', {}, badge(run.fetch_status), ' ', time(run.fetch_started_at), ' – ', time(run.fetch_ended_at))],
      ['Processing', h('span', { id: 'run-processing' }, badge(run.processing_status), ' ', time(run.processing_started_at), ' – ', time(run.processing_ended_at))],
      ['Rows', h('span', { id: 'run-counts' }, `${count(run.rows_total)} total, ${count(run.rows_processed)} accepted, `
        + `${count(run.rows_errored)} rejected, ${count(run.rows_warnings)} warnings`)],
      ['Processed', progress(run)],
      ['Rejected rows', errorsButton(run, ctx)],
    ];
    if (run.reason) facts.push(['Reason', run.reason]);
    replace(body,
      h('p', {}, h('a', { href: `#/imports/${encodeURIComponent(run.import)}/runs` }, `← Runs of ${run.import}`)),
      h('h2', {}, 'Run ', h('code', {}, run.id)),
      h('dl', { class: 'facts', id: 'run', 'data-run-id': run.id, 'data-processing-status': run.processing_status || '',
        'data-rows-processed': run.rows_processed, 'data-rows-errored': run.rows_errored },
      facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
      table('Files of the run', ['File', 'Size', 'Status', 'Rows total', 'Accepted', 'Rejected', 'Warnings', 'Started', 'Ended', 'Reason'],
        (run.files || []).map((f) => [f.name, f.size_bytes === null ? '—' : `${count(f.size_bytes)} B`, badge(f.status),
          count(f.rows_total), count(f.rows_processed), count(f.rows_errored), count(f.rows_warnings),
          time(f.started_at), time(f.ended_at), f.reason || ''])));
  }, () => (busy ? 1000 : 5000));
}
