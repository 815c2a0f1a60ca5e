// Accounts (administrators, manage_accounts): the table of accounts from
// GET /api/v1/users, a form that adds one (POST /api/v1/users) and a Disable
// button per account (POST /api/v1/users/{id}/disable). The server checks
// every field; its refusal is shown as it words it, next to the field its
// `parameter` names (else above the button).
import { get, post } from '../api.js';
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { can, currentUser, hasAccounts, roleLabel } from '../session.js';

const ROLES = ['administrator', 'data_team', 'focal_point', 'task_force', 'analyst', 'secretariat'];
// The server's parameter -> the form's field that holds it.
const FIELD_OF = { name: 'name', email: 'email', password: 'password', organisation: 'organisation',
  language: 'language', roles: 'role', role: 'role', reporters: 'reporters', reporter: 'reporters' };

function accountRow(a, onDisable) {
  const status = a.disabled
    ? h('span', { class: 'badge outcome-refused' }, t('accounts.disabled'))
    : h('span', { class: 'badge outcome-ok' }, t('accounts.active'));
  const err = h('span', { class: 'small error-text row-error', role: 'alert' });
  // One's own account is not disabled from here (no one would be left signed in to undo it).
  const self = currentUser() && currentUser().name === a.name;
  const btn = a.disabled || self ? null : h('button', { type: 'button', class: 'secondary disable', 'aria-label': t('accounts.disableLabel', a.name) },
    t('accounts.disable'));
  if (btn) {
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      err.textContent = '';
      try {
        await onDisable(a);
      } catch (e) {
        err.textContent = e.message;
        btn.disabled = false;
      }
    });
  }
  return h('tr', { class: 'account-row', dataset: { name: a.name, id: a.id, disabled: a.disabled ? 'true' : 'false' } },
    h('td', { class: 'name' }, h('strong', {}, a.name), a.organisation ? h('div', { class: 'muted small' }, a.organisation) : null),
    h('td', { class: 'email' }, a.email),
    h('td', { class: 'roles', dataset: { label: t('accounts.col.roles') } }, (a.roles || []).map(roleLabel).join(' · ')),
    h('td', { class: 'language', dataset: { label: t('accounts.col.language') } }, t(`accounts.lang.${a.language}`)),
    h('td', { class: 'status' }, status),
    h('td', { class: 'actions-cell' }, btn, btn ? err : null));
}

function accountForm(onAdded) {
  const inputs = {};
  const errors = {};
  const field = (f, control, cls = '') => {
    inputs[f] = control;
    errors[f] = h('span', { id: `acct-${f}-error`, class: 'small error-text field-error', 'aria-live': 'polite' });
    control.id = `acct-${f}`;
    control.setAttribute('aria-describedby', `acct-${f}-error${f === 'reporters' ? ' acct-reporters-hint' : ''}`);
    return h('div', { class: `field ${cls}`.trim(), id: `acct-${f}-field` },
      h('label', { for: `acct-${f}` }, t(`accounts.field.${f}`)), control,
      f === 'reporters' ? h('span', { id: 'acct-reporters-hint', class: 'muted small' }, t('accounts.reportersHint')) : null,
      errors[f]);
  };
  const text = (attrs) => h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
  const role = h('select', {}, ROLES.map((r) => h('option', { value: r }, t(`account.role.${r}`))));
  const language = h('select', {}, ['en', 'es'].map((l) => h('option', { value: l }, t(`accounts.lang.${l}`))));
  const msg = h('p', { id: 'accounts-msg', class: 'small', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', id: 'acct-submit' }, t('accounts.add'));
  const reportersField = field('reporters', text({ autocapitalize: 'characters', placeholder: 'PAN, CRI' }), 'field-wide');
  const showReporters = () => { reportersField.hidden = role.value !== 'focal_point'; };
  role.addEventListener('change', showReporters);

  const clearErrors = () => {
    msg.textContent = '';
    msg.className = 'small';
    for (const f of Object.keys(errors)) { errors[f].textContent = ''; inputs[f].removeAttribute('aria-invalid'); }
  };
  const form = h('form', { class: 'pickers account-form', id: 'accounts-form', novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    clearErrors();
    const grant = { role: role.value };
    if (role.value === 'focal_point') {
      grant.reporters = inputs.reporters.value.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
    }
    const body = { name: inputs.name.value.trim(), email: inputs.email.value.trim(), password: inputs.password.value,
      roles: [grant], language: language.value };
    if (inputs.organisation.value.trim()) body.organisation = inputs.organisation.value.trim();
    submit.disabled = true;
    try {
      const made = await post('users', body);
      form.reset();
      showReporters();
      msg.className = 'small ok-text';
      msg.textContent = t('accounts.added', made.name);
      await onAdded(made);
    } catch (err) {
      const f = FIELD_OF[err.parameter];
      if (f && errors[f]) {
        errors[f].textContent = err.message;
        inputs[f].setAttribute('aria-invalid', 'true');
        inputs[f].focus();
      } else {
        msg.className = 'small error-text';
        msg.textContent = err.message;
      }
    } finally {
      submit.disabled = false;
    }
  } },
  h('h2', {}, t('accounts.addTitle')),
  field('name', text({ autocapitalize: 'none' })),
  field('email', text({ inputmode: 'email', autocapitalize: 'none' }), 'field-wide'),
  field('role', role),
  reportersField,
  field('language', language),
  field('organisation', text({}), 'field-wide'),
  field('password', h('input', { type: 'password', autocomplete: 'new-password' })),
  h('div', { class: 'field-submit' }, submit),
  msg);
  showReporters();
  return form;
}

export async function renderAccounts(root, params, alive) {
  root.append(h('h1', {}, t('accounts.title')));
  if (!can('manage_accounts')) {
    const me = currentUser();
    root.append(h('p', { id: 'accounts-denied' }, !hasAccounts() ? t('upload.noAccounts')
      : me ? t('accounts.noRight', me.name)
        : [t('accounts.signInFirst'), ' ', h('a', { href: '#/signin?next=/accounts', id: 'accounts-signin' }, t('account.signIn'))]));
    return;
  }
  const body = h('tbody', {});
  const count = h('p', { class: 'muted small', id: 'accounts-count' });
  const load = async () => {
    const data = await get('users');
    if (!alive()) return;
    const users = data.users || [];
    clear(body).append(...users.map((a) => accountRow(a, async (acct) => {
      await post(`users/${acct.id}/disable`, {});
      await load();
    })));
    count.textContent = t('accounts.count', users.length);
  };
  root.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'accounts-table' },
    h('thead', {}, h('tr', {}, ['name', 'email', 'roles', 'language', 'status', 'actions'].map((c) => h('th', { scope: 'col' }, t(`accounts.col.${c}`))))),
    body)), count, accountForm(load));
  await load();
}
