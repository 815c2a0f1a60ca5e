import './style.css';
import { t, getLang, setLang, setCountries } from './i18n.js';
import { cached } from './api.js';
import { h, clear, errorBox } from './dom.js';
import { renderOverview } from './views/overview.js';
import { renderExplorer } from './views/explorer.js';
import { renderRoute } from './views/route.js';
import { renderAlerts } from './views/alerts.js';
import { parseHash } from './router.js';

const VIEWS = {
  overview: renderOverview,
  explorer: renderExplorer,
  route: renderRoute,
  alerts: renderAlerts,
};
const NAV = ['overview', 'explorer', 'route', 'alerts'];

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
  for (const v of NAV) {
    ul.append(h('li', {}, h('a', {
      href: `#/${v}`, id: `nav-${v}`, 'aria-current': v === view ? 'page' : null,
      'aria-label': v === 'explorer' ? t(`nav.${v}`) : null,
    }, v === 'explorer'
      ? [h('span', { class: 'full' }, t(`nav.${v}`)), h('span', { class: 'short' }, t(`nav.${v}.short`))]
      : t(`nav.${v}`))));
  }
  nav.append(ul);
  const btn = document.getElementById('lang-toggle');
  btn.textContent = t('lang.switch');
  btn.setAttribute('aria-label', t('lang.switchLabel'));
  btn.setAttribute('lang', getLang() === 'es' ? 'en' : 'es');
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

async function render() {
  const token = ++renderToken;
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
