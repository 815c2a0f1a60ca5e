// The JSON API under /api/v1 (docs/api.md), relative to the page so the
// dashboard works wherever `atalaya serve` mounts it.
const BASE = new URL('api/v1/', new URL('.', document.baseURI)).pathname.replace(/\/+/g, '/');

export class ApiError extends Error {
  constructor(status, message, parameter, body, retryAfter) {
    super(message);
    this.status = status;
    this.parameter = parameter;
    this.body = body; // the whole error answer (an upload's 422 lists its problems)
    this.retryAfter = retryAfter; // seconds, from a 429's or 503's Retry-After
  }
}

// The signed-in session's CSRF token (session.js sets it from the sign-in
// answer or /me): every change made with the session cookie must carry it.
let csrfToken = null;
export function setCsrf(token) { csrfToken = token || null; }
function changeHeaders(extra) {
  return csrfToken ? { 'X-CSRF-Token': csrfToken, ...extra } : { ...extra };
}

export function apiUrl(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return BASE + path + (s ? `?${s}` : '');
}

async function answer(res) {
  let body = null;
  const text = await res.text();
  try { body = text ? JSON.parse(text) : null; } catch (_) { body = null; }
  if (!res.ok) {
    const e = body && body.error;
    const retry = Number(res.headers.get('Retry-After'));
    throw new ApiError(res.status, (e && e.message) || `HTTP ${res.status} ${res.statusText}`, e && e.parameter,
      body, Number.isFinite(retry) && retry > 0 ? retry : null);
  }
  return body;
}

// 'no-cache' revalidates with the ETag each time (a 304 is cheap), so a
// reload after a change or a new ingest never shows a stale answer.
export async function get(path, params) {
  const res = await fetch(apiUrl(path, params), { cache: 'no-cache', headers: { Accept: 'application/json' } });
  return answer(res);
}

export async function post(path, body, headers = {}) {
  const res = await fetch(apiUrl(path), {
    method: 'POST',
    headers: changeHeaders({ 'Content-Type': 'application/json', Accept: 'application/json', ...headers }),
    body: JSON.stringify(body),
  });
  return answer(res);
}

export async function del(path) {
  const res = await fetch(apiUrl(path), { method: 'DELETE', headers: changeHeaders({ Accept: 'application/json' }) });
  return answer(res);
}

// A file sent as it is (the server reads it through the source's mapping);
// the answer's status is kept (201: a new vintage stored).
export async function upload(path, params, file) {
  const res = await fetch(apiUrl(path, params), {
    method: 'POST',
    headers: changeHeaders({ 'Content-Type': 'text/csv', Accept: 'application/json' }),
    body: file,
  });
  const body = await answer(res);
  return { status: res.status, body };
}

// Cached catalogue answers (they change only with a new ingest).
const memo = new Map();
export function cached(path, params) {
  const k = apiUrl(path, params);
  if (!memo.has(k)) memo.set(k, get(path, params).catch((e) => { memo.delete(k); throw e; }));
  return memo.get(k);
}
// After a change to the data (an upload), the catalogue answers are asked again.
export function forgetCached() { memo.clear(); }
