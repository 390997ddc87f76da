// Imports and syncs: status, schedule, last run, freshness, health; run now, pause, resume; upload and check
// a CSV; download the template of an event type.
import * as api from './api.js';
import { h, replace, table, badge } from './dom.js';
import { time, count, age } from './format.js';

const path = (name) => '/api/imports/' + encodeURIComponent(name);

export async function render(page, params, ctx) {
  const list = h('div', { id: 'imports' });
  const uploadBox = h('section', { class: 'card', 'aria-labelledby': 'upload-title' });
  const templateBox = h('section', { class: 'card', 'aria-labelledby': 'template-title' });
  replace(page, h('h2', {}, 'Imports & syncs'), list, h('div', { class: 'two' }, uploadBox, templateBox));

  const [types] = await Promise.all([api.get('/api/event-types')]);
  let forms = false;
  await ctx.poll(async () => {
    const [answer, health] = await Promise.all([api.get('/api/imports?limit=500'), api.get('/health')]);
    replace(list, importsTable(answer.imports, health.checks || {}, ctx));
    if (!forms) {
      forms = true;
      uploadForm(uploadBox, answer.imports.filter((i) => i.kind !== 'warehouse'), types.event_types, ctx);
      templateForm(templateBox, types.event_types, ctx);
    }
  }, 5000);
}

function importsTable(imports, checks, ctx) {
  const rows = imports.map((item) => {
    const check = checks[(item.kind === 'warehouse' ? 'sync:' : 'import:') + item.name];
    const last = item.last_run;
    const cells = [
      h('a', { href: `#/imports/${encodeURIComponent(item.name)}/runs` }, item.name),
      item.kind,
      h('span', {}, badge(item.status), item.paused_reason ? h('small', { class: 'reason' }, ' ' + item.paused_reason) : null,
        item.reason ? h('small', { class: 'reason' }, ' ' + item.reason) : null),
      check ? h('span', { title: check.reason || '' }, badge(check.status)) : '—',
      h('span', {}, item.schedule || '—', item.next_run ? h('br') : null, item.next_run ? h('small', {}, 'next ', time(item.next_run)) : null),
      last ? h('span', {}, badge(last.processing_status || last.fetch_status), ' ',
        h('small', {}, `${count(last.rows_processed)} accepted, ${count(last.rows_errored)} rejected · `, time(last.fetch_started_at)))
        : '—',
      h('span', { title: item.newest_data_at || '' }, age(item.freshness_seconds)),
      actions(item, ctx),
    ];
    cells.attributes = { 'data-import': item.name };
    return cells;
  });
  return table('Every import and warehouse sync', ['Name', 'Kind', 'Status', 'Health', 'Schedule', 'Last run', 'Freshness', 'Actions'], rows);
}

function actions(item, ctx) {
  const box = h('div', { class: 'actions' });
  const act = (label, fn) => h('button', { type: 'button', onclick: async (e) => {
    e.target.disabled = true;
    try { await fn(); } catch (err) { ctx.fail(err); } finally { e.target.disabled = false; }
  }, 'aria-label': `${label} ${item.name}` }, label);
  if (item.kind !== 'upload' && item.status !== 'Draft' && item.status !== 'Disabled') {
    box.append(act('Run now', async () => {
      const run = await api.post(path(item.name) + '/run');
      ctx.tell(`Run ${run.run_id} of ${item.name} started.`);
      ctx.go(`#/runs/${run.run_id}`);
    }));
    if (item.status === 'Paused') {
      box.append(act('Resume', async () => {
        await api.post(path(item.name) + '/resume');
        ctx.tell(`${item.name} resumed.`);
        ctx.go('#/imports');
      }));
    } else {
      box.append(act('Pause', () => pause(item.name, ctx)));
    }
  }
  return box;
}

function pause(name, ctx) {
  const dialog = document.getElementById('pause-dialog');
  const reason = document.getElementById('pause-reason');
  document.getElementById('pause-name').textContent = name;
  reason.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', async () => {
      try {
        if (dialog.returnValue === 'pause') {
          const query = reason.value.trim() ? '?reason=' + encodeURIComponent(reason.value.trim()) : '';
          await api.post(path(name) + '/pause' + query);
          ctx.tell(`${name} paused.`);
          ctx.go('#/imports');
        }
      } catch (e) {
        ctx.fail(e);
      }
      resolve();
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    reason.focus();
  });
}

