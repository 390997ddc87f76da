// The ops API, the console's only data path. The token (when the service asks for one) lives in this tab's
// sessionStorage and travels only in the Authorization header: never in a URL, never in a log.
const TOKEN_KEY = 'event-relay-token';

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

async function answer(response) {
  if (response.status === 401) throw new Unauthorized('the ops API wants the token');
  const type = response.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await response.json() : await response.text();
  if (!response.ok && response.status !== 422) {
    throw new ApiError(response.status, (body && body.error) || `${response.status} ${response.statusText}`, body);
  }
  return body;
}

export async function get(path) {
  return answer(await fetch(path, { headers: headers(), cache: 'no-store' }));
}

export async function post(path) {
  return answer(await fetch(path, { method: 'POST', headers: headers() }));
}

/** Fetches a file of the API (errors.csv, a template) and hands it to the browser as a download. */
export async function download(path, fileName) {
  const response = await fetch(path, { headers: headers({ Accept: 'text/csv' }) });
  if (response.status === 401) throw new Unauthorized('the ops API wants the token');
  if (!response.ok) throw new ApiError(response.status, `${path} answered ${response.status}`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** POSTs a file as text/csv, reporting the bytes sent to onProgress(sent, total); resolves {status, body}. */
export function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [name, value] of Object.entries(headers({ 'Content-Type': 'text/csv' }))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status === 401) { reject(new Unauthorized('the ops API wants the token')); return; }
      let body;
      try { body = JSON.parse(xhr.responseText); } catch { body = { error: xhr.responseText }; }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new ApiError(0, 'the upload broke off (network error)'));
    xhr.send(file);
  });
}
