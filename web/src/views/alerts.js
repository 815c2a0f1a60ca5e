// Alert inbox: active alerts by default, each with its evidence, explanation
// and history; Acknowledge and Resolve post to the API.
import { get, post, cached } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { t, fmtNum, fmtPeriod, fmtDateTime, countryName, placeName, getLang } from '../i18n.js';
import { lineChart, legend, periodIndex, indexPeriod } from '../charts.js';
import { replaceHash } from '../router.js';

const STATUSES = ['active', 'open', 'acknowledged', 'resolved', 'expired', 'all'];
const NAME_KEY = 'atalaya.name';
const TOKEN_KEY = 'atalaya.token';
// On a server with editors (`serve --editors`), a change carries the editor's
// token and the server takes the name from it; otherwise the name typed here.
let editorsOnly = false;
let checkpointNames = new Map();

export function severityBadge(sev) {
  return h('span', { class: `badge sev sev-${sev}` }, t(`sev.${sev}`));
}
export function statusBadge(st) {
  return h('span', { class: `badge st st-${st}`, dataset: { status: st } }, t(`st.${st}`));
}
function keyLabel(k) {
  const l = t(`key.${k}`);
  return l === `key.${k}` ? k : l;
}
function windowOf(a) {
  if (a.window_from || a.window_to) return { from: a.window_from, to: a.window_to };
  if (a.window && (a.window.from || a.window.to)) return a.window;
  return null;
}
function whereOf(key) {
  if (key.checkpoint) return checkpointNames.get(key.checkpoint) || key.checkpoint;
  return key.source || key.reporter || key.location || '';
}
// A title in the chosen language, built from the alert's key.
export function alertTitle(a) {
  const key = a.key || {};
  const who = key.citizenship ? countryName(key.citizenship) : '';
  const where = whereOf(key);
  // A checkpoint in the key is where the flow is projected to arrive.
  const sep = key.checkpoint ? ' → ' : ' · ';
  return [who, where].filter(Boolean).join(sep) + (a.last_period ? ` · ${fmtPeriod(a.last_period, 'short')}` : '');
}

function evidenceRules(a) {
  const e = a.evidence || {};
  const rules = [];
  if ((a.rule === 'threshold' || a.rule === 'forecast_exceedance') && e.threshold != null) {
    rules.push({ y: e.threshold, label: `${a.rule === 'threshold' ? t('alerts.threshold') : t('alerts.upper')} ${fmtNum(e.threshold)}`, color: '#b03a2e' });
    if (a.rule === 'forecast_exceedance' && e.baseline != null) rules.push({ y: e.baseline, label: `${t('alerts.expected')} ${fmtNum(e.baseline)}`, color: '#555', dash: '2 3' });
  } else if ((a.rule === 'growth' || a.rule === 'upstream') && e.baseline != null) {
    rules.push({ y: e.baseline, label: `${t('alerts.baseline')} ${fmtNum(e.baseline)}`, color: '#555', dash: '2 3' });
    if (e.threshold != null) rules.push({ y: e.baseline * e.threshold, label: `${t('alerts.threshold')} ×${fmtNum(e.threshold, 1)}`, color: '#b03a2e' });
  } else if (e.baseline != null) {
    rules.push({ y: e.baseline, label: `${t('alerts.expected')} ${fmtNum(e.baseline)}`, color: '#555', dash: '2 3' });
  }
  return rules;
}

