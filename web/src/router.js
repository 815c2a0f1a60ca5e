// Hash routes (#/overview, #/explorer?source=..., #/route, #/alerts,
// #/signin, #/upload, #/audit, #/accounts; the L.A. Process: #/process,
// #/pillar, #/state, #/commitment, #/meeting): no
// server fallback is needed, and a view can be linked.
const VIEWS = ['overview', 'explorer', 'route', 'alerts', 'signin', 'upload', 'audit', 'accounts',
  'process', 'pillar', 'state', 'commitment', 'meeting'];

// "#/explorer?source=x&citizenship=HTI" -> {view: 'explorer', params}
export function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const view = VIEWS.includes(path) ? path : 'overview';
  return { view, params: new URLSearchParams(query || '') };
}
export function hashFor(view, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return `#/${view}${s ? `?${s}` : ''}`;
}
// Change the hash without re-rendering the page (the view updates itself).
export function replaceHash(view, params) {
  const next = hashFor(view, params);
  if (location.hash !== next) history.replaceState(null, '', next);
}

