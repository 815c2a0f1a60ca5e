// The L.A. Process at a glance (#/process): the pillars × states matrix as of
// a day (GET /api/v1/process/{d}/matrix), each cell the commitments of one
// state under one pillar, one square per commitment coloured by its latest
// self-reported status (not reported its own hatched grey), with totals per
// pillar and per state; closed pillars and pillars opened later listed apart;
// the meetings; and the commitments as CSV and Excel.
import { h } from '../../dom.js';
import { t, fmtNum } from '../../i18n.js';
import { replaceHash } from '../../router.js';
import {
  BUCKETS, processGet, exportUrl, chooseDeclaration, link, fmtDay, today, partyName, pillarKindBadge,
  meetingKindBadge, meetingLink, textIn, DEFAULT_DECLARATION,
} from './common.js';
import { get } from '../../api.js';
import { getLang } from '../../i18n.js';

export function statusLegend() {
  return h('ul', { class: 'legend status-legend', id: 'status-legend' }, BUCKETS.map((b) => h('li', {},
    h('span', { class: `unit-sq rs-bg-${b}`, 'aria-hidden': 'true' }), t(`rstatus.${b}`))));
}

// "1 in progress, 2 not reported"
function countsText(c) {
  const parts = BUCKETS.filter((b) => c && c[b]).map((b) => `${fmtNum(c[b])} ${t(`rstatus.${b}`)}`);
  return parts.length ? parts.join(', ') : t('process.noCommitment');
}

// One square per commitment, in the statuses' order, and the count.
function unitCell(c, label, attrs) {
  const total = (c && c.total) || 0;
  const squares = [];
  for (const b of BUCKETS) for (let i = 0; i < ((c && c[b]) || 0); i += 1) squares.push(h('span', { class: `unit-sq rs-bg-${b}` }));
  return h('td', { class: `mx-cell${total ? '' : ' mx-zero'}`, title: label, 'aria-label': label, ...attrs },
    h('span', { class: 'mx-n' }, fmtNum(total)),
    total ? h('span', { class: 'mx-units', 'aria-hidden': 'true' }, squares) : null);
}

// A total: the count and a bar of its statuses' shares.
function totalCell(tag, c, label, attrs) {
  const total = (c && c.total) || 0;
  return h(tag, { class: `mx-total${total ? '' : ' mx-zero'}`, title: label, 'aria-label': label, ...attrs },
    h('span', { class: 'mx-n' }, fmtNum(total)),
    total ? h('span', { class: 'mx-bar', 'aria-hidden': 'true' }, BUCKETS.filter((b) => c[b]).map((b) =>
      h('span', { class: `rs-bg-${b}`, style: `flex-grow: ${c[b]}` }))) : null);
}

function pillarHead(d, p) {
  return h('th', { scope: 'col', class: 'mx-pillar', dataset: { pillar: p.code } },
    h('a', { href: link('pillar', d, { code: p.code }), class: 'pillar-link', title: t('process.openHistory', p.name) },
      h('span', { class: 'mx-code' }, p.code), ' ', textIn(p.name, p.name_i18n, { class: 'mx-pname' })),
    pillarKindBadge(p) ? h('div', {}, pillarKindBadge(p)) : null);
}

// On a phone the pillars' names leave the matrix's head (which keeps the
// codes) for this key above it, so the columns stay narrow.
function pillarKey(d, pillars) {
  return h('ul', { class: 'plain-list pillar-key', id: 'pillar-key' }, pillars.map((p) => h('li', { dataset: { pillar: p.code } },
    h('a', { href: link('pillar', d, { code: p.code }), class: 'pillar-link' }, h('span', { class: 'mx-code' }, p.code), ' ',
      textIn(p.name, p.name_i18n)), pillarKindBadge(p) ? [' ', pillarKindBadge(p)] : null)));
}