function alertCard(a, onChange, highlight) {
  const e = a.evidence || {};
  const key = a.key || {};
  const win = windowOf(a);
  const card = h('article', { class: `alert-card sev-border-${a.severity}${highlight ? ' highlight' : ''}`, id: `alert-${a.id}`, dataset: { id: a.id, status: a.status }, 'aria-labelledby': `alert-h-${a.id}` });
  card.append(h('header', { class: 'alert-head' },
    h('h2', { id: `alert-h-${a.id}` }, alertTitle(a)),
    h('div', { class: 'badges' }, severityBadge(a.severity), ' ', statusBadge(a.status), h('span', { class: 'muted small' }, ` #${a.id}`))));
  const facts = h('dl', { class: 'facts' },
    h('div', {}, h('dt', {}, t('alerts.trigger')), h('dd', {}, h('span', { lang: a.trigger_label ? a.lang : 'en' }, a.trigger_label || a.trigger_name || a.trigger), h('span', { class: 'muted small' }, ` (${a.trigger})`))),
    h('div', {}, h('dt', {}, t('alerts.key')), h('dd', { class: 'key' }, Object.entries(key).map(([k, v]) => h('span', { class: 'chip' }, `${keyLabel(k)}: `, h('code', {}, v))))),
    h('div', {}, h('dt', {}, t('alerts.periods')), h('dd', {}, a.first_period === a.last_period ? fmtPeriod(a.first_period) : `${fmtPeriod(a.first_period)} – ${fmtPeriod(a.last_period)}`)),
    win ? h('div', { class: 'window' }, h('dt', {}, t('alerts.window')), h('dd', {}, h('strong', {}, win.from === win.to ? fmtPeriod(win.from) : `${fmtPeriod(win.from)} – ${fmtPeriod(win.to)}`))) : null);
  card.append(facts);

  // Evidence chart: the recent months at the checkpoint that fired.
  const body = h('div', { class: 'alert-body' });
  const ev = h('div', { class: 'evidence' }, h('h3', { class: 'sub' }, t('alerts.evidence'),
    e.source_checkpoint ? h('span', { class: 'muted small' }, ` · ${t('alerts.at')} ${checkpointNames.get(e.source_checkpoint) || e.source_checkpoint}`) : null));
  const chartEl = h('div', { class: 'chart-box small-chart' });
  ev.append(chartEl);
  body.append(ev);
  const text = h('div', { class: 'explain' },
    h('h3', { class: 'sub' }, t('alerts.explanation')),
    // The API writes the explanation in the language asked for (`lang`).
    h('p', { lang: a.explanation ? a.lang : 'en', class: 'explanation' }, a.explanation || e.explanation || a.headline || ''),
    h('h3', { class: 'sub' }, t('alerts.history')),
    h('ol', { class: 'history small' }, (a.history || []).map((x) => h('li', {},
      h('time', { datetime: x.at }, fmtDateTime(x.at)), ' · ', statusBadge(x.status), ' · ', h('strong', {}, x.actor),
      x.note ? h('span', { class: 'muted', lang: 'en' }, ` — ${x.note}`) : null))));
  body.append(text);
  card.append(body);

  // Actions.
  if (a.status === 'open' || a.status === 'acknowledged') {
    const noteIn = h('input', { type: 'text', id: `note-${a.id}`, class: 'note-input', autocomplete: 'off' });
    const msg = h('p', { class: 'action-msg small', role: 'status', 'aria-live': 'polite' });
    const act = async (what) => {
      const by = (localStorage.getItem(NAME_KEY) || '').trim();
      const token = (localStorage.getItem(TOKEN_KEY) || '').trim();
      if (editorsOnly ? !token : !by) {
        msg.textContent = t(editorsOnly ? 'alerts.tokenNeeded' : 'alerts.nameNeeded');
        msg.className = 'action-msg small error-text';
        const field = document.getElementById(editorsOnly ? 'alert-token' : 'alert-name');
        if (field) field.focus();
        return;
      }
      for (const b of card.querySelectorAll('button')) b.disabled = true;
      try {
        const body = editorsOnly ? {} : { by };
        if (noteIn.value.trim()) body.note = noteIn.value.trim();
        const headers = editorsOnly ? { Authorization: `Bearer ${token}` } : {};
        const changed = await post(`alerts/${a.id}/${what}`, body, headers);
        onChange(changed.alert || changed, card);
      } catch (err) {
        msg.textContent = err.message;
        msg.className = 'action-msg small error-text';
        for (const b of card.querySelectorAll('button')) b.disabled = false;
      }
    };
    card.append(h('div', { class: 'actions' },
      h('label', { for: `note-${a.id}` }, t('alerts.note')), noteIn,
      a.status === 'open' ? h('button', { type: 'button', class: 'ack', onclick: () => act('acknowledge') }, t('alerts.acknowledge')) : null,
      h('button', { type: 'button', class: 'resolve secondary', onclick: () => act('resolve') }, t('alerts.resolve')),
      msg));
  }
  return { card, drawChart: () => drawEvidence(chartEl, a) };
}

function drawEvidence(el, a) {
  const e = a.evidence || {};
  const recent = e.recent || [];
  clear(el);
  if (!recent.length) return;
  const start = e.recent_start ? periodIndex(e.recent_start) : periodIndex(a.last_period) - recent.length + 1;
  const pts = recent.map((v, i) => ({ x: start + i, y: v, label: fmtPeriod(indexPeriod(start + i)) }));
  lineChart(el, { series: [{ name: t('col.value'), color: '#1f5f8b', points: pts }], rules: evidenceRules(a), height: 190, ariaLabel: `${t('alerts.evidence')}: ${alertTitle(a)}` });
}

