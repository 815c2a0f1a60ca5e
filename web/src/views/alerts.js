// The warning inbox: one event per movement (a citizenship along a route),
// most new and urgent first (the API ranks them), as a compact list; a row
// opens the event: every checkpoint's evidence and projected arrival, its
// history, Acknowledge and Resolve. A drill (watch --as-of, replay --drill)
// is shown under a banner, never mixed with the live inbox.
import { get, post, cached } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { t, fmtNum, fmtPeriod, fmtDateTime, countryName, placeName, getLang } from '../i18n.js';
import { lineChart, legend, periodIndex, indexPeriod } from '../charts.js';
import { replaceHash } from '../router.js';
import { signedIn, currentUser } from '../session.js';
import { emergencySessionBox } from './process/emergency.js';

const STATUSES = ['active', 'open', 'acknowledged', 'resolved', 'expired', 'all'];
const NAME_KEY = 'atalaya.name';
const TOKEN_KEY = 'atalaya.token';
// On a server with editors (`serve --editors`), a change carries the editor's
// token and the server takes the name from it (with accounts, a personal token
// works the same way); otherwise the name typed here. A person signed in
// needs neither: the session names them (api.js sends its CSRF token).
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

// --- The warning inbox: events ---------------------------------------------

function months(first, last) {
  return first === last ? fmtPeriod(first) : `${fmtPeriod(first)} – ${fmtPeriod(last)}`;
}
export function phaseBadge(phase) {
  return h('span', { class: `badge phase phase-${phase}`, dataset: { phase } }, t(`phase.${phase}`));
}
function cpName(cp) { return placeName(cp) || cp.id; }
// "Haitians · Darién → … → U.S. southwest border"
export function eventTitle(e) {
  const who = e.citizenship ? countryName(e.citizenship) : Object.values(e.movement || {}).join(' · ');
  const where = e.route ? placeName({ name: e.route_name, name_es: e.route_name_es, id: e.route }) : (e.checkpoints[0] || {}).id;
  return [who, where].filter(Boolean).join(' · ');
}
// The projected windows along the route (a checkpoint that already sees the
// movement keeps its window: when the surge seen upstream is to peak there).
function projections(e) {
  return e.checkpoints.filter((c) => c.window).map((c) => ({ cp: c, w: c.window }));
}
function spaceQuery(drill, extra) {
  const q = new URLSearchParams(extra || {});
  if (drill) q.set('drill', drill);
  const s = q.toString();
  return `#/alerts${s ? `?${s}` : ''}`;
}

function eventRow(e, drill) {
  const seen = e.checkpoints.filter((c) => c.observed);
  const windows = projections(e);
  return h('li', { class: `event-row sev-border-${e.severity}`, id: `event-${e.id}`, dataset: { id: e.id, status: e.status, phase: e.phase } },
    h('a', { href: spaceQuery(drill, { event: e.id }), class: 'event-link' },
      h('span', { class: 'event-badges' }, severityBadge(e.severity), ' ', phaseBadge(e.phase), ' ', statusBadge(e.status)),
      h('strong', { class: 'event-title' }, eventTitle(e)),
      h('span', { class: 'event-months muted' }, months(e.first_period, e.last_period)),
      h('span', { class: 'event-seen' }, h('span', { class: 'muted small' }, `${t('events.seenAt')}: `),
        seen.length ? seen.map((c) => h('span', { class: 'chip' }, cpName(c))) : h('span', { class: 'muted' }, '—')),
      windows.length ? h('span', { class: 'event-next small' }, `${t('alerts.window')}: `,
        windows.map((x, i) => [i ? ' · ' : '', `${cpName(x.cp)} `, h('strong', {}, months(x.w.from, x.w.to))])) : null));
}

function actions(e, onChange) {
  if (e.status !== 'open' && e.status !== 'acknowledged') return null;
  const noteIn = h('input', { type: 'text', id: `note-${e.id}`, class: 'note-input', autocomplete: 'off' });
  const msg = h('p', { class: 'action-msg small', role: 'status', 'aria-live': 'polite' });
  const box = h('div', { class: 'actions' });
  const act = async (what) => {
    const by = (localStorage.getItem(NAME_KEY) || '').trim();
    const token = (localStorage.getItem(TOKEN_KEY) || '').trim();
    const session = signedIn();
    if (!session && (editorsOnly ? !token : !by)) {
      msg.textContent = t(editorsOnly ? 'alerts.tokenNeeded' : 'alerts.nameNeeded');
      msg.className = 'action-msg small error-text';
      const field = document.getElementById(editorsOnly ? 'alert-token' : 'alert-name');
      if (field) field.focus();
      return;
    }
    for (const b of box.querySelectorAll('button')) b.disabled = true;
    try {
      const body = editorsOnly || session ? {} : { by };
      if (noteIn.value.trim()) body.note = noteIn.value.trim();
      const headers = editorsOnly && !session ? { Authorization: `Bearer ${token}` } : {};
      onChange(await post(`events/${e.id}/${what}?lang=${getLang()}`, body, headers));
    } catch (err) {
      msg.textContent = err.message;
      msg.className = 'action-msg small error-text';
      for (const b of box.querySelectorAll('button')) b.disabled = false;
    }
  };
  // (DOM append would print a null as "null": only the buttons that apply.)
  const buttons = [
    e.status === 'open' ? h('button', { type: 'button', class: 'ack', onclick: () => act('acknowledge') }, t('alerts.acknowledge')) : null,
    h('button', { type: 'button', class: 'resolve secondary', onclick: () => act('resolve') }, t('alerts.resolve')),
  ].filter(Boolean);
  box.append(h('label', { for: `note-${e.id}` }, t('alerts.note')), noteIn, ...buttons, msg);
  return box;
}

