// Who is using the dashboard: the public, or a person signed in with the
// session cookie (POST /api/v1/session). The cookie is HttpOnly, so the page
// learns who it is from /me; its CSRF token goes with every change (api.js).
// The controls shown follow `rights`; the server checks every call regardless.
import { get, post, del, cached, setCsrf } from './api.js';
import { t } from './i18n.js';

let me = null;
let accounts = false; // the server has accounts (health.changes === 'accounts')

function take(answer) {
  me = answer && !answer.public ? answer : null;
  setCsrf(me && me.credential === 'session' ? me.csrf_token : null);
  return me;
}

// Once per page load, and after signing in or out.
export async function loadSession() {
  try {
    accounts = (await cached('health')).changes === 'accounts';
  } catch (_) { accounts = false; }
  if (!accounts) return take(null);
  try { return take(await get('me')); } catch (_) { return take(null); }
}

export function hasAccounts() { return accounts; }
export function currentUser() { return me; }
export function signedIn() { return !!(me && me.credential === 'session'); }
export function can(right) { return !!(me && (me.rights || []).includes(right)); }

export async function signIn(login, password) {
  return take(await post('session', { login, password }));
}
export async function signOut() {
  try { await del('session'); } finally { take(null); }
}

// A role as the header shows it: "focal point for PAN".
export function roleLabel(r) {
  const name = t(`account.role.${r.role}`);
  return r.reporters && r.reporters.length ? t('account.roleFor', name, r.reporters.join(', ')) : name;
}
