// The two forms on a commitment's page: a focal point reports a status at a
// meeting (POST .../commitments/{code}/reports), the secretariat records an
// assessment (POST .../assessments). Each is shown only to who may use it;
// the server checks again, and its refusal is shown next to the field its
// `parameter` names (else above the button).
import { post } from '../../api.js';
import { h } from '../../dom.js';
import { t, getLang } from '../../i18n.js';
import { STATUSES, COMPLETIONS, processPath, fmtDay, partyName } from './common.js';

// The meetings a status or an assessment may be given at: held on or after
// the commitment's day, newest first; the latest one held by today first
// selected.
function meetingOptions(meetings, madeOn) {
  const usable = meetings.filter((m) => m.held_on >= madeOn).sort((a, b) => b.held_on.localeCompare(a.held_on));
  const now = new Date().toISOString().slice(0, 10);
  const pick = usable.find((m) => m.held_on <= now) || usable[usable.length - 1];
  return usable.map((m) => h('option', { value: m.code, selected: pick && m.code === pick.code ? 'selected' : null },
    `${fmtDay(m.held_on)} · ${m.title || m.code}`));
}

// field(name, control): a labelled field with its own error line.
function fieldMaker(prefix, inputs, errors) {
  return (f, label, control, cls = '') => {
    inputs[f] = control;
    errors[f] = h('span', { id: `${prefix}-${f}-error`, class: 'small error-text field-error', 'aria-live': 'polite' });
    control.id = `${prefix}-${f}`;
    control.setAttribute('aria-describedby', `${prefix}-${f}-error`);
    return h('div', { class: `field ${cls}`.trim(), id: `${prefix}-${f}-field` }, h('label', { for: control.id }, label), control, errors[f]);
  };
}

// The server names a field as `meeting`, `status`, `narrative`, `narrative.en`...
// Every check is the server's (one language of a text may be empty, not both).
function fieldOf(parameter, known) {
  if (!parameter) return null;
  if (known.includes(parameter)) return parameter;
  const [head, tail] = parameter.split('.');
  if (tail && known.includes(`${head}_${tail}`)) return `${head}_${tail}`;
  // A text as a whole (both languages empty): the field in the page's language.
  if (known.includes(`${head}_${getLang()}`)) return `${head}_${getLang()}`;
  return known.includes(head) ? head : null;
}

function changeForm({ prefix, title, intro, fields, submitLabel, send, onSaved }) {
  const inputs = {};
  const errors = {};
  const field = fieldMaker(prefix, inputs, errors);
  const msg = h('p', { id: `${prefix}-msg`, class: 'small', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', id: `${prefix}-submit` }, submitLabel);
  const clearErrors = () => {
    msg.textContent = '';
    msg.className = 'small';
    for (const f of Object.keys(errors)) { errors[f].textContent = ''; inputs[f].removeAttribute('aria-invalid'); }
  };
  const showError = (f, text) => {
    if (f && errors[f]) {
      errors[f].textContent = text;
      inputs[f].setAttribute('aria-invalid', 'true');
      inputs[f].focus();
    } else {
      msg.className = 'small error-text';
      msg.textContent = text;
    }
  };
  const built = fields.map((x) => field(...x));
  const form = h('form', { class: 'pickers process-form', id: `${prefix}-form`, novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors();
    const body = send.body(inputs);
    submit.disabled = true;
    try {
      const saved = await post(send.path, body.value);
      form.reset();
      await onSaved(saved);
    } catch (err) {
      // "narrative: ..." is already in the server's message; it is shown as worded.
      showError(fieldOf(err.parameter, Object.keys(inputs)), err.message);
      submit.disabled = false;
    }
  } },
  h('h2', {}, title), h('p', { class: 'muted small' }, intro ? `${intro} ` : '', t('form.textHint')),
  ...built,
  h('div', { class: 'field-submit' }, submit), msg);
  return form;
}

function textarea() { return h('textarea', { rows: 3, spellcheck: 'true' }); }
function bilingual(inputs, name) {
  return { en: inputs[`${name}_en`].value.trim(), es: inputs[`${name}_es`].value.trim() };
}

export function reportForm(d, c, meetings, onSaved) {
  const options = meetingOptions(meetings, c.made_on);
  if (!options.length) return h('p', { class: 'muted', id: 'report-no-meeting' }, t('form.noMeeting'));
  return changeForm({
    prefix: 'report',
    title: t('form.report'),
    intro: t('form.reportFor', c.parties.map(partyName).join(', ')),
    fields: [
      ['meeting', t('form.meeting'), h('select', {}, options), 'field-wide'],
      ['status', t('form.status'), h('select', {}, STATUSES.map((s) => h('option', { value: s }, t(`rstatus.${s}`))))],
      ['narrative_en', t('form.narrativeEn'), textarea(), 'field-text'],
      ['narrative_es', t('form.narrativeEs'), textarea(), 'field-text'],
    ],
    submitLabel: t('form.submitReport'),
    send: {
      path: `${processPath(d, 'commitments', c.code, 'reports')}?lang=${getLang()}`,
      body: (inputs) => {
        return { value: { meeting: inputs.meeting.value, status: inputs.status.value, narrative: bilingual(inputs, 'narrative') } };
      },
    },
    onSaved,
  });
}

export function assessmentForm(d, c, meetings, onSaved) {
  const options = meetingOptions(meetings, c.made_on);
  if (!options.length) return h('p', { class: 'muted', id: 'assess-no-meeting' }, t('form.noMeeting'));
  return changeForm({
    prefix: 'assess',
    title: t('form.assess'),
    intro: t('form.assessIntro'),
    fields: [
      ['meeting', t('form.meeting'), h('select', {}, options), 'field-wide'],
      ['completion', t('form.completion'), h('select', {}, COMPLETIONS.map((s) => h('option', { value: s }, t(`completion.${s}`))))],
      ['rationale_en', t('form.rationaleEn'), textarea(), 'field-text'],
      ['rationale_es', t('form.rationaleEs'), textarea(), 'field-text'],
    ],
    submitLabel: t('form.submitAssess'),
    send: {
      path: `${processPath(d, 'commitments', c.code, 'assessments')}?lang=${getLang()}`,
      body: (inputs) => {
        return { value: { meeting: inputs.meeting.value, completion: inputs.completion.value, rationale: bilingual(inputs, 'rationale') } };
      },
    },
    onSaved,
  });
}