// One checkpoint of the event: the evidence of every alert seen there (one
// chart of the checkpoint's months), or the projected arrival window.
function checkpointSection(e, cp, drawers) {
  const sec = h('section', { class: `checkpoint${cp.observed ? ' observed' : ''}`, id: `cp-${cp.id}`, dataset: { observed: cp.observed ? '1' : '0' } },
    h('h3', {}, cpName(cp), cp.observed ? [' ', severityBadge(cp.severity)] : null));
  if (cp.observed) {
    // The checkpoint's own series: a series trigger's evidence (an upstream
    // alert seen here carries the same months).
    const lead = cp.evidence.find((x) => x.rule !== 'upstream') || cp.evidence[0];
    if (lead && (lead.evidence.recent || []).length) {
      const chartEl = h('div', { class: 'chart-box small-chart' });
      sec.append(chartEl);
      const a = { ...lead, id: lead.alert };
      drawers.push(() => drawEvidence(chartEl, a));
    }
    // One line per trigger (an upstream trigger fires once per downstream
    // checkpoint with the same evidence: shown once).
    const shown = new Set();
    sec.append(h('ul', { class: 'evidence-list' }, cp.evidence.filter((x) => {
      if (shown.has(x.trigger)) return false;
      shown.add(x.trigger);
      return true;
    }).map((x) => h('li', { class: 'evidence-item', dataset: { alert: x.alert, trigger: x.trigger } },
      severityBadge(x.severity), ' ', h('strong', { lang: x.trigger_label ? e.lang : 'en' }, x.trigger_label || x.trigger_name || x.trigger),
      h('span', { class: 'muted small' }, ` · ${months(x.first_period, x.last_period)} · #${x.alert}`),
      // The API writes the explanation in the language asked for (`lang`).
      h('p', { class: 'explanation', lang: x.explanation ? e.lang : 'en' }, x.explanation || x.evidence.explanation || '')))));
  }
  if (cp.window) {
    const from = e.checkpoints.find((c) => c.id === cp.window.seen_at);
    sec.append(h('p', { class: 'window' }, `${t('alerts.window')}: `, h('strong', {}, months(cp.window.from, cp.window.to)),
      h('span', { class: 'muted small' }, ` (${t('events.from', from ? cpName(from) : cp.window.seen_at)})`)));
  }
  if (!cp.observed && !cp.window) sec.append(h('p', { class: 'muted' }, t('events.notSeen')));
  return sec;
}

function eventDetail(e, drill, onChange) {
  const drawers = [];
  const card = h('article', { class: `event-card sev-border-${e.severity}`, id: `event-card-${e.id}`, dataset: { id: e.id, status: e.status }, 'aria-labelledby': `event-h-${e.id}` });
  card.append(h('p', {}, h('a', { href: spaceQuery(drill), id: 'event-back' }, t('events.back'))),
    h('header', { class: 'alert-head' },
      h('h2', { id: `event-h-${e.id}` }, eventTitle(e)),
      h('div', { class: 'badges' }, severityBadge(e.severity), ' ', phaseBadge(e.phase), ' ', statusBadge(e.status), h('span', { class: 'muted small' }, ` #${e.id}`))),
    h('dl', { class: 'facts' },
      h('div', {}, h('dt', {}, t('alerts.periods')), h('dd', {}, months(e.first_period, e.last_period))),
      h('div', {}, h('dt', {}, t('events.alerts')), h('dd', {}, fmtNum((e.alerts || []).filter((a) => a.status === 'open' || a.status === 'acknowledged').length)))));
  // A closed event has no actions (DOM append would print a null as "null").
  const acts = actions(e, onChange);
  if (acts) card.append(acts);
  // The task force calls an emergency session of the L.A. Process from here.
  const emergency = emergencySessionBox(e, drill);
  if (emergency) card.append(emergency);
  card.append(h('div', { class: 'checkpoints' }, e.checkpoints.map((cp) => checkpointSection(e, cp, drawers))));
  card.append(h('h3', { class: 'sub' }, t('alerts.history')),
    h('ol', { class: 'history small' }, (e.history || []).map((x) => h('li', {},
      h('time', { datetime: x.at }, fmtDateTime(x.at)), ' · ', statusBadge(x.status), ' · ', h('strong', {}, x.actor),
      // The system's own notes are English (the catalogues do not cover them yet).
      x.note ? h('span', { class: 'muted', lang: x.actor.startsWith('atalaya ') ? 'en' : null }, ` — ${x.note}`) : null))));
  return { card, draw: () => drawers.forEach((d) => d()) };
}

