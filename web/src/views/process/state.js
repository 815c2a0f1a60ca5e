// A state's page (#/state?code=COL): its endorsement (joined, withdrew), its
// commitments with the latest status, assessment and observed progress, its
// statuses meeting by meeting (a grid: commitments × meetings), and the
// warning events on routes through it (links to the alert inbox).
import { h } from '../../dom.js';
import { t, fmtPeriod, countryName } from '../../i18n.js';
import {
  processGet, chooseDeclaration, link, fmtDay, textIn, backLink, statusBadge, completionBadge, commitmentLink,
  meetingLink, partyName,
} from './common.js';
import { progressSummary } from './progress.js';
import { severityBadge, statusBadge as alertStatusBadge, phaseBadge } from '../alerts.js';

function endorsement(e) {
  if (!e) return h('p', { id: 'state-endorsement', class: 'muted' }, t('state.notEndorsing'));
  return h('p', { id: 'state-endorsement' }, t('state.joined', fmtDay(e.joined_on)),
    e.withdrew_on ? h('strong', {}, `; ${t('state.withdrew', fmtDay(e.withdrew_on))}`) : null,
    e.kind === 'organisation' ? h('span', { class: 'muted' }, ` · ${t('state.partner')}`) : null,
    e.source ? h('span', { class: 'muted small' }, ` · ${t('state.source')}: `,
      /^https?:\/\//.test(e.source) ? h('a', { href: e.source, rel: 'noopener' }, e.source) : e.source) : null);
}

function commitmentsTable(d, list) {
  if (!list.length) return h('p', { class: 'muted' }, t('state.noCommitments'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'state-commitments' },
    h('thead', {}, h('tr', {}, ['code', 'pillar', 'text', 'reported', 'assessed', 'observed'].map((c) =>
      h('th', { scope: 'col', class: c === 'text' ? 'hide-narrow' : null }, t(`col.${c}`))))),
    h('tbody', {}, list.map((c) => h('tr', { dataset: { commitment: c.code } },
      h('td', {}, commitmentLink(d, c.code)),
      h('td', {}, h('a', { href: link('pillar', d, { code: c.pillar }) }, c.pillar)),
      h('td', { class: 'text-cell hide-narrow' }, textIn(c.text, c.text_i18n)),
      h('td', {}, statusBadge(c.latest_status && c.latest_status.status)),
      h('td', {}, completionBadge(c.latest_assessment && c.latest_assessment.completion)),
      h('td', {}, progressSummary(c.progress, c)))))));
}

// Rows: the state's commitments; columns: the meetings with a report.
function statusGrid(d, commitments, groups) {
  if (!groups.length) return h('p', { class: 'muted' }, t('state.noStatuses'));
  const codes = commitments.map((c) => c.code);
  for (const g of groups) for (const r of g.reports) if (!codes.includes(r.commitment)) codes.push(r.commitment);
  // The newest report of each commitment at each meeting.
  const at = (g, code) => g.reports.filter((r) => r.commitment === code).slice(-1)[0];
  return h('div', { class: 'table-wrap matrix-wrap' }, h('table', { class: 'data status-grid', id: 'state-statuses' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'mx-state' }, t('col.code')),
      groups.map((g) => h('th', { scope: 'col', dataset: { meeting: g.meeting.code } }, meetingLink(d, g.meeting),
        h('div', { class: 'muted small' }, fmtDay(g.meeting.held_on)))))),
    h('tbody', {}, codes.map((code) => h('tr', { dataset: { commitment: code } },
      h('th', { scope: 'row', class: 'mx-state' }, commitmentLink(d, code)),
      groups.map((g) => {
        const r = at(g, code);
        return h('td', { dataset: { meeting: g.meeting.code } }, r ? statusBadge(r.status) : h('span', { class: 'muted' }, '·'));
      }))))));
}

function eventsList(events) {
  if (!events.length) return h('p', { class: 'muted' }, t('state.noEvents'));
  return h('ul', { class: 'plain-list', id: 'state-events' }, events.map((e) => h('li', { dataset: { event: e.id } },
    severityBadge(e.severity), ' ', e.phase ? [phaseBadge(e.phase), ' '] : null, alertStatusBadge(e.status), ' ',
    h('a', { href: `#/alerts?event=${e.id}` }, [e.citizenship ? countryName(e.citizenship) : '', e.route_name || e.route].filter(Boolean).join(' · ')),
    h('span', { class: 'muted small' }, ` · ${fmtPeriod(e.first_period)}${e.last_period && e.last_period !== e.first_period ? ` – ${fmtPeriod(e.last_period)}` : ''}`),
    // (The event's headline is English only: the badges and names above say it in the page's language.)
  )));
}

export async function renderState(root, params, alive) {
  const code = (params.get('code') || '').toUpperCase();
  const d = await chooseDeclaration(params);
  if (!alive()) return;
  if (!d) { root.append(h('h1', {}, t('nav.state')), h('p', {}, t('process.none'))); return; }
  const data = await processGet(d, ['states', code]);
  if (!alive()) return;
  const commitments = data.commitments || [];
  root.append(backLink(link('process', d), t('pillar.back'), 'state-back'),
    h('h1', { id: 'state-title' }, partyName(code), ' ', h('span', { class: 'muted small' }, code)),
    h('section', { class: 'panel', 'aria-labelledby': 'endorse-h' }, h('h2', { id: 'endorse-h' }, t('state.endorsement')), endorsement(data.endorsement)),
    h('section', { class: 'panel', 'aria-labelledby': 'sc-h' }, h('h2', { id: 'sc-h' }, t('state.commitments')), commitmentsTable(d, commitments)),
    h('section', { class: 'panel', 'aria-labelledby': 'ss-h' }, h('h2', { id: 'ss-h' }, t('state.statuses')), statusGrid(d, commitments, data.statuses || [])),
    h('section', { class: 'panel', 'aria-labelledby': 'se-h' }, h('h2', { id: 'se-h' }, t('state.events')), eventsList(data.events || []),
      h('p', { class: 'small' }, h('a', { href: '#/alerts' }, t('state.toAlerts'), ' →'))));
}
