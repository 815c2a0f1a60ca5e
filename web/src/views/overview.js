// Overview: each checkpoint's latest month against the trailing months and a
// year ago, the citizenships rising fastest, and the open alerts.
import { get } from '../api.js';
import { h } from '../dom.js';
import { t, fmtNum, fmtPct, fmtPeriod, countryName, unitName, reporterSuffix, placeName, getLang } from '../i18n.js';
import { sparkline } from '../charts.js';
import { hashFor } from '../router.js';
import { alertTitle, severityBadge, statusBadge, loadCheckpointNames } from './alerts.js';

export function change(frac, label) {
  if (frac === null || frac === undefined) return h('span', { class: 'change flat' }, '–');
  const dir = frac > 0.005 ? 'up' : frac < -0.005 ? 'down' : 'flat';
  const arrow = dir === 'up' ? '▲' : dir === 'down' ? '▼' : '■';
  return h('span', { class: `change ${dir}`, title: label || null },
    h('span', { 'aria-hidden': 'true' }, arrow, ' '), fmtPct(frac));
}

export async function renderOverview(root, params, alive) {
  const [data] = await Promise.all([get('overview', { route: params.get('route'), lang: getLang() }), loadCheckpointNames()]);
  if (!alive()) return;
  root.append(h('h1', {}, t('overview.title')),
    h('p', { class: 'lede' }, `${t('overview.route')}: `, h('a', { href: hashFor('route', { route: data.route && data.route.id }) }, data.route ? placeName(data.route) : '')));

  // Checkpoint cards.
  const cards = h('div', { class: 'cards', id: 'checkpoint-cards' });
  for (const c of data.checkpoints || []) {
    const has = c.latest_month != null;
    const explore = has ? hashFor('explorer', { source: c.source }) : null;
    cards.append(h('section', { class: `card checkpoint${has ? '' : ' empty'}`, dataset: { checkpoint: c.id }, 'aria-labelledby': `cp-${c.id}` },
      h('h3', { id: `cp-${c.id}` }, placeName(c), ' ', h('span', { class: 'muted small' }, reporterSuffix(placeName(c), c.reporter))),
      has
        ? [
          h('p', { class: 'latest-month' }, h('span', { class: 'label' }, t('overview.latest'), ': '),
            h('strong', {}, fmtPeriod(c.latest_month)), c.provisional ? h('span', { class: 'badge prov' }, t('overview.provisional')) : null),
          h('p', { class: 'big' }, h('span', { class: 'latest-value' }, fmtNum(c.latest_value)), ' ', h('span', { class: 'unit' }, unitName(c.unit))),
          h('dl', { class: 'changes' },
            h('div', {}, h('dt', {}, t('overview.vsTrailing')), h('dd', {}, change(c.change_vs_trailing), h('span', { class: 'muted small' }, ` (${fmtNum(c.trailing_mean)})`))),
            h('div', {}, h('dt', {}, t('overview.vsYearAgo')), h('dd', {}, change(c.change_vs_year_ago), h('span', { class: 'muted small' }, ` (${fmtNum(c.year_ago_value)})`)))),
          h('div', { class: 'spark-wrap' },
            sparkline(c.recent || [], { width: 220, height: 44, label: `${t('overview.recent')}: ${placeName(c)}` }),
            c.recent && c.recent.length ? h('span', { class: 'muted small' }, `${fmtPeriod(c.recent[0].month, 'short')} – ${fmtPeriod(c.recent[c.recent.length - 1].month, 'short')}`) : null),
          h('p', { class: 'small' }, h('a', { href: explore }, t('overview.openInExplorer')), h('span', { class: 'muted' }, ` · ${c.source}`)),
        ]
        : h('p', { class: 'big muted' }, t('noData'))));
  }
  root.append(h('h2', {}, t('overview.checkpoints')), cards);

  const lower = h('div', { class: 'two-col' });
  // Rising citizenships.
  const rising = data.rising || [];
  const cpName = new Map((data.checkpoints || []).map((c) => [c.id, placeName(c)]));
  const risingBox = h('section', { class: 'panel', 'aria-labelledby': 'rising-h' }, h('h2', { id: 'rising-h' }, t('overview.rising')));
  if (!rising.length) risingBox.append(h('p', { class: 'muted' }, t('overview.risingNone')));
  else {
    risingBox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'rising-table' },
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('col.citizenship')), h('th', { scope: 'col' }, t('col.checkpoint')),
        h('th', { scope: 'col', class: 'hide-narrow' }, t('col.month')), h('th', { scope: 'col', class: 'num' }, t('col.value')),
        h('th', { scope: 'col', class: 'num hide-narrow' }, t('col.trailing')), h('th', { scope: 'col', class: 'num' }, t('col.change')))),
      h('tbody', {}, rising.map((r) => h('tr', {},
        h('th', { scope: 'row' }, countryName(r.citizenship)),
        h('td', {}, cpName.get(r.checkpoint) || r.checkpoint),
        h('td', { class: 'nowrap hide-narrow' }, fmtPeriod(r.latest_month, 'short')),
        h('td', { class: 'num' }, fmtNum(r.value)),
        h('td', { class: 'num hide-narrow' }, fmtNum(r.trailing_mean)),
        h('td', { class: 'num' }, change(r.change_vs_trailing))))))));
  }
  lower.append(risingBox);

  // Alerts.
  const a = data.alerts || { open: 0, acknowledged: 0, latest: [] };
  lower.append(h('section', { class: 'panel', 'aria-labelledby': 'ov-alerts-h' },
    h('h2', { id: 'ov-alerts-h' }, t('overview.alerts')),
    h('p', { class: 'alert-counts' },
      h('a', { href: hashFor('alerts', { status: 'open' }), class: 'count-link' }, h('strong', { id: 'open-count', class: 'big' }, fmtNum(a.open)), ' ', t('overview.open')),
      ' · ',
      h('a', { href: hashFor('alerts', { status: 'acknowledged' }), class: 'count-link' }, h('strong', {}, fmtNum(a.acknowledged)), ' ', t('overview.acknowledged'))),
    h('h3', {}, t('overview.latestAlerts')),
    h('ul', { class: 'alert-list', id: 'latest-alerts' }, (a.latest || []).slice(0, 6).map((al) => h('li', {},
      severityBadge(al.severity), ' ',
      h('a', { href: hashFor('alerts', { status: 'all', id: al.id }) }, alertTitle(al)), ' ',
      statusBadge(al.status)))),
    h('p', {}, h('a', { href: '#/alerts', class: 'button-link' }, t('overview.toInbox'), ' →'))));
  root.append(lower);
}