function matrixTable(d, m) {
  const pillars = m.rows.map((r) => r.pillar);
  const body = m.parties.map((party) => h('tr', { dataset: { party } },
    h('th', { scope: 'row', class: 'mx-state' }, h('a', { href: link('state', d, { code: party }), class: 'party-link' }, partyName(party)),
      h('span', { class: 'muted small mx-iso' }, ` ${party}`)),
    m.rows.map((r) => unitCell(r.cells[party], t('process.cellLabel', partyName(party), `${r.pillar.code} · ${r.pillar.name}`, countsText(r.cells[party])),
      { dataset: { pillar: r.pillar.code, total: String((r.cells[party] && r.cells[party].total) || 0) } })),
    totalCell('td', m.party_totals[party], t('process.cellLabel', partyName(party), t('process.total'), countsText(m.party_totals[party])),
      { dataset: { total: String((m.party_totals[party] && m.party_totals[party].total) || 0) } })));
  return h('div', { class: 'table-wrap matrix-wrap' }, h('table', { class: 'data matrix', id: 'process-matrix' },
    h('caption', { class: 'sr-only' }, t('process.matrix')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'mx-state' }, t('process.state')),
      pillars.map((p) => pillarHead(d, p)), h('th', { scope: 'col', class: 'mx-total-h' }, t('process.total')))),
    h('tbody', {}, body),
    h('tfoot', {}, h('tr', { id: 'matrix-totals' }, h('th', { scope: 'row', class: 'mx-state' }, t('process.total')),
      m.rows.map((r) => totalCell('td', r.total, t('process.cellLabel', t('process.allStates'), `${r.pillar.code} · ${r.pillar.name}`, countsText(r.total)),
        { dataset: { pillar: r.pillar.code, total: String(r.total.total || 0) } })),
      totalCell('td', m.total, t('process.cellLabel', t('process.allStates'), t('process.total'), countsText(m.total)),
        { id: 'matrix-grand-total', dataset: { total: String(m.total.total || 0) } })))));
}

// Pillars not in the matrix on this day: closed by then, or opened later.
function pillarsApart(d, pillars, asOf, shown) {
  const apart = pillars.filter((p) => !shown.has(p.code));
  const closed = apart.filter((p) => p.closed_on && p.closed_on <= asOf);
  const later = apart.filter((p) => p.opened_on > asOf);
  const item = (p, what) => h('li', { dataset: { pillar: p.code } },
    h('a', { href: link('pillar', d, { code: p.code }), class: 'pillar-link' }, `${p.code} · `, textIn(p.name, p.name_i18n)), ' ',
    pillarKindBadge(p), ' ', h('span', { class: 'muted small' }, what));
  const out = [];
  if (closed.length) {
    out.push(h('section', { class: 'panel', id: 'closed-pillars', 'aria-labelledby': 'closed-h' }, h('h2', { id: 'closed-h' }, t('process.closedPillars')),
      h('ul', { class: 'plain-list' }, closed.map((p) => item(p, [t('process.closedOn', fmtDay(p.closed_on)),
        p.merged_into ? ` · ${t('process.mergedInto', p.merged_into)}` : ''].join(''))))));
  }
  if (later.length) {
    out.push(h('section', { class: 'panel', id: 'later-pillars', 'aria-labelledby': 'later-h' }, h('h2', { id: 'later-h' }, t('process.notYetOpen')),
      h('ul', { class: 'plain-list' }, later.map((p) => item(p, t('process.openedOn', fmtDay(p.opened_on)))))));
  }
  return out;
}

function meetingsPanel(d, meetings) {
  return h('section', { class: 'panel', id: 'process-meetings', 'aria-labelledby': 'meetings-h' },
    h('h2', { id: 'meetings-h' }, t('process.meetings')),
    meetings.length ? h('ul', { class: 'plain-list meeting-list' }, [...meetings].reverse().map((m) => h('li', { dataset: { meeting: m.code } },
      h('time', { datetime: m.held_on, class: 'nowrap' }, fmtDay(m.held_on)), ' · ', meetingLink(d, m), ' ', meetingKindBadge(m),
      m.place ? h('span', { class: 'muted small' }, ` · ${m.place}`) : null)))
      : h('p', { class: 'muted' }, t('process.noMeetings')));
}

