// The audit trail (GET /api/v1/audit, administrators): the newest lines
// first, filtered by person, action (exact, or a prefix ending in "."), and
// a range of UTC dates. The filters live in the URL hash.
import { get } from '../api.js';
import { h, clear } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { can, currentUser, hasAccounts } from '../session.js';
import { hashFor, replaceHash } from '../router.js';

const FILTERS = ['person', 'action', 'from', 'to'];

function outcomeBadge(o) {
  return h('span', { class: `badge outcome outcome-${o}`, dataset: { outcome: o } }, t(`audit.outcome.${o}`));
}

// "file: x.csv, rows_revised: 1, digest: 49b02d487b9e…" (a detail is an
// object of the action's own fields, or a text).
function detailText(d) {
  if (d === null || d === undefined) return '';
  if (typeof d !== 'object') return String(d);
  return Object.entries(d).map(([k, v]) => {
    let s = typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
    if (k === 'digest' && s.length > 12) s = `${s.slice(0, 12)}…`;
    return `${k}: ${s}`;
  }).join(', ');
}

export async function renderAudit(root, params, alive) {
  root.append(h('h1', {}, t('audit.title')));
  if (!can('read_audit')) {
    const me = currentUser();
    root.append(h('p', { id: 'audit-denied' }, !hasAccounts() ? t('upload.noAccounts')
      : me ? t('audit.noRight', me.name)
        : [t('audit.signInFirst'), ' ', h('a', { href: '#/signin?next=/audit', id: 'audit-signin' }, t('account.signIn'))]));
    return;
  }
  const sel = {};
  for (const f of FILTERS) sel[f] = params.get(f) || '';
  const inputs = {};
  const field = (f, type, hint) => {
    inputs[f] = h('input', { id: `audit-${f}`, type, value: sel[f], autocomplete: 'off', 'aria-describedby': hint ? `audit-${f}-hint` : null });
    return h('div', { class: `field${type === 'date' ? ' field-period' : ''}` }, h('label', { for: `audit-${f}` }, t(`audit.${f}`)), inputs[f],
      hint ? h('span', { id: `audit-${f}-hint`, class: 'muted small' }, hint) : null);
  };
  root.append(h('form', { class: 'pickers', id: 'audit-form', onsubmit: (e) => {
    e.preventDefault();
    const next = {};
    for (const f of FILTERS) next[f] = inputs[f].value.trim();
    location.hash = hashFor('audit', next);
  } },
  field('person', 'text'), field('action', 'text', t('audit.actionHint')), field('from', 'date'), field('to', 'date'),
  h('div', { class: 'field-submit' }, h('button', { type: 'submit', id: 'audit-apply' }, t('audit.apply')))));

  const out = h('div', { id: 'audit-out' });
  root.append(out);
  let before = params.get('before') || '';
  const more = h('button', { type: 'button', class: 'secondary', id: 'audit-more' }, t('audit.older'));
  const body = h('tbody', {});
  const load = async () => {
    const data = await get('audit', { ...sel, before, limit: 100 });
    if (!alive()) return;
    for (const l of data.lines || []) {
      body.append(h('tr', { class: 'audit-line', dataset: { id: l.id, action: l.action, person: l.person || '' } },
        h('td', { class: 'nowrap' }, h('time', { datetime: l.at }, fmtDateTime(l.at))),
        h('td', { class: 'person' }, l.person || h('span', { class: 'muted' }, t('audit.public'))),
        h('td', { class: 'action' }, h('code', {}, l.action)),
        h('td', { class: 'object' }, l.object || '–'),
        h('td', {}, outcomeBadge(l.outcome)),
        h('td', { class: 'small detail', lang: 'en' }, detailText(l.detail))));
    }
    before = data.before || '';
    more.hidden = !before;
    if (!body.children.length) clear(out).append(h('p', { id: 'audit-none' }, t('audit.none')));
  };
  more.addEventListener('click', async () => { more.disabled = true; try { await load(); } finally { more.disabled = false; } });
  out.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'audit-table' },
    h('thead', {}, h('tr', {}, ['when', 'person', 'action', 'object', 'outcome', 'detail'].map((c) => h('th', { scope: 'col' }, t(`audit.col.${c}`))))),
    body)), more);
  await load();
  replaceHash('audit', sel);
}