export async function renderAlerts(root, params, alive) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : 'active';
  const drill = params.get('drill') || '';
  const eventId = params.get('event');
  await loadCheckpointNames();
  if (!alive()) return;
  root.append(h('h1', {}, t('alerts.title')));
  let drills = [];
  try {
    editorsOnly = ['editors', 'accounts'].includes((await cached('health')).changes);
  } catch (_) { editorsOnly = false; }
  // Drills are not public on a server with accounts (401 without a sign-in).
  try { drills = (await get('drills')).drills || []; } catch (_) { drills = []; }
  if (!alive()) return;
  if (drill) {
    root.append(h('p', { class: 'banner drill-banner', id: 'drill-banner', role: 'note' }, t('events.drillBanner', drill)));
  }
  const nameIn = h('input', { id: 'alert-name', type: 'text', autocomplete: 'name', value: localStorage.getItem(NAME_KEY) || '', 'aria-describedby': 'alert-name-hint',
    oninput: () => localStorage.setItem(NAME_KEY, nameIn.value.trim()) });
  const tokenIn = h('input', { id: 'alert-token', type: 'password', autocomplete: 'current-password', value: localStorage.getItem(TOKEN_KEY) || '', 'aria-describedby': 'alert-token-hint',
    oninput: () => localStorage.setItem(TOKEN_KEY, tokenIn.value.trim()) });
  const who = signedIn()
    ? h('p', { class: 'field muted small', id: 'alert-acting' }, t('alerts.actingAs', currentUser().name))
    : editorsOnly
    ? h('div', { class: 'field' }, h('label', { for: 'alert-token' }, t('alerts.token')), tokenIn,
      h('span', { id: 'alert-token-hint', class: 'muted small' }, t('alerts.tokenHint')))
    : h('div', { class: 'field' }, h('label', { for: 'alert-name' }, t('alerts.name')), nameIn,
      h('span', { id: 'alert-name-hint', class: 'muted small' }, t('alerts.nameHint')));
  const go = (st, dr) => { location.hash = spaceQuery(dr, st !== 'active' ? { status: st } : {}); };
  const statusSel = h('select', { id: 'alert-status', onchange: () => go(statusSel.value, drill) },
    STATUSES.map((s) => h('option', { value: s, selected: s === status ? 'selected' : null }, t(`st.${s}`))));
  const drillSel = h('select', { id: 'alert-drill', onchange: () => go(status, drillSel.value) },
    h('option', { value: '' }, t('events.live')),
    drills.map((d) => h('option', { value: d.name, selected: d.name === drill ? 'selected' : null }, `${t('events.drill')}: ${d.name}`)));
  root.append(h('form', { class: 'pickers alert-form', onsubmit: (ev) => ev.preventDefault() },
    h('div', { class: 'field' }, h('label', { for: 'alert-status' }, t('alerts.status')), statusSel),
    drills.length || drill ? h('div', { class: 'field' }, h('label', { for: 'alert-drill' }, t('events.space')), drillSel) : null,
    who));

  if (eventId) {
    const box = h('div', { id: 'event-detail' });
    root.append(box);
    const show = (e) => {
      clear(box);
      const { card, draw } = eventDetail(e, drill, (changed) => {
        show(changed);
        box.querySelector('.actions, header').after(h('p', { class: 'action-msg small ok-text', role: 'status' }, t('alerts.done')));
      });
      box.append(card);
      requestAnimationFrame(draw);
    };
    show(await get(`events/${encodeURIComponent(eventId)}`, { lang: getLang() }));
    replaceHash('alerts', { event: eventId, drill });
    return;
  }

  const data = await get('events', { status, drill, lang: getLang() });
  if (!alive()) return;
  const events = data.events || [];
  root.append(h('p', { class: 'muted', id: 'alert-count' }, t('events.count', events.length)));
  if (!events.length) { root.append(h('p', {}, t('alerts.none'))); return; }
  root.append(h('ul', { class: 'event-list', id: 'event-list' }, events.map((e) => eventRow(e, drill))));
  replaceHash('alerts', { status: status === 'active' ? '' : status, drill });
}