function uploadForm(box, imports, types, ctx) {
  const importSelect = h('select', { id: 'upload-import', name: 'import', required: true },
    imports.map((i) => h('option', { value: i.name }, `${i.name} (${i.kind})`)));
  const codeSelect = h('select', { id: 'upload-code', name: 'event_code' },
    h('option', { value: '' }, '— from the file\'s event column —'),
    types.map((t) => h('option', { value: t.code }, `${t.code} · ${t.name}`)));
  const file = h('input', { id: 'upload-file', name: 'file', type: 'file', accept: '.csv,text/csv', required: true });
  const progress = h('progress', { id: 'upload-progress', max: 100, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const progressText = h('span', { id: 'upload-progress-text', class: 'muted' });
  const result = h('div', { id: 'upload-result', 'aria-live': 'polite' });
  const form = h('form', { id: 'upload-form' },
    h('div', { class: 'field' }, h('label', { for: 'upload-import' }, 'Import'), importSelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-code' }, 'Event code'), codeSelect),
    h('div', { class: 'field' }, h('label', { for: 'upload-file' }, 'CSV file'), file),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'upload-submit', value: 'import' }, 'Upload and import'),
      h('button', { type: 'submit', id: 'upload-check', value: 'check', class: 'secondary' }, 'Check only')),
    h('div', { class: 'progress-line' }, progress, progressText),
    result);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const dryRun = event.submitter && event.submitter.value === 'check';
    const chosen = file.files[0];
    if (!chosen) return;
    const query = new URLSearchParams({ file_name: chosen.name });
    if (codeSelect.value) query.set('event_code', codeSelect.value);
    if (dryRun) query.set('dry_run', 'true');
    progress.hidden = false;
    progress.value = 0;
    replace(result);
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const answer = await api.upload(`${path(importSelect.value)}/upload?${query}`, chosen, (sent, total) => {
        progress.value = total ? Math.round(sent / total * 100) : 0;
        progressText.textContent = `${count(sent)} of ${count(total)} bytes sent`;
      });
      progress.value = 100;
      replace(result, dryRun ? checkResult(answer) : importResult(answer));
    } catch (e) {
      ctx.fail(e);
    } finally {
      for (const b of form.querySelectorAll('button')) b.disabled = false;
    }
  });
  replace(box, h('h3', { id: 'upload-title' }, 'Upload a CSV'), form);
}

function importResult({ status, body }) {
  if (!body.id) return h('p', { class: 'error', role: 'alert' }, `Upload refused (${status}): ${body.error}`);
  return h('div', { class: 'result', id: 'upload-run', 'data-run-id': body.id },
    h('p', {}, badge(body.file_status), ` ${body.file}: ${count(body.rows_processed)} accepted, `,
      `${count(body.rows_errored)} rejected, ${count(body.rows_warnings)} warnings.`),
    body.reason ? h('p', { class: 'reason' }, body.reason) : null,
    h('p', {}, h('a', { href: `#/runs/${body.id}`, id: 'upload-run-link' }, 'Open the run')));
}

function checkResult({ status, body }) {
  if (!body.dry_run) return h('p', { class: 'error', role: 'alert' }, `Check refused (${status}): ${body.error}`);
  const rows = body.rejected.map((r) => [String(r.row), r.reason, h('code', {}, r.raw_line)]);
  return h('div', { class: 'result', id: 'check-result' },
    h('p', {}, h('strong', {}, 'Check only — nothing was imported. '),
      h('span', { class: 'badge ' + (body.file_status === 'Rejected' ? 'bad' : 'ok') },
        body.file_status === 'Rejected' ? 'Would be rejected' : 'Would be imported'),
      ` ${body.file}: ${count(body.rows_total)} rows, ${count(body.rows_processed)} would be accepted, `,
      h('span', { id: 'check-rejected' }, `${count(body.rows_errored)} would be rejected`), '.'),
    body.reason ? h('p', { class: 'reason', role: 'alert' }, body.reason) : null,
    rows.length ? table(body.rejected_shown < body.rows_errored
      ? `First ${body.rejected_shown} rows that would be rejected` : 'Rows that would be rejected',
    ['Row', 'Reason', 'Line'], rows) : null);
}

function templateForm(box, types, ctx) {
  const select = h('select', { id: 'template-code' }, types.map((t) => h('option', { value: t.code }, `${t.code} · ${t.name}`)));
  const button = h('button', { type: 'button', id: 'template-download', onclick: async () => {
    try {
      await api.download(`/api/event-types/${encodeURIComponent(select.value)}/template.csv`, `${select.value}-template.csv`);
    } catch (e) {
      ctx.fail(e);
    }
  } }, 'Download template');
  replace(box, h('h3', { id: 'template-title' }, 'Template of an event type'),
    h('p', { class: 'muted' }, 'The header row a file of that event type must have.'),
    h('div', { class: 'field' }, h('label', { for: 'template-code' }, 'Event type'), select),
    h('div', { class: 'actions' }, button));
}
