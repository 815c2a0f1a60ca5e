// Accounts in the dashboard (issue 12), against a server whose store has
// accounts (tests/browser_test.sh makes it: the administrator at the command
// line; ATALAYA_ACCOUNTS_URL, ATALAYA_ADMIN_LOGIN, ATALAYA_ADMIN_PASSWORD,
// ATALAYA_DARIEN_CSV). The administrator adds Panama's focal point on the
// accounts page (and adds and disables an analyst); the focal point signs in,
// previews and stores a corrected Darién file, sees the new value in the
// explorer, and has a broken file refused with its line and column; the administrator's audit page shows both uploads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ATALAYA_ACCOUNTS_URL || '').replace(/\/+$/, '');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.SCREENSHOT_DIR || join(ROOT, 'build', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const ADMIN = { login: process.env.ATALAYA_ADMIN_LOGIN, password: process.env.ATALAYA_ADMIN_PASSWORD };
const FOCAL = { login: 'paula', password: 'darien crossings 2021' };
// Haitians through the Darién in August 2021: 17,279 in the published file.
const OLD = 17279;
const NEW = 17300;

let browser;
let dir;
let corrected;
let broken;
before(async () => {
  assert.ok(BASE, 'set ATALAYA_ACCOUNTS_URL (tests/browser_test.sh starts a server with accounts)');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // The two files: one value corrected, and one value that is no number.
  const lines = readFileSync(process.env.ATALAYA_DARIEN_CSV, 'utf8').split('\n');
  const at = lines.findIndex((l) => l.startsWith('"2021-08",') && l.includes('"HTI",'));
  assert.equal(lines[at], `"2021-08","2021-Q3","HTI",${OLD}`, 'the published file as the test knows it');
  dir = mkdtempSync(join(tmpdir(), 'atalaya-upload-'));
  corrected = join(dir, 'darien-corrected.csv');
  broken = join(dir, 'darien-broken.csv');
  writeFileSync(corrected, lines.map((l, i) => (i === at ? l.replace(`,${OLD}`, `,${NEW}`) : l)).join('\n'));
  writeFileSync(broken, lines.map((l, i) => (i === at ? l.replace(`,${OLD}`, ',17x79') : l)).join('\n'));
  brokenLine = at + 1;
});
after(async () => {
  if (browser) await browser.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
let brokenLine;

// The administrator's session, outside the browser (as a script would).
async function session(who) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who),
  });
  assert.equal(res.status, 200, `sign-in of ${who.login}: ${await res.clone().text()}`);
  const me = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { me, headers: { Cookie: cookie, 'X-CSRF-Token': me.csrf_token } };
}
async function darienValue() {
  const res = await fetch(`${BASE}/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-08&to=2021-08`);
  assert.equal(res.status, 200);
  return (await res.json()).rows[0].value;
}

async function openPage({ viewport = LAPTOP, locale = 'en-US', isMobile = false } = {}) {
  const context = await browser.newContext({ viewport, locale, isMobile, hasTouch: isMobile, deviceScaleFactor: 1 });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // Refusals the test asks for on purpose (a wrong password, a broken file,
  // a bad account field) log a failed load.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (400|401|422)/.test(m.text())) errors.push(m.text()); });
  page.done = async () => {
    assert.deepEqual(errors, [], 'no page errors');
    await context.close();
  };
  return page;
}
async function settled(page) { await page.waitForSelector('main[aria-busy="false"]'); }
async function shot(page, name) { await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }); }
async function signIn(page, who) {
  await page.fill('#signin-login', who.login);
  await page.fill('#signin-password', who.password);
  await page.click('#signin-submit');
}

// The administrator's accounts page: the form, its refusals next to their
// field, the table, and Disable.
async function fillAccount(page, a) {
  await page.fill('#acct-name', a.name);
  await page.fill('#acct-email', a.email);
  await page.selectOption('#acct-role', a.role);
  if (a.reporters !== undefined) await page.fill('#acct-reporters', a.reporters);
  await page.selectOption('#acct-language', a.language);
  await page.fill('#acct-organisation', a.organisation || '');
  await page.fill('#acct-password', a.password);
}

