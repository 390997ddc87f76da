// Small DOM helpers: every text goes in as text (textContent), never as HTML.

/** h('button', {type: 'button', onclick: f}, 'Run now') */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'class') element.className = value;
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** A table with a caption, column headers and rows of cells (a cell may be a node or text). */
export function table(caption, columns, rows, attributes = {}) {
  return h('div', { class: 'table-wrap' },
    h('table', attributes,
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, rows.length === 0
        ? h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'Nothing yet.'))
        : rows.map((cells) => h('tr', cells.attributes || {}, cells.map((c, i) => h('td', { 'data-label': columns[i] }, c)))))));
}

const WORDS = {
  Launched: 'ok', Completed: 'ok', Processed: 'ok', Fetched: 'ok', Imported: 'ok', Scheduled: 'ok', UP: 'ok',
  Replayed: 'ok', 'In progress': 'busy', Processing: 'busy', Fetching: 'busy', Replaying: 'busy',
  Paused: 'paused', Draft: 'paused', Disabled: 'paused', Error: 'warn', Dead: 'bad', Failed: 'bad',
  Rejected: 'bad', DOWN: 'bad',
};

/** A status word of the contract as a badge. */
export function badge(word) {
  if (!word) return h('span', { class: 'badge none' }, '—');
  return h('span', { class: 'badge ' + (WORDS[word] || 'none') }, word);
}
