import './style.css';
import './process.css';
import { t, getLang, setLang, setCountries } from './i18n.js';
import { cached } from './api.js';
import { h, clear, errorBox } from './dom.js';
import { renderOverview } from './views/overview.js';
import { renderExplorer } from './views/explorer.js';
import { renderRoute } from './views/route.js';
import { renderAlerts } from './views/alerts.js';
import { renderSignIn } from './views/signin.js';
import { renderUpload } from './views/upload.js';
import { renderAudit } from './views/audit.js';
import { renderAccounts } from './views/accounts.js';
import { renderProcess } from './views/process/matrix.js';
import { renderPillar } from './views/process/pillar.js';
import { renderState } from './views/process/state.js';
import { renderCommitment } from './views/process/commitment.js';
import { renderMeeting } from './views/process/meeting.js';
import { loadSession, hasAccounts, currentUser, can, signOut, roleLabel } from './session.js';
import { parseHash } from './router.js';

const VIEWS = {
  overview: renderOverview,
  explorer: renderExplorer,
  route: renderRoute,
  alerts: renderAlerts,
  signin: renderSignIn,
  upload: renderUpload,
  audit: renderAudit,
  accounts: renderAccounts,
  process: renderProcess,
  pillar: renderPillar,
  state: renderState,
  commitment: renderCommitment,
  meeting: renderMeeting,
};
const NAV = ['overview', 'explorer', 'route', 'alerts', 'process'];
// The L.A. Process's pages are under its menu entry.
const NAV_PARENT = { pillar: 'process', state: 'process', commitment: 'process', meeting: 'process' };
// Pages shown in the menu only to those who hold their right.
const NAV_RIGHTS = { upload: 'upload_data', audit: 'read_audit', accounts: 'manage_accounts' };

const main = document.getElementById('main');
let renderToken = 0;

function renderChrome(view) {
  document.documentElement.lang = getLang();
  document.getElementById('tagline').textContent = t('tagline');
  const skip = document.getElementById('skip-link');
  skip.textContent = t('skip');
  const nav = clear(document.getElementById('nav'));
  nav.setAttribute('aria-label', t('nav.label'));
  const ul = h('ul', {});
  const shown = [...NAV, ...Object.keys(NAV_RIGHTS).filter((v) => can(NAV_RIGHTS[v]))];
  for (const v of shown) {
    ul.append(h('li', {}, h('a', {
      href: `#/${v}`, id: `nav-${v}`, 'aria-current': v === view ? 'page' : v === NAV_PARENT[view] ? 'location' : null,
      'aria-label': v === 'explorer' ? t(`nav.${v}`) : null,
    }, v === 'explorer'
      ? [h('span', { class: 'full' }, t(`nav.${v}`)), h('span', { class: 'short' }, t(`nav.${v}.short`))]
      : t(`nav.${v}`))));
  }
  nav.append(ul);
  renderAccount(view);
  const btn = document.getElementById('lang-toggle');
  btn.textContent = t('lang.switch');
  btn.setAttribute('aria-label', t('lang.switchLabel'));
  btn.setAttribute('lang', getLang() === 'es' ? 'en' : 'es');
}

// Who is signed in, and Sign out; or a Sign in link (only on a server with
// accounts: elsewhere there is no one to sign in as).
function renderAccount(view) {
  const box = clear(document.getElementById('account'));
  if (!hasAccounts()) return;
  const me = currentUser();
  if (!me) {
    if (view !== 'signin') box.append(h('a', { href: '#/signin', id: 'signin-link', class: 'account-link' }, t('account.signIn')));
    return;
  }
  box.append(h('span', { id: 'account-who', class: 'account-who' },
    h('strong', { id: 'account-name' }, me.name),
    h('span', { class: 'account-role', id: 'account-role' }, (me.roles || []).map(roleLabel).join(' · '))),
  me.credential === 'session' ? h('button', { type: 'button', id: 'signout', class: 'account-out', onclick: async () => {
    try { await signOut(); } catch (_) { /* the session is forgotten here either way */ }
    if (location.hash === '#/overview') render();
    else location.hash = '#/overview';
  } }, t('account.signOut')) : null);
}

// The footer names the sources actually in the store; simulated ones are
// labelled, and a banner says so above every view.
function renderSources(list) {
  const foot = clear(document.getElementById('foot'));
  const simulated = list.filter((s) => s.declaration && s.declaration.simulated);
  const names = list.map((s) => (s.declaration && s.declaration.simulated ? `${s.name} (${t('footer.simulated')})` : s.name));
  foot.append(h('span', {}, t('footer')), ' · ',
    h('span', { id: 'foot-sources' }, list.length ? `${t('footer.sources')}: ${names.join('; ')}` : t('footer.none')));
  const old = document.getElementById('sim-banner');
  if (old) old.remove();
  if (simulated.length) {
    const banner = h('div', { id: 'sim-banner', class: 'sim-banner', role: 'note' },
      t('banner.simulated', simulated.map((s) => s.source).join(', ')));
    document.querySelector('header.topbar').after(banner);
  }
}

let sessionLoaded = null;
async function render() {
  const token = ++renderToken;
  sessionLoaded ||= loadSession();
  await sessionLoaded;
  if (token !== renderToken) return;
  const { view, params } = parseHash();
  renderChrome(view);
  document.title = `${t(`nav.${view}`)} · Atalaya`;
  clear(main);
  main.dataset.view = view;
  main.setAttribute('aria-busy', 'true');
  try {
    const [list, sources] = await Promise.all([cached('countries'), cached('sources')]);
    setCountries(list.countries || []);
    renderSources(sources.sources || []);
    if (token !== renderToken) return;
    await VIEWS[view](main, params, () => token === renderToken);
  } catch (e) {
    if (token === renderToken) main.append(errorBox(e));
  } finally {
    if (token === renderToken) main.setAttribute('aria-busy', 'false');
  }
}

document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(getLang() === 'es' ? 'en' : 'es');
  render();
});
document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
window.addEventListener('hashchange', render);
let resizeTimer = null;
let lastWidth = window.innerWidth;
window.addEventListener('resize', () => {
  if (Math.abs(window.innerWidth - lastWidth) < 40) return;
  lastWidth = window.innerWidth;
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => window.dispatchEvent(new Event('atalaya:resize')), 250);
});
if (!location.hash) history.replaceState(null, '', '#/overview');
setLang(getLang());
render();
