// Dead letters, filtered by hook: the list, one letter's payload and last error, replay one.
import * as api from './api.js';
import { h, replace, table, badge } from './dom.js';
import { time } from './format.js';

export async function render(page, [hook], ctx) {
  const hooks = (await api.get('/api/hooks?limit=500')).hooks.map((x) => x.name);
  const filter = h('select', { id: 'dead-letter-hook', onchange: () => ctx.go(filter.value
    ? `#/dead-letters?hook=${encodeURIComponent(filter.value)}` : '#/dead-letters') },
  h('option', { value: '' }, 'every hook'), hooks.map((name) => h('option', { value: name, selected: name === hook }, name)));
  const list = h('div');
  const detail = h('section', { id: 'dead-letter', class: 'card', hidden: true, 'aria-live': 'polite' });
  replace(page, h('h2', {}, 'Dead letters'),
    h('div', { class: 'field inline' }, h('label', { for: 'dead-letter-hook' }, 'Hook'), filter), list, detail);
  const query = hook ? `?hook=${encodeURIComponent(hook)}&limit=200` : '?limit=200';
  await ctx.poll(async () => {
    const answer = await api.get('/api/dead-letters' + query);
    replace(list, table(`Dead letters (${answer.total}), newest first`,
      ['Id', 'Hook', 'Status', 'Events', 'Attempts', 'Failed at', 'Last error', 'Actions'],
      answer.dead_letters.map((letter) => Object.assign([
        String(letter.id), letter.hook, badge(letter.status), String(letter.events), String(letter.attempts),
        time(letter.last_error.date), letter.last_error.summary,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'secondary', 'aria-label': `Show dead letter ${letter.id}`,
            onclick: () => show(letter.id, detail, ctx) }, 'Show'),
          h('button', { type: 'button', disabled: letter.status !== 'Dead', 'aria-label': `Replay dead letter ${letter.id}`,
            onclick: async () => {
              try {
                await api.post(`/api/dead-letters/${letter.id}/replay`);
                ctx.tell(`Dead letter ${letter.id} queued for replay.`);
                ctx.go(location.hash);
              } catch (e) { ctx.fail(e); }
            } }, 'Replay')),
      ], { attributes: { 'data-dead-letter': letter.id, 'data-status': letter.status } }))));
  }, 5000);
}

async function show(id, detail, ctx) {
  try {
    const letter = await api.get(`/api/dead-letters/${id}`);
    let payload = letter.payload;
    try { payload = JSON.stringify(JSON.parse(payload), null, 2); } catch { /* shown as stored */ }
    detail.hidden = false;
    replace(detail, h('h3', {}, `Dead letter ${letter.id} of ${letter.hook}`),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Batch'), h('dd', {}, h('code', {}, letter.batch_id)),
        h('dt', {}, 'Summary'), h('dd', {}, letter.last_error.summary),
        h('dt', {}, 'Code'), h('dd', {}, letter.last_error.code),
        h('dt', {}, 'External message'), h('dd', { id: 'dead-letter-message' }, letter.last_error.external_message || '—'),
        h('dt', {}, 'Date'), h('dd', {}, time(letter.last_error.date))),
      h('h4', {}, 'Payload'), h('pre', { id: 'dead-letter-payload', tabindex: 0 }, payload));
    detail.querySelector('h3').setAttribute('tabindex', '-1');
    detail.querySelector('h3').focus();
  } catch (e) {
    ctx.fail(e);
  }
}
