// A meeting's page (#/meeting?code=...): when, where, who, the agenda, the
// statuses reported and the assessments made there, and the pillar decisions
// it took. An emergency session also shows the warning event that called it,
// its evidence and projected windows, when it was called, and for each party
// when it was notified (queued, delivered) and how long after the event was
// first raised.
import { h } from '../../dom.js';
import { t, fmtPeriod, fmtDateTime, countryName, placeName } from '../../i18n.js';
import { severityBadge } from '../alerts.js';
import {
  processGet, chooseDeclaration, link, fmtDay, fmtDuration, textIn, backLink, facts, partyList, meetingKindBadge,
  statusBadge, completionBadge, commitmentLink,
} from './common.js';

function reportsTable(d, reports) {
  if (!reports.length) return h('p', { class: 'muted' }, t('meeting.noReports'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'meeting-reports' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.code')), h('th', { scope: 'col' }, t('commitment.reported')))),
    h('tbody', {}, reports.map((r) => h('tr', { dataset: { commitment: r.commitment } },
      h('td', {}, commitmentLink(d, r.commitment)),
      h('td', {}, statusBadge(r.status), r.narrative ? [' ', textIn(r.narrative, r.narrative_i18n)] : null))))));
}
function assessmentsTable(d, list) {
  if (!list.length) return h('p', { class: 'muted' }, t('meeting.noAssessments'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'meeting-assessments' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.code')), h('th', { scope: 'col' }, t('col.assessed')))),
    h('tbody', {}, list.map((a) => h('tr', { dataset: { commitment: a.commitment } },
      h('td', {}, commitmentLink(d, a.commitment)),
      h('td', {}, completionBadge(a.completion), a.rationale ? [' ', textIn(a.rationale, a.rationale_i18n)] : null))))));
}
function changesList(d, changes) {
  if (!changes.length) return h('p', { class: 'muted' }, t('meeting.noChanges'));
  return h('ul', { class: 'plain-list', id: 'meeting-changes' }, changes.map((c) => h('li', { dataset: { pillar: c.pillar, kind: c.kind } },
    h('span', { class: `badge ch ch-${c.kind}` }, t(`change.${c.kind}`)), ' ',
    h('a', { href: link('pillar', d, { code: c.pillar }), class: 'pillar-link' }, c.after ? `${c.pillar} · ${c.after.name}` : c.pillar),
    c.note ? h('div', { class: 'small' }, textIn(c.note, c.note_i18n)) : null)));
}

// The event as the session keeps it: each checkpoint's window.
function evidenceBlock(ev) {
  if (!ev || typeof ev !== 'object') return null;
  const cps = (ev.checkpoints || []).filter((c) => c.window_from || c.window_to || (c.alerts || []).length);
  return h('div', { id: 'session-evidence' },
    h('h3', { class: 'sub' }, t('meeting.windows')),
    // (The event's headline is English only: its citizenship and months are said here instead.)
    ev.first_period ? h('p', { class: 'small' }, ev.citizenship ? `${countryName(ev.citizenship)} · ` : '',
      `${fmtPeriod(ev.first_period)} – ${fmtPeriod(ev.last_period)}`) : null,
    cps.length ? h('ul', { class: 'plain-list small' }, cps.map((c) => h('li', {},
      h('strong', {}, placeName(c)), c.observed && c.severity ? [' ', severityBadge(c.severity)] : null,
      c.reporter && countryName(c.reporter) !== placeName(c) ? h('span', { class: 'muted' }, ` (${countryName(c.reporter)})`) : null,
      c.window_from || c.window_to ? `: ${t('alerts.window')} ${fmtPeriod(c.window_from)} – ${fmtPeriod(c.window_to)}` : '',
      (c.alerts || []).length ? h('span', { class: 'muted' }, ` · ${t('meeting.alertsN', c.alerts.length)}`) : null))) : null);
}