test('the administrator adds Panama\'s focal point on the accounts page', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/accounts`);
  await settled(page);
  assert.equal(await page.locator('#nav-accounts').count(), 0, 'the public has no accounts page in the menu');
  assert.match(await page.textContent('#accounts-denied'), /administrators/);
  await page.click('#accounts-signin');
  await page.waitForSelector('#signin-form');
  await signIn(page, ADMIN);
  await page.waitForSelector('#accounts-form');
  await settled(page);
  assert.equal(await page.locator('#nav-accounts').count(), 1);
  const rows = page.locator('#accounts-table tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.name)), [ADMIN.login]);
  assert.equal(await page.locator(`#accounts-table tr[data-name="${ADMIN.login}"] button.disable`).count(), 0,
    'no Disable button on one\'s own account');

  // Reporters are shown for a focal point only.
  await page.selectOption('#acct-role', 'analyst');
  assert.equal(await page.isVisible('#acct-reporters'), false);
  await page.selectOption('#acct-role', 'focal_point');
  assert.equal(await page.isVisible('#acct-reporters'), true);

  // A code that is no country: the server's words, next to the reporters field; nothing added.
  const paula = { name: FOCAL.login, email: 'paula@migracion.gob.pa', role: 'focal_point', reporters: 'pna',
    language: 'es', organisation: 'Servicio Nacional de Migración', password: FOCAL.password };
  await fillAccount(page, paula);
  await page.click('#acct-submit');
  await page.waitForFunction(() => document.querySelector('#acct-reporters-error').textContent.length > 0);
  assert.match(await page.textContent('#acct-reporters-error'), /PNA|pna/);
  assert.equal(await page.getAttribute('#acct-reporters', 'aria-invalid'), 'true');
  assert.equal(await page.textContent('#acct-name-error'), '');
  assert.equal(await rows.count(), 1, 'a refused account is not added');
  // A password that holds the account's name: said next to the password.
  await fillAccount(page, { ...paula, reporters: 'PAN', password: 'paula-darien-2021' });
  await page.click('#acct-submit');
  await page.waitForFunction(() => document.querySelector('#acct-password-error').textContent.length > 0);
  assert.match(await page.textContent('#acct-password-error'), /account's name/);
  assert.equal(await page.textContent('#acct-reporters-error'), '', 'the earlier refusal is gone');

  await fillAccount(page, { ...paula, reporters: 'PAN' });
  await page.click('#acct-submit');
  await page.waitForSelector(`#accounts-table tr[data-name="${FOCAL.login}"]`);
  assert.match(await page.textContent('#accounts-msg'), /Added paula/);
  const row = page.locator(`#accounts-table tr[data-name="${FOCAL.login}"]`);
  assert.equal(await row.locator('td.email').textContent(), 'paula@migracion.gob.pa');
  assert.equal(await row.locator('td.roles').textContent(), 'focal point for PAN');
  assert.equal(await row.locator('td.language').textContent(), 'Spanish');
  assert.equal(await row.getAttribute('data-disabled'), 'false');
  assert.equal(await page.inputValue('#acct-name'), '', 'the form is emptied for the next account');
  await shot(page, 'accounts-laptop-en');
  await page.done();

  // The server has her as the page showed her.
  const admin = await session(ADMIN);
  const res = await fetch(`${BASE}/api/v1/users`, { headers: admin.headers });
  const made = (await res.json()).users.find((u) => u.name === FOCAL.login);
  assert.deepEqual(made.roles, [{ role: 'focal_point', reporters: ['PAN'] }]);
  assert.equal(made.language, 'es');
  assert.equal(made.organisation, 'Servicio Nacional de Migración');
});

