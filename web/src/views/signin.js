// Sign in: a name or e-mail and a password (POST /api/v1/session). The
// server's words are shown as they come (one message for a wrong name,
// e-mail or password); a lockout (429) also says when to try again.
import { h } from '../dom.js';
import { t, fmtDateTime } from '../i18n.js';
import { signIn, hasAccounts, currentUser } from '../session.js';

// Where to go after signing in: a view of this dashboard (#/upload), else the overview.
function nextHash(params) {
  const next = params.get('next') || '';
  return /^\/[a-z]+(\?.*)?$/.test(next) && !next.startsWith('/signin') ? `#${next}` : '#/overview';
}

function lockedMessage(err) {
  if (!err.retryAfter) return err.message;
  const when = new Date(Date.now() + err.retryAfter * 1000).toISOString();
  return `${err.message} ${t('signin.retryAt', fmtDateTime(when), Math.ceil(err.retryAfter / 60))}`;
}

export async function renderSignIn(root, params) {
  root.append(h('h1', {}, t('signin.title')));
  if (!hasAccounts()) { root.append(h('p', { id: 'signin-none' }, t('signin.noAccounts'))); return; }
  const me = currentUser();
  if (me) root.append(h('p', { class: 'muted', id: 'signin-already' }, t('signin.already', me.name)));
  const login = h('input', { id: 'signin-login', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { id: 'signin-password', type: 'password', autocomplete: 'current-password', required: true });
  const msg = h('p', { id: 'signin-msg', class: 'small', role: 'alert', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit', id: 'signin-submit' }, t('signin.submit'));
  const form = h('form', { class: 'panel signin-form', id: 'signin-form', onsubmit: async (e) => {
    e.preventDefault();
    msg.textContent = '';
    submit.disabled = true;
    try {
      await signIn(login.value.trim(), password.value);
      password.value = '';
      location.hash = nextHash(params);
    } catch (err) {
      msg.className = 'small error-text';
      msg.textContent = err.status === 429 ? lockedMessage(err) : err.message;
      submit.disabled = false;
      password.select();
    }
  } },
  h('div', { class: 'field' }, h('label', { for: 'signin-login' }, t('signin.login')), login),
  h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('signin.password')), password),
  h('div', { class: 'field-submit' }, submit), msg);
  root.append(form);
  login.focus();
}
