// Route view: one citizenship along a route's checkpoints, with the option
// to align each checkpoint by its cumulative lag; lags, roles and a map.
import { get, cached } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { t, fmtNum, fmtPeriod, countryName, unitName, collator, reporterSuffix, placeName, getLang } from '../i18n.js';
import { lineChart, legend, periodIndex } from '../charts.js';
import { replaceHash } from '../router.js';

const PALETTE = ['#1f5f8b', '#d35400', '#27ae60', '#8e44ad', '#c0392b', '#16a085'];

export async function renderRoute(root, params, alive) {
  // The map (with its world atlas) loads only with this view.
  const [routes, dims, { rolesMap, ROLE_COLORS }] = await Promise.all([cached('routes'), cached('dimensions'), import('../map.js')]);
  if (!alive()) return;
  const list = routes.routes || [];
  const sel = {
    route: params.get('route') || (list[0] && list[0].id) || '',
    citizenship: params.get('citizenship') || 'HTI',
    from: params.get('from') || '2021-01',
    to: params.get('to') || '2021-12',
    align: params.get('align') === '1' ? '1' : '',
  };
  root.append(h('h1', {}, t('route.title')));
  const form = h('form', { class: 'pickers', id: 'route-form', onsubmit: (e) => { e.preventDefault(); apply(); } });
  const routeSel = h('select', { id: 'route-pick', onchange: () => apply() },
    list.map((r) => h('option', { value: r.id, selected: r.id === sel.route ? 'selected' : null }, placeName(r))));
  const cits = (dims.citizenship || []).map((c) => ({ c, label: `${countryName(c)}` }));
  cits.sort((a, b) => collator().compare(a.label, b.label));
  const citSel = h('select', { id: 'route-citizenship', onchange: () => apply() },
    cits.map(({ c, label }) => h('option', { value: c, selected: c === sel.citizenship ? 'selected' : null }, label)));
  const fromIn = h('input', { id: 'route-from', type: 'text', size: 9, value: sel.from, onchange: () => apply() });
  const toIn = h('input', { id: 'route-to', type: 'text', size: 9, value: sel.to, onchange: () => apply() });
  const alignBox = h('input', { id: 'route-align', type: 'checkbox', checked: sel.align === '1', onchange: () => apply() });
  form.append(
    h('div', { class: 'field field-wide' }, h('label', { for: 'route-pick' }, t('route.route')), routeSel),
    h('div', { class: 'field field-citizenship' }, h('label', { for: 'route-citizenship' }, t('route.citizenship')), citSel),
    h('div', { class: 'field field-period' }, h('label', { for: 'route-from' }, t('explorer.from')), fromIn),
    h('div', { class: 'field field-period' }, h('label', { for: 'route-to' }, t('explorer.to')), toIn),
    h('div', { class: 'field field-check' }, alignBox, h('label', { for: 'route-align' }, t('route.align'))),
    h('div', { class: 'field field-submit' }, h('span', { class: 'label-spacer', 'aria-hidden': 'true' }, ' '), h('button', { type: 'submit' }, t('explorer.show'))));
  root.append(form);
  const out = h('div', { id: 'route-out' });
  root.append(out);

  let data = null;
  function current() {
    return { route: routeSel.value, citizenship: citSel.value, from: fromIn.value.trim(), to: toIn.value.trim(), align: alignBox.checked ? '1' : '' };
  }
  async function apply() {
    const s = current();
    replaceHash('route', s);
    const same = data && s.route === sel.route && s.citizenship === sel.citizenship && s.from === sel.from && s.to === sel.to;
    Object.assign(sel, s);
    if (same) draw(); else await load();
  }
  async function load() {
    clear(out);
    out.setAttribute('aria-busy', 'true');
    try {
      data = await get(`routes/${encodeURIComponent(sel.route)}`, { citizenship: sel.citizenship, from: sel.from, to: sel.to, lang: getLang() });
    } catch (e) {
      data = null;
      out.append(errorBox(e));
      out.setAttribute('aria-busy', 'false');
      return;
    }
    draw();
  }
  function onResize() { if (document.body.contains(out)) draw(); else window.removeEventListener('atalaya:resize', onResize); }
  window.addEventListener('atalaya:resize', onResize);

  function draw() {
    if (!data) return;
    clear(out);
    const cps = data.checkpoints || [];
    const cum = new Map((data.cumulative || []).map((c) => [c.checkpoint, c]));
    const align = sel.align === '1';
    const cpName = new Map(cps.map((c) => [c.id, placeName(c)]));

    // Chart.
    const chartPanel = h('section', { class: 'panel chart-panel', 'aria-labelledby': 'route-chart-h' },
      h('h2', { id: 'route-chart-h' }, `${t('route.chart')}: ${countryName(data.citizenship)}`));
    const chartEl = h('div', { class: 'chart-box', id: 'route-chart' });
    const lines = [];
    const items = [];
    cps.forEach((c, i) => {
      const shift = align && cum.get(c.id) ? cum.get(c.id).months || 0 : 0;
      const pts = (data.months || []).map((m) => ({ x: periodIndex(m.month) - shift, y: m[c.id] ?? null, label: fmtPeriod(m.month) }));
      const color = PALETTE[i % PALETTE.length];
      const has = pts.some((p) => p.y != null);
      if (has) lines.push({ name: placeName(c), color, points: pts });
      items.push({ label: `${placeName(c)}${has ? '' : ` (${t('noData')})`}${shift ? ` — ${t('route.shifted', shift)}` : ''}`, color: has ? color : '#bbb' });
    });
    chartPanel.append(chartEl, legend(items));
    if (align) chartPanel.append(h('p', { class: 'muted small', id: 'route-aligned-note' }, t('route.alignedNote')));
    out.append(chartPanel);
    lineChart(chartEl, { series: lines, height: 300, ariaLabel: t('route.chart') });

    // Checkpoints with their months from the first, and the lags.
    const grid = h('div', { class: 'two-col' });
    const lagPanel = h('section', { class: 'panel', 'aria-labelledby': 'lags-h' }, h('h2', { id: 'lags-h' }, t('route.checkpoints')));
    lagPanel.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'route-checkpoints' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.checkpoint')), h('th', { scope: 'col', class: 'hide-narrow' }, t('explorer.source')),
        h('th', { scope: 'col', class: 'num' }, t('route.cumulative')))),
      h('tbody', {}, cps.map((c) => {
        const k = cum.get(c.id);
        return h('tr', { dataset: { checkpoint: c.id } },
          h('th', { scope: 'row' }, h('span', { class: 'cp-name' }, placeName(c)), reporterSuffix(placeName(c), c.reporter) ? h('span', { class: 'muted small' }, ` · ${reporterSuffix(placeName(c), c.reporter)}`) : null),
          h('td', { class: 'hide-narrow' }, c.source ? [c.source, h('span', { class: 'muted small' }, ` (${unitName(c.unit)})`)] : h('span', { class: 'muted' }, t('noData'))),
          h('td', { class: 'num' }, k ? [t('route.months', k.months), h('span', { class: 'muted small' }, ` (${t('route.range', k.low, k.high)})`)] : '–'));
      })))));
    lagPanel.append(h('h3', {}, t('route.lags')), h('ul', { class: 'lags', id: 'route-lags' }, (data.lags || []).map((l) => h('li', {},
      h('strong', {}, `${cpName.get(l.from) || l.from} → ${cpName.get(l.to) || l.to}`), ': ',
      t('route.months', l.months), ` (${t('route.range', fmtNum(l.low), fmtNum(l.high))})`,
      h('span', { class: 'muted small' }, ` · ${l.estimated ? t('route.estimated') : t('route.declared')}${l.correlation != null ? `, ${t('route.correlation')} ${fmtNum(l.correlation, 2)}` : ''}`)))));
    if (data.window) lagPanel.append(h('p', { class: 'small' }, h('strong', {}, `${t('route.window')}: `), `${fmtPeriod(data.window.from)} – ${fmtPeriod(data.window.to)}`,
      data.window.rule ? h('span', { class: 'muted' }, ` (${data.window.rule})`) : null));
    if (data.notes && data.notes.length) lagPanel.append(h('h3', {}, t('route.notes')), h('ul', { class: 'notes small' }, data.notes.map((n) => h('li', {}, n))));
    grid.append(lagPanel);

    // Roles: list and map.
    const roles = data.roles || [];
    const rolePanel = h('section', { class: 'panel', 'aria-labelledby': 'roles-h' }, h('h2', { id: 'roles-h' }, t('route.roles')));
    const mapBox = h('div', { class: 'map-box', id: 'route-map' });
    rolePanel.append(mapBox);
    rolePanel.append(legend(['sending', 'transit', 'transit-and-receiving', 'receiving'].map((r) => ({ label: t(`role.${r}`), color: ROLE_COLORS[r], kind: 'area', opacity: 0.4 }))));
    rolePanel.append(h('ul', { class: 'roles', id: 'route-roles' }, roles.map((r) => h('li', { dataset: { country: r.country, role: r.role } },
      h('span', { class: 'swatch area', style: `--c:${ROLE_COLORS[r.role] || '#ccc'}`, 'aria-hidden': 'true' }),
      h('strong', {}, countryName(r.country)), `: ${t(`role.${r.role}`)}`,
      r.note ? h('span', { class: 'muted small' }, ` — ${r.note}`) : null))));
    grid.append(rolePanel);
    out.append(grid);
    rolesMap(mapBox, roles, t('route.map'));
    out.setAttribute('aria-busy', 'false');
  }
  replaceHash('route', sel);
  await load();
}