export async function renderProcess(root, params, alive) {
  root.append(h('h1', {}, t('process.title')));
  const d = await chooseDeclaration(params);
  if (!alive()) return;
  if (!d) { root.append(h('p', { id: 'process-none' }, t('process.none'))); return; }
  const asked = params.get('as_of') || '';
  const asOfParam = /^\d{4}-\d{2}-\d{2}$/.test(asked) ? asked : '';
  const [all, decl, m] = await Promise.all([
    get('process', { lang: getLang() }),
    processGet(d, []),
    processGet(d, ['matrix'], { as_of: asOfParam }),
  ]);
  if (!alive()) return;
  const info = decl.declaration;
  root.append(h('p', { class: 'lede', id: 'declaration-title' }, textIn(info.title, info.title_i18n, { class: 'decl-title' }),
    ` · ${fmtDay(info.adopted_on)}`, info.place ? `, ${info.place}` : '',
    info.text_reference ? [' · ', h('a', { href: info.text_reference, rel: 'noopener' }, t('process.textLink'))] : null));

  // The declaration and the day.
  const declarations = all.declarations || [];
  const asOfIn = h('input', { type: 'date', id: 'process-as-of', value: m.as_of, max: '9999-12-31' });
  const declSel = declarations.length > 1 ? h('select', { id: 'process-declaration' },
    declarations.map((x) => h('option', { value: x.code, selected: x.code === d ? 'selected' : null }, x.title || x.code))) : null;
  root.append(h('form', { class: 'pickers process-pickers', id: 'process-form', onsubmit: (e) => {
    e.preventDefault();
    const chosen = declSel ? declSel.value : d;
    location.hash = link('process', chosen, { as_of: asOfIn.value && asOfIn.value !== today() ? asOfIn.value : '' });
  } },
  declSel ? h('div', { class: 'field field-wide' }, h('label', { for: 'process-declaration' }, t('process.declaration')), declSel) : null,
  h('div', { class: 'field field-date' }, h('label', { for: 'process-as-of' }, t('process.asOf')), asOfIn),
  h('div', { class: 'field-submit' }, h('button', { type: 'submit', id: 'process-show' }, t('process.show')))));

  root.append(h('section', { class: 'panel', 'aria-labelledby': 'matrix-h' },
    h('h2', { id: 'matrix-h' }, t('process.matrix')),
    h('p', { class: 'muted small', id: 'process-as-of-line' }, t('process.asOfLine', fmtDay(m.as_of)), ' ',
      t('process.endorsers', m.parties.length)),
    statusLegend(),
    pillarKey(d, m.rows.map((r) => r.pillar)),
    h('p', { class: 'muted small scroll-hint' }, t('process.scrollHint')),
    matrixTable(d, m),
    h('p', { class: 'muted small' }, t('process.matrixNote'))));
  const shown = new Set(m.rows.map((r) => r.pillar.code));
  root.append(...pillarsApart(d, decl.pillars || [], m.as_of, shown));

  root.append(h('div', { class: 'two-col process-two' },
    meetingsPanel(d, decl.meetings || []),
    h('section', { class: 'panel', id: 'process-exports', 'aria-labelledby': 'exports-h' },
      h('h2', { id: 'exports-h' }, t('process.exports')),
      h('p', { class: 'downloads' },
        h('a', { href: exportUrl(d, 'csv'), class: 'button-link', id: 'export-csv', download: '' }, t('process.csv')),
        h('a', { href: exportUrl(d, 'xlsx'), class: 'button-link', id: 'export-xlsx', download: '' }, t('process.xlsx'))))));
  replaceHash('process', { declaration: d === DEFAULT_DECLARATION ? '' : d, as_of: asOfParam });
}
