// What the L.A. Process views share: the API's paths (docs/api.md, "The L.A.
// Process"), the declaration shown, badges for statuses and assessments in
// one colour scheme, texts in the page's language, and day formatting.
import { get, apiUrl } from '../../api.js';
import { h } from '../../dom.js';
import { t, getLang, countryName } from '../../i18n.js';
import { hashFor } from '../../router.js';
import { currentUser, can } from '../../session.js';

export const STATUSES = ['planning', 'in_progress', 'fulfilled', 'stalled', 'withdrawn'];
export const BUCKETS = [...STATUSES, 'not_reported'];
export const COMPLETIONS = ['no_evidence', 'not_started', 'limited', 'substantial', 'complete'];
export const DEFAULT_DECLARATION = 'la-2022';

// /api/v1/process/{d}/... with the page's language.
export function processPath(d, ...parts) {
  return ['process', encodeURIComponent(d), ...parts.map((p) => encodeURIComponent(p))].join('/');
}
export function processGet(d, parts, params) {
  return get(processPath(d, ...parts), { lang: getLang(), ...(params || {}) });
}
export function exportUrl(d, format) {
  return apiUrl(processPath(d, 'commitments'), { format, lang: getLang() });
}

// The declaration a view shows: ?declaration=, else la-2022 when stored, else the first.
export async function chooseDeclaration(params) {
  const asked = params.get('declaration');
  if (asked) return asked;
  const list = (await get('process', { lang: getLang() })).declarations || [];
  if (!list.length) return null;
  return (list.find((d) => d.code === DEFAULT_DECLARATION) || list[0]).code;
}
// Links keep the declaration only when it is not the default.
export function link(view, d, params) {
  return hashFor(view, { ...(params || {}), declaration: d === DEFAULT_DECLARATION ? '' : d });
}

// A text from the API: the string in the page's language, with `lang` set
// when the API fell back to the other language (its `_i18n` beside it).
export function textIn(value, i18n, attrs = {}) {
  const lang = getLang();
  const other = lang === 'es' ? 'en' : 'es';
  const fellBack = i18n && !i18n[lang] && i18n[other];
  return h('span', { ...attrs, lang: fellBack ? other : null }, value || '');
}

// "2022-06-10" -> "10 Jun 2022" / "10 jun 2022".
export function fmtDay(day) {
  if (!day) return '–';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  return new Intl.DateTimeFormat(getLang(), { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })
    .format(new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])));
}
export function today() { return new Date().toISOString().slice(0, 10); }

// A duration between two UTC times, as "3 h 12 min" (null when either is missing).
export function fmtDuration(fromIso, toIso) {
  if (!fromIso || !toIso) return null;
  const s = Math.round((Date.parse(toIso) - Date.parse(fromIso)) / 1000);
  if (!Number.isFinite(s)) return null;
  const sign = s < 0 ? '−' : '';
  const a = Math.abs(s);
  if (a < 60) return sign + t('duration.s', a);
  if (a < 3600) return sign + t('duration.min', Math.round(a / 60));
  if (a < 86400) return sign + t('duration.h', Math.floor(a / 3600), Math.round((a % 3600) / 60));
  return sign + t('duration.d', Math.floor(a / 86400), Math.round((a % 86400) / 3600));
}

// A party: a country's name (the store's), or an organisation's code.
export function partyName(code) { return countryName(code); }
export function partyLink(d, code) {
  return h('a', { href: link('state', d, { code }), class: 'party-link', dataset: { party: code } }, partyName(code));
}
export function partyList(d, codes) {
  const out = [];
  (codes || []).forEach((c, i) => { if (i) out.push(', '); out.push(partyLink(d, c)); });
  return out;
}

export function statusBadge(status) {
  const s = status || 'not_reported';
  return h('span', { class: `badge rs rs-${s}`, dataset: { status: s } }, t(`rstatus.${s}`));
}
export function completionBadge(c) {
  const k = c || 'none';
  return h('span', { class: `badge cp cp-${k}`, dataset: { completion: k } }, t(`completion.${k}`));
}
export function pillarKindBadge(p) {
  if (p.kind === 'permanent') return null;
  const label = p.kind === 'temporary' && p.ends_on ? t('pkind.until', fmtDay(p.ends_on)) : t(`pkind.${p.kind}`);
  return h('span', { class: `badge pk pk-${p.kind}`, dataset: { kind: p.kind } }, label);
}
export function meetingKindBadge(m) {
  return h('span', { class: `badge mk mk-${m.kind}` }, t(`mkind.${m.kind}`));
}
export function pillarLabel(p) {
  return `${p.code} · ${p.name}`;
}
export function pillarLink(d, p) {
  return h('a', { href: link('pillar', d, { code: p.code }), class: 'pillar-link', dataset: { pillar: p.code } }, pillarLabel(p));
}
export function meetingLink(d, m) {
  if (!m) return null;
  return h('a', { href: link('meeting', d, { code: m.code }), class: 'meeting-link', dataset: { meeting: m.code } }, m.title || m.code);
}
export function commitmentLink(d, code) {
  return h('a', { href: link('commitment', d, { code }), class: 'commitment-link', dataset: { commitment: code } }, code);
}

// Who may report a commitment's status: report_commitments for every party
// (an administrator for all; a focal point for its reporters). The server
// checks again; this only decides whether the form is shown.
export function mayReport(parties) {
  const me = currentUser();
  if (!me || !can('report_commitments')) return false;
  const roles = me.roles || [];
  if (roles.some((r) => r.role === 'administrator')) return true;
  const mine = new Set(roles.flatMap((r) => (r.role === 'focal_point' ? r.reporters || [] : [])));
  return (parties || []).length > 0 && parties.every((p) => mine.has(p));
}
export function mayAssess() { return can('manage_process'); }

export function backLink(href, label, id) {
  return h('p', { class: 'small' }, h('a', { href, id }, label));
}
// A definition list of facts ("label: value"), skipping empty values.
export function facts(pairs, attrs = {}) {
  return h('dl', { class: 'facts process-facts', ...attrs }, pairs.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v, id]) => h('div', { id: id || null }, h('dt', {}, k), h('dd', {}, v))));
}