test('the administrator adds and disables an analyst (phone, Spanish)', async () => {
  const page = await openPage({ viewport: PHONE, locale: 'es-ES', isMobile: true });
  await page.goto(`${BASE}/#/signin?next=/accounts`);
  await settled(page);
  if ((await page.getAttribute('html', 'lang')) !== 'es') {
    await page.click('#lang-toggle');
    await settled(page);
  }
  await signIn(page, ADMIN);
  await page.waitForSelector('#accounts-form');
  await settled(page);
  assert.equal(await page.textContent('h1'), 'Cuentas');
  assert.equal(await page.textContent(`#accounts-table tr[data-name="${FOCAL.login}"] td.roles`), 'punto focal de PAN');
  await fillAccount(page, { name: 'tomas', email: 'tomas@example.org', role: 'analyst', language: 'en',
    password: 'a long enough passphrase' });
  await page.click('#acct-submit');
  const row = page.locator('#accounts-table tr[data-name="tomas"]');
  await row.waitFor();
  assert.equal(await row.locator('td.roles').textContent(), 'análisis');
  assert.equal(await row.getAttribute('data-disabled'), 'false');
  await row.locator('button.disable').click();
  await page.waitForSelector('#accounts-table tr[data-name="tomas"][data-disabled="true"]');
  assert.equal(await page.textContent('#accounts-table tr[data-name="tomas"] td.status'), 'desactivada');
  assert.equal(await page.locator('#accounts-table tr[data-name="tomas"] button.disable').count(), 0);
  assert.equal(await page.getAttribute(`#accounts-table tr[data-name="${FOCAL.login}"]`, 'data-disabled'), 'false');
  await shot(page, 'accounts-phone-es');
  await page.done();
});

test('the focal point signs in, previews a corrected Darién file, confirms, and the explorer shows the new value', async () => {
  assert.equal(await darienValue(), OLD);
  const page = await openPage();
  await page.goto(`${BASE}/#/upload`);
  await settled(page);
  // The public: no upload page in the menu, and the page asks for a sign-in.
  assert.equal(await page.locator('#nav-upload').count(), 0);
  await page.click('#upload-signin');
  await page.waitForSelector('#signin-form');
  await settled(page);
  // A wrong password: the server's one message, and no session.
  await signIn(page, { login: FOCAL.login, password: 'not the password at all' });
  await page.waitForFunction(() => document.querySelector('#signin-msg').textContent.length > 0);
  assert.match(await page.textContent('#signin-msg'), /password/i);
  assert.equal(await page.locator('#account-name').count(), 0);
  await shot(page, 'signin-refused-en');
  await signIn(page, FOCAL);
  // Back where the sign-in was asked for, named in the header.
  await page.waitForSelector('#upload-form');
  await settled(page);
  assert.equal(await page.textContent('#account-name'), 'paula');
  assert.equal(await page.textContent('#account-role'), 'focal point for PAN');
  assert.equal(await page.locator('#nav-upload').count(), 1);
  assert.equal(await page.locator('#nav-audit').count(), 0, 'a focal point does not read the audit trail');

  await page.selectOption('#upload-source', 'pa-snm-darien');
  await page.setInputFiles('#upload-file', corrected);
  await page.click('#upload-check');
  await page.waitForSelector('#upload-preview');
  const count = async (k) => (await page.textContent(`#upload-counts tr[data-count="${k}"] td`)).trim();
  assert.equal(await count('rowsRevised'), '1');
  assert.equal(await count('rowsNew'), '0');
  assert.equal(await count('rowsWithdrawn'), '0');
  const revs = page.locator('#upload-revisions tbody tr');
  assert.equal(await revs.count(), 1, 'the preview names the one revised value');
  const rev = await revs.first().textContent();
  assert.match(rev, /Haiti/);
  assert.match(rev, /August 2021/);
  assert.match(rev, /17,279/);
  assert.match(rev, /→ 17,300/);
  assert.match(rev, /\+21/);
  assert.equal(await darienValue(), OLD, 'a preview stores nothing');
  await shot(page, 'upload-preview-laptop-en');

  await page.click('#upload-confirm');
  await page.waitForSelector('#upload-stored');
  assert.match(await page.textContent('#upload-stored h2'), /Stored: vintage 2 of pa-snm-darien/);
  assert.equal(await darienValue(), NEW);
  await shot(page, 'upload-stored-laptop-en');
  await page.click('#upload-explore');
  await page.waitForSelector('#series-table');
  await settled(page);
  const row = await page.locator('#series-table tbody tr', { hasText: 'August 2021' }).first().textContent();
  assert.match(row, /17,300/);
  assert.doesNotMatch(row, /17,279/);
  await page.done();
});

