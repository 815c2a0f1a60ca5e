// "Call an emergency session" on a warning event (alerts view), for who holds
// call_emergency_session: a first click opens the form (the declaration, the
// day, the place), a second confirms (POST /api/v1/events/{id}/emergency-session);
// the answer links to the session's page and says who was notified and who
// was not, and why.
import { get, post } from '../../api.js';
import { h, clear } from '../../dom.js';
import { t, getLang } from '../../i18n.js';
import { can } from '../../session.js';
import { link, today, partyName, DEFAULT_DECLARATION } from './common.js';

const FIELD_OF = { declaration: 'declaration', held_on: 'held_on', place: 'place', event: null, drill: null };

export function emergencySessionBox(e, drill) {
  if (!can('call_emergency_session')) return null;
  if (e.status !== 'open' && e.status !== 'acknowledged') return null;
  const box = h('div', { class: 'emergency-call', id: `emergency-${e.id}` });
  showOpener(box, e, drill);
  return box;
}

function showOpener(box, e, drill) {
  const opener = h('button', { type: 'button', class: 'secondary', id: 'emergency-open' }, t('emergency.call'));
  opener.addEventListener('click', async () => {
    opener.disabled = true;
    let declarations = [];
    try { declarations = (await get('process', { lang: getLang() })).declarations || []; } catch (_) { declarations = []; }
    clear(box).append(form(e, drill, declarations, box));
    const first = box.querySelector('input, select');
    if (first) first.focus();
  });
  clear(box).append(opener);
}

function form(e, drill, declarations, box) {
  const errors = {};
  const inputs = {};
  const field = (f, label, control) => {
    inputs[f] = control;
    control.id = `emergency-${f}`;
    errors[f] = h('span', { id: `emergency-${f}-error`, class: 'small error-text field-error', 'aria-live': 'polite' });
    control.setAttribute('aria-describedby', errors[f].id);
    return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, errors[f]);
  };
  const chosen = declarations.find((x) => x.code === DEFAULT_DECLARATION) || declarations[0];
  const decl = h('select', {}, declarations.map((x) => h('option', { value: x.code, selected: chosen && x.code === chosen.code ? 'selected' : null }, x.title || x.code)));
  const day = h('input', { type: 'date', value: today(), required: true });
  const place = h('input', { type: 'text', value: t('emergency.placeDefault'), autocomplete: 'off' });
  const msg = h('p', { class: 'small', id: 'emergency-msg', role: 'alert', 'aria-live': 'assertive' });
  const confirm = h('button', { type: 'submit', id: 'emergency-confirm' }, t('emergency.confirm'));
  const cancel = h('button', { type: 'button', class: 'secondary', id: 'emergency-cancel', onclick: () => showOpener(box, e, drill) }, t('emergency.cancel'));
  const el = h('form', { class: 'pickers emergency-form', id: 'emergency-form', novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    msg.textContent = '';
    msg.className = 'small';
    for (const f of Object.keys(errors)) errors[f].textContent = '';
    confirm.disabled = true;
    try {
      const body = { declaration: decl.value, held_on: day.value, place: place.value.trim(), hosts: [], drill: drill || '' };
      const made = await post(`events/${e.id}/emergency-session?lang=${getLang()}`, body);
      clear(box).append(done(made, body.declaration));
    } catch (err) {
      const f = FIELD_OF[err.parameter];
      if (f && errors[f]) { errors[f].textContent = err.message; inputs[f].focus(); } else { msg.className = 'small error-text'; msg.textContent = err.message; }
      confirm.disabled = false;
    }
  } },
  h('h3', { class: 'sub' }, t('emergency.call')),
  h('p', { class: 'small muted hint' }, t('emergency.intro')),
  declarations.length > 0 ? field('declaration', t('emergency.declaration'), decl) : null,
  field('held_on', t('emergency.heldOn'), day),
  field('place', t('emergency.place'), place),
  h('div', { class: 'field-submit' }, confirm, ' ', cancel), msg);
  return el;
}

function done(made, d) {
  const m = made.meeting || {};
  const notified = made.notifications || [];
  const apart = (made.route_states || []).filter((s) => s.not_notified);
  return h('div', { class: 'emergency-done', id: 'emergency-done', role: 'status' },
    h('p', { class: 'ok-text' }, t('emergency.called', m.code)), ' ',
    h('p', {}, h('a', { href: link('meeting', d, { code: m.code }), id: 'emergency-meeting-link', class: 'button-link' }, t('emergency.open'), ' →')),
    h('p', { class: 'small' }, t('emergency.notified', notified.length)),
    apart.length ? h('ul', { class: 'small muted' }, apart.map((s) => h('li', {}, t('emergency.notNotified', partyName(s.party), s.not_notified)))) : null);
}
