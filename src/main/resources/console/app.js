// The ops console: asks for the token when the API wants one, then shows the page of the address's hash.
import * as api from './api.js';
import { replace } from './dom.js';
import * as imports from './imports.js';
import * as runs from './runs.js';
import * as hooks from './hooks.js';
import * as deadLetters from './dead-letters.js';
import * as errors from './errors.js';

const PAGES = [
  [/^#\/imports\/([^/]+)\/runs$/, runs.renderImport, 'imports'],
  [/^#\/runs\/([0-9a-f-]+)$/, runs.renderRun, 'imports'],
  [/^#\/hooks$/, hooks.render, 'hooks'],
  [/^#\/dead-letters(?:\?hook=(.*))?$/, deadLetters.render, 'dead-letters'],
  [/^#\/errors$/, errors.render, 'errors'],
  [/^#\/imports$/, imports.render, 'imports'],
];

const $ = (id) => document.getElementById(id);
let timers = [];
let shown = null;
let toldAt = 0;

function stopTimers() {
  timers.forEach(clearTimeout);
  timers = [];
}

/** What a page may do: poll, tell, fail (a 401 brings the prompt back). */
const context = {
  /** Calls fn now and again every ms() milliseconds while the page is shown (ms may depend on the data). */
  poll(fn, ms) {
    const page = shown;
    const tick = async () => {
      if (page !== shown) return;
      try {
        await fn();
      } catch (e) {
        context.fail(e);
      }
      if (page === shown) timers.push(setTimeout(tick, typeof ms === 'function' ? ms() : ms));
    };
    return tick();
  },
  tell(message) {
    toldAt = Date.now();
    $('status').classList.remove('error');
    $('status').textContent = message;
  },
  fail(error) {
    if (error instanceof api.Unauthorized) {
      api.setToken(null);
      askForToken('The token was refused; enter it again.');
      return;
    }
    $('status').classList.add('error');
    $('status').textContent = error.message;
  },
  go(hash) {
    if (location.hash === hash) route(); else location.hash = hash;
  },
};

function route() {
  stopTimers();
  const hash = location.hash || '#/imports';
  const [pattern, render, nav] = PAGES.find(([p]) => p.test(hash)) || PAGES[PAGES.length - 1];
  const params = (hash.match(pattern) || []).slice(1).map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === nav) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  shown = {};
  // a message told just before the page changed (run started, paused, replaying) stays on the next page
  if (Date.now() - toldAt > 2000) $('status').textContent = '';
  const page = $('page');
  replace(page);
  Promise.resolve(render(page, params, context)).catch(context.fail);
}

function showConsole() {
  $('login').hidden = true;
  $('nav').hidden = false;
  $('main').hidden = false;
  route();
}

function askForToken(message) {
  stopTimers();
  shown = null;
  $('nav').hidden = true;
  $('main').hidden = true;
  replace($('page'));
  $('login').hidden = false;
  $('login-error').textContent = message || '';
  $('token').value = '';
  $('token').focus();
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  api.setToken($('token').value.trim());
  try {
    await api.get('/api/imports?limit=1');
    showConsole();
  } catch (e) {
    api.setToken(null);
    askForToken(e instanceof api.Unauthorized ? 'That token is not the one of this service.' : e.message);
  }
});

window.addEventListener('hashchange', () => { if (shown) route(); });

(async function start() {
  try {
    await api.get('/api/imports?limit=1');
    showConsole();
  } catch (e) {
    if (e instanceof api.Unauthorized) {
      api.setToken(null);
      askForToken();
    } else {
      showConsole();
      context.fail(e);
    }
  }
})();
