// A commitment's page (#/commitment?code=...): its text, parties, pillar and
// package, target and deadline; the mismatch flag (what was reported against
// what the data show) first; observed progress with a chart against the
// target; the roadmap and evidence; the self-reported statuses and the
// independent assessments meeting by meeting; and the forms to add either,
// for who may.
import { h } from '../../dom.js';
import { t, fmtNum, fmtPeriod, unitName } from '../../i18n.js';
import { currentUser, hasAccounts } from '../../session.js';
import {
  processGet, chooseDeclaration, link, fmtDay, today, textIn, backLink, facts, partyList, pillarKindBadge,
  statusBadge, completionBadge, meetingLink, mayReport, mayAssess,
} from './common.js';
import { flagBox, progressPanel } from './progress.js';
import { reportForm, assessmentForm } from './forms.js';

function roadmap(c) {
  const now = today();
  return h('section', { class: 'panel', id: 'roadmap', 'aria-labelledby': 'roadmap-h' }, h('h2', { id: 'roadmap-h' }, t('commitment.roadmap')),
    (c.roadmap || []).length ? h('ol', { class: 'timeline' }, c.roadmap.map((m) => {
      const state = m.done_on ? 'done' : m.due_on < now ? 'overdue' : 'due';
      return h('li', { class: `milestone ms-${state}`, dataset: { state } },
        h('span', { class: `badge ms-badge ms-${state}` }, m.done_on ? t('commitment.doneOn', fmtDay(m.done_on))
          : state === 'overdue' ? t('commitment.overdue', fmtDay(m.due_on)) : t('commitment.dueOn', fmtDay(m.due_on))),
        ' ', textIn(m.description, m.description_i18n));
    })) : h('p', { class: 'muted' }, t('commitment.noRoadmap')));
}

function evidence(c) {
  return h('section', { class: 'panel', id: 'evidence', 'aria-labelledby': 'evidence-h' }, h('h2', { id: 'evidence-h' }, t('commitment.evidence')),
    (c.evidence || []).length ? h('ul', { class: 'link-list' }, c.evidence.map((u) => h('li', {}, h('a', { href: u, rel: 'noopener' }, u))))
      : h('p', { class: 'muted' }, t('commitment.noEvidence')));
}

// A deadline as announced ("FY2024", "2021-12", "2028") in the page's
// language, with the day it is read as when that says more.
function deadlineText(dl) {
  if (/^\d{4}-\d{2}-\d{2}$/.test(dl.as_stated)) return fmtDay(dl.as_stated);
  const stated = fmtPeriod(dl.as_stated, 'short');
  return stated === fmtDay(dl.by) ? stated : t('commitment.deadlineBy', stated, fmtDay(dl.by));
}

// A source as cited: its addresses made links, the rest as written.
function sourceText(source) {
  return source.split(/(https?:\/\/\S+)/).filter(Boolean).map((part) => (/^https?:\/\//.test(part)
    ? h('a', { href: part, rel: 'noopener', class: 'source-link' }, part) : part));
}

// Statuses and assessments grouped by meeting, oldest meeting first.
function historyTable(d, statuses, assessments, meetings) {
  const byCode = new Map(meetings.map((m) => [m.code, m]));
  const rows = new Map();
  const row = (x) => {
    if (!rows.has(x.meeting)) rows.set(x.meeting, { meeting: byCode.get(x.meeting) || { code: x.meeting, title: x.meeting, held_on: x.held_on }, held_on: x.held_on, reports: [], assessments: [] });
    return rows.get(x.meeting);
  };
  for (const s of statuses) row(s).reports.push(s);
  for (const a of assessments) row(a).assessments.push(a);
  const none = (text) => h('span', { class: 'muted small history-none-here' }, text);
  const list = [...rows.values()].sort((a, b) => (a.held_on || '').localeCompare(b.held_on || ''));
  if (!list.length) return h('p', { class: 'muted', id: 'history-none' }, t('commitment.noHistory'));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data history-table', id: 'commitment-history' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.meeting')), h('th', { scope: 'col' }, t('commitment.reported')),
      h('th', { scope: 'col' }, t('commitment.assessed')))),
    h('tbody', {}, list.map((r) => h('tr', { dataset: { meeting: r.meeting.code } },
      h('th', { scope: 'row' }, meetingLink(d, r.meeting), h('div', { class: 'muted small' }, fmtDay(r.held_on))),
      h('td', { class: 'reports', dataset: { label: t('commitment.reported') } }, r.reports.length ? null : none(t('commitment.noReportHere')), r.reports.map((s) => h('div', { class: 'history-entry', dataset: { status: s.status } },
        statusBadge(s.status), s.narrative ? [' ', textIn(s.narrative, s.narrative_i18n, { class: 'narrative' })] : null,
        s.reported_by ? h('div', { class: 'muted small' }, s.reported_by.name) : null))),
      h('td', { class: 'assessments', dataset: { label: t('commitment.assessed') } }, r.assessments.length ? null : none(t('commitment.noAssessmentHere')), r.assessments.map((a) => h('div', { class: 'history-entry', dataset: { completion: a.completion } },
        completionBadge(a.completion), a.rationale ? [' ', textIn(a.rationale, a.rationale_i18n, { class: 'rationale' })] : null,
        a.assessed_by ? h('div', { class: 'muted small' }, a.assessed_by.name) : null))))))));
}