// Checkpoint names (alert keys and evidence name checkpoints by id).
export async function loadCheckpointNames() {
  try {
    const routes = await cached('routes');
    checkpointNames = new Map();
    for (const r of routes.routes || []) for (const c of r.checkpoints || []) checkpointNames.set(c.id, placeName(c));
  } catch (_) { /* names fall back to ids */ }
}

export async function renderAlerts(root, params, alive) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : 'active';
  const focusId = params.get('id');
  await loadCheckpointNames();
  if (!alive()) return;
  root.append(h('h1', {}, t('alerts.title')));
  try {
    editorsOnly = (await cached('health')).changes === 'editors';
  } catch (_) { editorsOnly = false; }
  if (!alive()) return;
  const nameIn = h('input', { id: 'alert-name', type: 'text', autocomplete: 'name', value: localStorage.getItem(NAME_KEY) || '', 'aria-describedby': 'alert-name-hint',
    oninput: () => localStorage.setItem(NAME_KEY, nameIn.value.trim()) });
  const tokenIn = h('input', { id: 'alert-token', type: 'password', autocomplete: 'current-password', value: localStorage.getItem(TOKEN_KEY) || '', 'aria-describedby': 'alert-token-hint',
    oninput: () => localStorage.setItem(TOKEN_KEY, tokenIn.value.trim()) });
  const who = editorsOnly
    ? h('div', { class: 'field' }, h('label', { for: 'alert-token' }, t('alerts.token')), tokenIn,
      h('span', { id: 'alert-token-hint', class: 'muted small' }, t('alerts.tokenHint')))
    : h('div', { class: 'field' }, h('label', { for: 'alert-name' }, t('alerts.name')), nameIn,
      h('span', { id: 'alert-name-hint', class: 'muted small' }, t('alerts.nameHint')));
  const statusSel = h('select', { id: 'alert-status', onchange: () => { location.hash = `#/alerts?status=${statusSel.value}${params.get('trigger') ? `&trigger=${encodeURIComponent(params.get('trigger'))}` : ''}`; } },
    STATUSES.map((s) => h('option', { value: s, selected: s === status ? 'selected' : null }, t(`st.${s}`))));
  const form = h('form', { class: 'pickers alert-form', onsubmit: (ev) => ev.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'alert-status' }, t('alerts.status')), statusSel),
    who);
  root.append(form);
  const data = await get('alerts', { status, lang: getLang() });
  if (!alive()) return;
  const all = data.alerts || [];
  // Trigger filter, from the triggers present (client-side, so the list of
  // choices stays whole).
  const trigger = params.get('trigger') || '';
  const triggers = new Map();
  for (const a of all) triggers.set(a.trigger, a.trigger_label || a.trigger_name || a.trigger);
  const trigSel = h('select', { id: 'alert-trigger', onchange: () => {
    const q = new URLSearchParams();
    if (status !== 'active') q.set('status', status);
    if (trigSel.value) q.set('trigger', trigSel.value);
    location.hash = `#/alerts${q.toString() ? `?${q}` : ''}`;
  } },
  h('option', { value: '' }, t('explorer.all')),
  [...triggers.entries()].map(([id, name]) => h('option', { value: id, selected: id === trigger ? 'selected' : null }, `${name} (${id})`)));
  form.insertBefore(h('div', { class: 'field' }, h('label', { for: 'alert-trigger' }, t('alerts.trigger')), trigSel), form.children[1]);
  const alerts = trigger ? all.filter((a) => a.trigger === trigger) : all;
  root.append(h('p', { class: 'muted', id: 'alert-count' }, t('alerts.count', alerts.length)));
  if (!alerts.length) { root.append(h('p', {}, t('alerts.none'))); return; }
  const listEl = h('div', { class: 'alert-cards', id: 'alert-list' });
  root.append(listEl);
  const drawers = [];
  const onChange = (changed, oldCard) => {
    const { card, drawChart } = alertCard(changed, onChange, true);
    oldCard.replaceWith(card);
    drawChart();
    const m = h('p', { class: 'action-msg small ok-text', role: 'status' }, t('alerts.done'));
    card.append(m);
  };
  for (const a of alerts) {
    const { card, drawChart } = alertCard(a, onChange, String(a.id) === focusId);
    listEl.append(card);
    drawers.push(drawChart);
  }
  replaceHash('alerts', { status: status === 'active' ? '' : status, trigger, id: focusId });
  // Charts after layout, so they know their width.
  requestAnimationFrame(() => {
    for (const d of drawers) d();
    if (focusId) {
      const el = document.getElementById(`alert-${focusId}`);
      if (el) el.scrollIntoView({ block: 'start' });
    }
  });
}