test('a broken file is refused with its line and column, and nothing changes (phone, Spanish)', async () => {
  const page = await openPage({ viewport: PHONE, locale: 'es-ES', isMobile: true });
  await page.goto(`${BASE}/#/signin?next=/upload`);
  await settled(page);
  if ((await page.getAttribute('html', 'lang')) !== 'es') {
    await page.click('#lang-toggle');
    await settled(page);
  }
  assert.equal(await page.textContent('h1'), 'Iniciar sesión');
  await signIn(page, FOCAL);
  await page.waitForSelector('#upload-form');
  await settled(page);
  assert.equal(await page.textContent('#account-role'), 'punto focal de PAN');
  await page.selectOption('#upload-source', 'pa-snm-darien');
  await page.setInputFiles('#upload-file', broken);
  await page.click('#upload-check');
  await page.waitForSelector('#upload-problems');
  assert.match(await page.textContent('#upload-nothing'), /No se guardó nada/);
  const problem = page.locator('#problems-table tbody tr');
  assert.equal(await problem.count(), 1);
  const cells = await problem.first().locator('td').allTextContents();
  assert.deepEqual(cells.slice(0, 3), [String(brokenLine), 'n', '17x79']);
  assert.match(cells[3], /whole number/);
  assert.equal(await page.locator('#upload-confirm').count(), 0, 'a refused file cannot be confirmed');
  assert.equal(await darienValue(), NEW, 'the refused file changed nothing');
  await shot(page, 'upload-refused-phone-es');
  await page.done();
});

test('the administrator\'s audit page shows both uploads with the focal point\'s name', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/audit`);
  await settled(page);
  assert.match(await page.textContent('#audit-denied'), /administrators/);
  await page.click('#audit-signin');
  await page.waitForSelector('#signin-form');
  await signIn(page, ADMIN);
  await page.waitForSelector('#audit-table');
  await settled(page);
  assert.equal(await page.textContent('#account-role'), 'administrator');
  await page.fill('#audit-person', FOCAL.login);
  await page.fill('#audit-action', 'vintage.');
  await page.click('#audit-apply');
  await page.waitForFunction(() => location.hash.includes('person=paula'));
  await settled(page);
  const rows = page.locator('#audit-table tbody tr');
  const lines = [];
  for (let i = 0; i < await rows.count(); i += 1) {
    const r = rows.nth(i);
    lines.push({ person: await r.getAttribute('data-person'), action: await r.getAttribute('data-action'),
      outcome: await r.locator('[data-outcome]').getAttribute('data-outcome'), text: await r.textContent() });
  }
  assert.ok(lines.length >= 3, `the preview, the write and the refusal: ${JSON.stringify(lines)}`);
  assert.ok(lines.every((l) => l.person === 'paula' && l.action.startsWith('vintage.')));
  assert.ok(lines.some((l) => l.action === 'vintage.write' && l.outcome === 'ok' && /darien-corrected\.csv/.test(l.text)), 'the stored upload');
  assert.ok(lines.some((l) => l.outcome === 'refused' && /darien-broken\.csv/.test(l.text)), 'the refused upload');
  assert.match(await rows.first().textContent(), /source:pa-snm-darien/);
  await shot(page, 'audit-laptop-en');
  await page.click('#lang-toggle');
  await settled(page);
  assert.equal(await page.textContent('h1'), 'Registro de auditoría');
  await shot(page, 'audit-laptop-es');
  // Signed in, an alert change needs no token: the session names the person
  // (and api.js sends its CSRF token). A drill's event, so the live inbox stays as it is.
  await page.click('#lang-toggle');
  await page.goto(`${BASE}/#/alerts?drill=as-of-2021-08`);
  await settled(page);
  await page.click('#event-list .event-link');
  await page.waitForSelector('#event-detail .actions');
  await settled(page);
  assert.equal(await page.locator('#alert-token').count(), 0, 'no token field for a signed-in person');
  assert.match(await page.textContent('#alert-acting'), /Signed in as ada/);
  await page.click('#event-detail button.ack');
  await page.waitForSelector('#event-detail .ok-text');
  assert.match(await page.textContent('#event-detail .history'), /acknowledged · ada/);
  // Sign out: the public again, and the audit page asks for a sign-in.
  await page.click('#signout');
  await page.waitForSelector('#signin-link');
  assert.equal(await page.locator('#account-name').count(), 0);
  await page.done();
});