export async function renderCommitment(root, params, alive) {
  const code = params.get('code') || '';
  const d = await chooseDeclaration(params);
  if (!alive()) return;
  if (!d) { root.append(h('h1', {}, t('nav.commitment')), h('p', {}, t('process.none'))); return; }
  const [data, decl] = await Promise.all([processGet(d, ['commitments', code]), processGet(d, [])]);
  if (!alive()) return;
  const c = data.commitment;
  const pillar = (decl.pillars || []).find((p) => p.code === c.pillar);
  const pkg = c.package ? (decl.packages || []).find((p) => p.code === c.package) : null;
  const meetings = decl.meetings || [];
  const madeAt = c.made_at ? meetings.find((m) => m.code === c.made_at) : null;
  const drawers = [];

  root.append(backLink(link('process', d), t('pillar.back'), 'commitment-back'),
    h('h1', { id: 'commitment-title' }, h('span', { class: 'muted' }, `${t('nav.commitment')} `), c.code),
    h('p', { class: 'commitment-text', id: 'commitment-text' }, textIn(c.text, c.text_i18n)),
    h('p', { class: 'latest-line', id: 'latest-line' }, `${t('commitment.latestStatus')}: `, statusBadge(c.latest_status && c.latest_status.status),
      c.latest_status ? h('span', { class: 'muted small' }, ` (${fmtDay(c.latest_status.held_on)})`) : null, ` · ${t('commitment.latestAssessment')}: `,
      completionBadge(c.latest_assessment && c.latest_assessment.completion),
      c.latest_assessment ? h('span', { class: 'muted small' }, ` (${fmtDay(c.latest_assessment.held_on)})`) : null));
  const flag = flagBox(data.progress, c);
  if (flag) root.append(flag);
  root.append(facts([
    [t('commitment.parties'), partyList(d, c.parties), 'fact-parties'],
    [t('commitment.pillar'), pillar ? [h('a', { href: link('pillar', d, { code: pillar.code }), class: 'pillar-link' }, `${pillar.code} · `, textIn(pillar.name, pillar.name_i18n)),
      pillarKindBadge(pillar) ? [' ', pillarKindBadge(pillar)] : null] : c.pillar, 'fact-pillar'],
    [t('commitment.package'), pkg ? textIn(pkg.name, pkg.name_i18n) : c.package, 'fact-package'],
    [t('commitment.kind'), t(`ckind.${c.kind}`)],
    [t('commitment.target'), c.target ? [`${fmtNum(c.target.value)} ${unitName(c.target.unit)}`, c.target.note ? h('span', { class: 'muted small' }, ` (${c.target.note})`) : null]
      : h('span', { class: 'muted' }, t('commitment.noTarget')), 'fact-target'],
    [t('commitment.deadline'), c.deadline ? deadlineText(c.deadline) : h('span', { class: 'muted' }, t('commitment.noDeadline')), 'fact-deadline'],
    [t('commitment.made'), madeAt ? [fmtDay(c.made_on), ', ', meetingLink(d, madeAt)] : fmtDay(c.made_on)],
    [t('commitment.source'), c.source ? sourceText(c.source) : null],
  ], { id: 'commitment-facts' }));

  root.append(progressPanel(c, data.progress, data.points, drawers));
  root.append(h('div', { class: 'two-col process-two' }, roadmap(c), evidence(c)));
  root.append(h('section', { class: 'panel', id: 'history', 'aria-labelledby': 'history-h' }, h('h2', { id: 'history-h' }, t('commitment.history')),
    historyTable(d, data.statuses || [], data.assessments || [], meetings)));

  // The forms, for who may use them (the page is drawn again after a change).
  const saved = () => {
    sessionStorage.setItem('atalaya.process.saved', JSON.stringify({ code: c.code }));
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  };
  const forms = [];
  if (mayReport(c.parties)) forms.push(reportForm(d, c, meetings, saved));
  if (mayAssess()) forms.push(assessmentForm(d, c, meetings, saved));
  if (forms.length) root.append(h('div', { class: 'process-forms' }, forms));
  else if (hasAccounts() && !currentUser()) {
    root.append(h('p', { class: 'muted small', id: 'process-signin' }, t('form.signIn'), ' ',
      h('a', { href: `#/signin?next=${encodeURIComponent(`/commitment?${params.toString()}`)}` }, t('account.signIn'))));
  }
  // After a change: say so, beside the history.
  const note = sessionStorage.getItem('atalaya.process.saved');
  if (note) {
    sessionStorage.removeItem('atalaya.process.saved');
    const { code: savedCode } = JSON.parse(note);
    if (savedCode === c.code) {
      document.getElementById('history-h').after(h('p', { class: 'ok-text small', id: 'process-saved', role: 'status' }, t('form.saved')));
    }
  }
  requestAnimationFrame(() => drawers.forEach((f) => f()));
}
