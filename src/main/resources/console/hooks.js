// Hooks: status, counts, last error, latency, delivered per minute; replay all of a hook's dead letters.
import * as api from './api.js';
import { h, replace, table, badge } from './dom.js';
import { time, count, age, millis } from './format.js';
import { sparkline } from './charts.js';

export async function render(page, params, ctx) {
  const list = h('div');
  replace(page, h('h2', {}, 'Hooks'), list);
  await ctx.poll(async () => {
    const answer = await api.get('/api/hooks?limit=500');
    replace(list, table('Hooks, their deliveries on this instance in the last hour, and their last error',
      ['Hook', 'Status', 'Destination', 'Delivered · retrying · dead-lettered', 'Last delivered', 'Latency mean / max', 'Per minute', 'Last error', 'Actions'],
      answer.hooks.map((hook) => Object.assign([
        hook.name,
        badge(hook.status),
        typeof hook.destination === 'string' ? hook.destination : JSON.stringify(hook.destination),
        h('span', { class: 'counts' }, count(hook.delivered), ' · ', count(hook.retrying), ' · ',
          hook.dead_lettered ? h('a', { href: `#/dead-letters?hook=${encodeURIComponent(hook.name)}`,
            'aria-label': `${hook.dead_lettered} dead-lettered events of ${hook.name}` }, count(hook.dead_lettered)) : '0'),
        h('span', { title: hook.last_delivered_at || '' }, age(hook.freshness_seconds)),
        h('span', { title: 'from reception to the destination\'s confirm, over the last hour' },
          `${millis(hook.delivery_latency_ms && hook.delivery_latency_ms.mean)}`
          + ` / ${millis(hook.delivery_latency_ms && hook.delivery_latency_ms.max)}`),
        hook.delivered_per_minute ? sparkline(hook.delivered_per_minute) : '—',
        hook.last_error ? h('details', {}, h('summary', {}, hook.last_error.summary),
          h('dl', { class: 'facts' }, h('dt', {}, 'Code'), h('dd', {}, hook.last_error.code),
            h('dt', {}, 'External message'), h('dd', {}, hook.last_error.external_message || '—'),
            h('dt', {}, 'Date'), h('dd', {}, time(hook.last_error.date)))) : '—',
        h('button', { type: 'button', disabled: !hook.dead_lettered, 'aria-label': `Replay all dead letters of ${hook.name}`,
          onclick: async () => {
            try {
              const done = await api.post(`/api/hooks/${encodeURIComponent(hook.name)}/replay`);
              ctx.tell(`${done.replaying} dead letter(s) of ${hook.name} queued for replay.`);
            } catch (e) { ctx.fail(e); }
          } }, 'Replay all'),
      ], { attributes: { 'data-hook': hook.name } }))));
  }, 5000);
}
