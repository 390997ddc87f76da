// The error log, newest first: each entry opens to its summary, code, external message and date.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { time } from './format.js';

export async function render(page, params, ctx) {
  const list = h('div', { id: 'error-log' });
  replace(page, h('h2', {}, 'Error log'), h('p', { class: 'muted' }, 'The last 24 hours, newest first.'), list);
  await ctx.poll(async () => {
    const answer = await api.get('/api/errors?limit=200');
    const open = new Set([...list.querySelectorAll('details[open]')].map((d) => d.dataset.key));
    replace(list, answer.errors.length === 0 ? h('p', { class: 'empty' }, 'No errors in the last 24 hours.')
      : h('ol', { class: 'entries' }, answer.errors.map((e, i) => {
        const key = `${e.date}|${e.code}|${e.summary}`;
        return h('li', {}, h('details', { 'data-key': key, open: open.has(key) },
          h('summary', {}, time(e.date), ' ', h('strong', {}, e.code), ' — ', e.summary),
          h('dl', { class: 'facts' },
            h('dt', {}, 'Summary'), h('dd', {}, e.summary),
            h('dt', {}, 'Code'), h('dd', {}, e.code),
            h('dt', {}, 'External message'), h('dd', {}, e.external_message || '—'),
            h('dt', {}, 'Date'), h('dd', {}, time(e.date)),
            h('dt', {}, 'Source'), h('dd', {}, e.source))));
      })));
  }, 10000);
}
