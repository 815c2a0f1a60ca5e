// A pillar and its history (#/pillar?code=P1): kind, goals, every decision
// about it (added, changed, continued, retired, merged) with the meeting that
// took it, and its commitments.
import { h } from '../../dom.js';
import { t } from '../../i18n.js';
import {
  processGet, chooseDeclaration, link, fmtDay, pillarKindBadge, meetingLink, textIn, backLink, facts,
  statusBadge, completionBadge, partyList, commitmentLink,
} from './common.js';

export async function renderPillar(root, params, alive) {
  const code = params.get('code') || '';
  const d = await chooseDeclaration(params);
  if (!alive()) return;
  if (!d) { root.append(h('h1', {}, t('nav.pillar')), h('p', {}, t('process.none'))); return; }
  const [data, list] = await Promise.all([processGet(d, ['pillars', code]), processGet(d, ['commitments'], { pillar: code })]);
  if (!alive()) return;
  const p = data.pillar;
  root.append(backLink(link('process', d), t('pillar.back'), 'pillar-back'),
    h('h1', { id: 'pillar-title' }, `${p.code} · `, textIn(p.name, p.name_i18n)),
    h('p', {}, pillarKindBadge(p) || h('span', { class: 'badge pk pk-permanent' }, t('pkind.permanent')),
      p.event_id != null ? [' ', h('a', { href: `#/alerts?event=${p.event_id}` }, t('pillar.event', p.event_id))] : null),
    facts([
      [t('pillar.opened'), fmtDay(p.opened_on)],
      [t('pillar.closed'), p.closed_on ? fmtDay(p.closed_on) + (p.merged_into ? ` · ${t('process.mergedInto', p.merged_into)}` : '') : null],
    ]),
    h('section', { class: 'panel', 'aria-labelledby': 'goals-h' }, h('h2', { id: 'goals-h' }, t('pillar.goals')),
      (p.goals || []).length ? h('ul', {}, p.goals.map((g, i) => h('li', {}, textIn(g, (p.goals_i18n || [])[i]))))
        : h('p', { class: 'muted' }, t('pillar.noGoals'))));

  const history = data.history || [];
  root.append(h('section', { class: 'panel', id: 'pillar-history', 'aria-labelledby': 'ph-h' },
    h('h2', { id: 'ph-h' }, t('pillar.history')),
    history.length ? h('ol', { class: 'timeline' }, history.map((c) => h('li', { dataset: { kind: c.kind } },
      h('span', { class: `badge ch ch-${c.kind}` }, t(`change.${c.kind}`)), ' ',
      c.meeting ? [h('time', { datetime: c.meeting.held_on }, fmtDay(c.meeting.held_on)), ' · ', meetingLink(d, c.meeting)]
        : h('span', { class: 'muted' }, t('pillar.meetingNotStored')),
      c.note ? h('p', { class: 'small' }, textIn(c.note, c.note_i18n)) : null,
      c.after ? h('p', { class: 'muted small' }, `${t('pillar.after')}: ${c.after.code} · ${c.after.name}`,
        c.after.kind !== 'permanent' ? [' ', pillarKindBadge(c.after)] : null) : null)))
      : h('p', { class: 'muted' }, t('pillar.noHistory'))));

  const commitments = list.commitments || [];
  root.append(h('section', { class: 'panel', id: 'pillar-commitments', 'aria-labelledby': 'pc-h' },
    h('h2', { id: 'pc-h' }, t('pillar.commitments')),
    h('p', { class: 'muted small' }, t('pillar.holds', data.commitments ?? commitments.length)),
    commitments.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'data' },
      h('thead', {}, h('tr', {}, ['code', 'text', 'reported', 'assessed'].map((c) => h('th', { scope: 'col' }, t(`col.${c}`))))),
      h('tbody', {}, commitments.map((c) => h('tr', { dataset: { commitment: c.code } },
        h('td', {}, commitmentLink(d, c.code), h('div', { class: 'small' }, partyList(d, c.parties))),
        h('td', { class: 'text-cell' }, textIn(c.text, c.text_i18n)),
        h('td', {}, statusBadge(c.latest_status && c.latest_status.status)),
        h('td', {}, completionBadge(c.latest_assessment && c.latest_assessment.completion))))))) : null));
}