function notificationsTable(m, list) {
  if (!list.length) return h('p', { class: 'muted' }, t('meeting.noNotifications'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'meeting-notifications' },
    h('thead', {}, h('tr', {}, ['party', 'channel', 'queued', 'delivered', 'sinceRaised', 'attempts'].map((c) =>
      h('th', { scope: 'col', class: c === 'attempts' || c === 'sinceRaised' ? 'num' : null }, t(`col.${c}`))))),
    h('tbody', {}, list.map((n) => h('tr', { dataset: { party: n.party, delivered: n.delivered_at ? 'true' : 'false' } },
      h('td', {}, countryName(n.party), h('span', { class: 'muted small' }, ` ${n.party}`)),
      h('td', {}, n.channel, n.address ? h('div', { class: 'muted small' }, n.address) : null),
      h('td', { class: 'nowrap' }, fmtDateTime(n.queued_at)),
      h('td', {}, n.delivered_at ? fmtDateTime(n.delivered_at)
        : n.failed_at ? h('span', { class: 'error-text' }, t('meeting.failed', fmtDateTime(n.failed_at)), n.last_error ? h('div', { class: 'small' }, n.last_error) : null)
          : h('span', { class: 'muted' }, t('meeting.waiting'))),
      // Time from the event's first alert to delivery: the measured time frame.
      h('td', { class: 'num' }, n.delivered_at ? fmtDuration(m.event_raised_at, n.delivered_at) : '–'),
      h('td', { class: 'num' }, String(n.attempts)))))));
}

export async function renderMeeting(root, params, alive) {
  const code = params.get('code') || '';
  const d = await chooseDeclaration(params);
  if (!alive()) return;
  if (!d) { root.append(h('h1', {}, t('nav.meeting')), h('p', {}, t('process.none'))); return; }
  const data = await processGet(d, ['meetings', code]);
  if (!alive()) return;
  const m = data.meeting;
  root.append(backLink(link('process', d), t('meeting.back'), 'meeting-back'),
    h('h1', { id: 'meeting-title' }, textIn(m.title || m.code, m.title_i18n)),
    h('p', {}, meetingKindBadge(m), h('span', { class: 'muted small' }, ` · ${m.code}`)),
    facts([
      [t('meeting.held'), fmtDay(m.held_on)],
      [t('meeting.place'), m.place],
      [t('meeting.hosts'), (m.hosts || []).length ? partyList(d, m.hosts) : null],
      [t('meeting.participants'), (m.participants || []).length ? partyList(d, m.participants) : null, 'meeting-participants'],
      [t('meeting.source'), m.source ? (/^https?:\/\//.test(m.source) ? h('a', { href: m.source, rel: 'noopener' }, m.source) : m.source) : null],
    ], { id: 'meeting-facts' }));
  if (m.kind === 'emergency' || m.event_id != null) {
    const delay = fmtDuration(m.event_raised_at, m.called_at);
    root.append(h('section', { class: 'panel emergency-panel', id: 'emergency', 'aria-labelledby': 'em-h' },
      h('h2', { id: 'em-h' }, t('meeting.emergency')),
      m.evidence && m.evidence.drill ? h('p', { class: 'banner drill-banner' }, t('meeting.drill')) : null,
      facts([
        [t('meeting.event'), m.event_id != null ? h('a', { href: `#/alerts?event=${m.event_id}${m.evidence && m.evidence.drill ? `&drill=${encodeURIComponent(m.evidence.drill)}` : ''}`, id: 'meeting-event' }, t('meeting.openEvent', m.event_id)) : null],
        [t('meeting.raisedAt'), m.event_raised_at ? fmtDateTime(m.event_raised_at) : null],
        [t('meeting.calledAt'), m.called_at ? fmtDateTime(m.called_at) : null],
        [t('meeting.callDelay'), delay],
      ]),
      evidenceBlock(m.evidence),
      h('h3', { class: 'sub' }, t('meeting.notifications')),
      notificationsTable(m, data.notifications || [])));
  }
  root.append(h('section', { class: 'panel', id: 'meeting-agenda', 'aria-labelledby': 'ag-h' }, h('h2', { id: 'ag-h' }, t('meeting.agenda')),
    (m.agenda || []).length ? h('ol', {}, m.agenda.map((a, i) => h('li', {}, textIn(a, (m.agenda_i18n || [])[i])))) : h('p', { class: 'muted' }, t('meeting.noAgenda'))),
  h('div', { class: 'two-col process-two' },
    h('section', { class: 'panel', 'aria-labelledby': 'mr-h' }, h('h2', { id: 'mr-h' }, t('meeting.reports')), reportsTable(d, data.reports || [])),
    h('section', { class: 'panel', 'aria-labelledby': 'ma-h' }, h('h2', { id: 'ma-h' }, t('meeting.assessments')), assessmentsTable(d, data.assessments || []))),
  h('section', { class: 'panel', 'aria-labelledby': 'mc-h' }, h('h2', { id: 'mc-h' }, t('meeting.changes')), changesList(d, data.pillar_changes || [])));
}
