// The JSON API under /api/v1 (docs/api.md), relative to the page so the
// dashboard works wherever `atalaya serve` mounts it.
const BASE = new URL('api/v1/', new URL('.', document.baseURI)).pathname.replace(/\/+/g, '/');

export class ApiError extends Error {
  constructor(status, message, parameter) {
    super(message);
    this.status = status;
    this.parameter = parameter;
  }
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
    throw new ApiError(res.status, (e && e.message) || `HTTP ${res.status} ${res.statusText}`, e && e.parameter);
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
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return answer(res);
}

// Cached catalogue answers (they change only with a new ingest).
const memo = new Map();
export function cached(path, params) {
  const k = apiUrl(path, params);
  if (!memo.has(k)) memo.set(k, get(path, params).catch((e) => { memo.delete(k); throw e; }));
  return memo.get(k);
}
