// The L.A. Process in the dashboard (issue 13), in Spanish, against a server
// whose store holds the real corridor data, the seeded Los Angeles
// Declaration and an administrator (tests/browser_test.sh makes it:
// ATALAYA_PROCESS_URL, ATALAYA_ADMIN_LOGIN, ATALAYA_ADMIN_PASSWORD). The
// administrator adds Colombia's focal point and a secretariat account on the
// accounts page; the focal point opens a Colombian commitment from the
// matrix, has a refusal of the server shown next to its field, reports a status
// at the Lima meeting and finds it in the history; the secretariat records an
// assessment there; the matrix shows the new status. A commitment with an
// indicator over the Darién series, reported fulfilled, carries the
// mismatch flag with the share the data show. The task force's "call an
// emergency session" on the drill's Haitian event leads to the session's
// page. Screenshots of the matrix and the commitment page at desktop and
// phone widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ATALAYA_PROCESS_URL || '').replace(/\/+$/, '');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.SCREENSHOT_DIR || join(ROOT, 'build', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const ADMIN = { login: process.env.ATALAYA_ADMIN_LOGIN, password: process.env.ATALAYA_ADMIN_PASSWORD };
const FOCAL = { login: 'camila', password: 'cartagena permits 2022' };
const SECRETARIAT = { login: 'sofia', password: 'independent review 2022' };
const D = 'la-2022';
const COL = 'la-2022-P1-COL-etpv';
const MEETING = 'lima-2022';
// A fixture made by the test (the seed gives no commitment an indicator):
// Haitians through the Darién in 2021, counted against a target they fall short of.
const FIXTURE = 'test-PAN-darien-reception';

let browser;
before(async () => {
  // Never skipped: without its server the file fails, and says why.
  assert.ok(BASE, 'set ATALAYA_PROCESS_URL (tests/browser_test.sh starts a server with the seeded declaration)');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { if (browser) await browser.close(); });

async function api(path, headers = {}) {
  const res = await fetch(`${BASE}/api/v1/${path}`, { headers });
  assert.equal(res.status, 200, `GET ${path}: ${await res.clone().text()}`);
  return res.json();
}
async function session(who) {
  const res = await fetch(`${BASE}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(who),
  });
  assert.equal(res.status, 200, `sign-in of ${who.login}: ${await res.clone().text()}`);
  const me = await res.json();
  return { me, headers: { Cookie: res.headers.get('set-cookie').split(';')[0], 'X-CSRF-Token': me.csrf_token } };
}
async function send(who, path, body) {
  const res = await fetch(`${BASE}/api/v1/${path}`, {
    method: 'POST', headers: { ...who.headers, 'Content-Type': 'application/json', Origin: BASE }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, `POST ${path}: ${await res.clone().text()}`);
  return res.json();
}

async function openPage({ viewport = DESKTOP, isMobile = false } = {}) {
  const context = await browser.newContext({ viewport, locale: 'es-ES', isMobile, hasTouch: isMobile, deviceScaleFactor: 1 });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The refusals the test asks for (an unknown meeting) log a failed load.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (400|401)/.test(m.text())) errors.push(m.text()); });
  page.done = async () => {
    assert.deepEqual(errors, [], 'no page errors');
    await context.close();
  };
  return page;
}
async function settled(page) { await page.waitForSelector('main[aria-busy="false"]'); }
async function shot(page, name) { await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }); }
async function signIn(page, who, next) {
  await page.goto(`${BASE}/#/signin?next=${encodeURIComponent(next)}`);
  await settled(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'es', 'the page follows the browser into Spanish');
  await page.fill('#signin-login', who.login);
  await page.fill('#signin-password', who.password);
  await page.click('#signin-submit');
  await page.waitForSelector('#account-name');
  await page.waitForFunction((v) => document.querySelector('main').dataset.view === v, next.slice(1).split('?')[0]);
  await settled(page);
}
// Nothing on the page may read as English or as a key the catalogue lacks.
async function noUntranslated(page) {
  const text = await page.textContent('main');
  assert.doesNotMatch(text, /\b(process|commitment|pillar|meeting|rstatus|completion|progress|form|flag)\.[a-zA-Z]+/, 'a label key shown as it is');
  assert.doesNotMatch(text, /\b(undefined|null|NaN)\b/, 'no undefined, null or NaN on the page');
}
// The page is no wider than the screen (a wide table scrolls inside its panel).
async function noOverflow(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 1, `the page overflows the screen by ${over}px`);
}
async function addAccount(page, a) {
  await page.fill('#acct-name', a.name);
  await page.fill('#acct-email', a.email);
  await page.selectOption('#acct-role', a.role);
  if (a.reporters !== undefined) await page.fill('#acct-reporters', a.reporters);
  await page.selectOption('#acct-language', 'es');
  await page.fill('#acct-organisation', a.organisation);
  await page.fill('#acct-password', a.password);
  await page.click('#acct-submit');
  await page.waitForSelector(`#accounts-table tr[data-name="${a.name}"]`);
}
// The top bar on one line: the language switch level with the brand.
async function oneLineBar(page) {
  const brand = await page.locator('.topbar .brand').boundingBox();
  const lang = await page.locator('#lang-toggle').boundingBox();
  assert.ok(Math.abs((brand.y + brand.height / 2) - (lang.y + lang.height / 2)) < 8, `the top bar wraps (brand at ${brand.y}, language switch at ${lang.y})`);
}
const cellTotal = (page, party, pillar) => page.getAttribute(`#process-matrix tbody tr[data-party="${party}"] td[data-pillar="${pillar}"]`, 'data-total');

test('the administrator adds Colombia\'s focal point and a secretariat account', async () => {
  const page = await openPage();
  await signIn(page, ADMIN, '/accounts');
  await addAccount(page, { name: FOCAL.login, email: 'camila@migracioncolombia.gov.co', role: 'focal_point', reporters: 'COL',
    organisation: 'Migración Colombia', password: FOCAL.password });
  await addAccount(page, { name: SECRETARIAT.login, email: 'sofia@secretaria.example.org', role: 'secretariat',
    organisation: 'Secretaría del Proceso de Los Ángeles', password: SECRETARIAT.password });
  assert.equal(await page.textContent(`#accounts-table tr[data-name="${FOCAL.login}"] td.roles`), 'punto focal de COL');
  assert.equal(await page.textContent(`#accounts-table tr[data-name="${SECRETARIAT.login}"] td.roles`), 'secretaría');
  await page.done();
});

test('the matrix: pillars × states as of today, in Spanish, with its legend, totals and links', async () => {
  const m = await api(`process/${D}/matrix`);
  const page = await openPage();
  await page.goto(`${BASE}/#/process`);
  await settled(page);
  assert.equal(await page.textContent('h1'), 'El Proceso de Los Ángeles');
  assert.equal(await page.textContent('#nav-process'), 'Proceso');
  assert.equal(await page.getAttribute('#nav-process', 'aria-current'), 'page');
  // Every pillar open today, with the API's totals; a state's row per endorser.
  const heads = await page.locator('#process-matrix thead th.mx-pillar').evaluateAll((ths) => ths.map((th) => th.dataset.pillar));
  assert.deepEqual(heads, m.rows.map((r) => r.pillar.code));
  for (const r of m.rows) {
    assert.equal(await page.getAttribute(`#matrix-totals td[data-pillar="${r.pillar.code}"]`, 'data-total'), String(r.total.total));
  }
  assert.equal(await page.locator('#process-matrix tbody tr').count(), m.parties.length);
  assert.equal(await page.getAttribute('#matrix-grand-total', 'data-total'), String(m.total.total));
  // The June 2022 deliverables (issue 13): 6, 11, 2 and none under pillars 1 to 4.
  assert.deepEqual(m.rows.slice(0, 4).map((r) => r.total.total), [6, 11, 2, 0]);
  assert.match(await page.textContent('#status-legend'), /en planificación.*en curso.*cumplido.*estancado.*retirado.*sin informe/s);
  assert.match(await page.textContent('#process-as-of-line'), /Compromisos según su último estado autoinformado/);
  assert.equal(await page.textContent('#process-matrix tbody tr[data-party="COL"] th a'), 'Colombia');
  assert.equal(await cellTotal(page, 'COL', 'P1'), '1');
  assert.match(await page.getAttribute('#process-matrix tbody tr[data-party="COL"] td[data-pillar="P1"]', 'aria-label'), /Colombia, P1 · .*: 1 sin informe/);
  // The exports ask for the commitments as CSV and Excel, in Spanish.
  assert.match(await page.getAttribute('#export-csv', 'href'), /process\/la-2022\/commitments\?format=csv&lang=es$/);
  const csv = await fetch(`${BASE}/api/v1/process/${D}/commitments?format=csv&lang=es`);
  assert.equal(csv.status, 200);
  assert.match(await csv.text(), /la-2022-P1-COL-etpv/);
  const xlsx = await fetch(new URL(await page.getAttribute('#export-xlsx', 'href'), BASE));
  assert.equal(xlsx.status, 200);
  assert.match(xlsx.headers.get('content-type'), /spreadsheetml/);
  await noUntranslated(page);
  // A pillar's name opens its history, with the meeting that added it.
  await page.click('#process-matrix thead th[data-pillar="P1"] a');
  await page.waitForSelector('#pillar-history');
  await settled(page);
  assert.match(await page.textContent('#pillar-history'), /añadido/);
  assert.equal(await page.getAttribute('#nav-process', 'aria-current'), 'location');
  await noUntranslated(page);
  await page.done();
});

test('the focal point for COL reports a status at the Lima meeting, and sees it in the history', async () => {
  const page = await openPage();
  await signIn(page, FOCAL, '/process');
  assert.equal(await page.textContent('#account-role'), 'punto focal de COL');
  // From the matrix to Colombia's page, then to its commitment.
  await page.click('#process-matrix tbody tr[data-party="COL"] th a');
  await page.waitForSelector('#state-commitments');
  await settled(page);
  assert.equal(await page.textContent('#state-title'), 'Colombia COL');
  assert.match(await page.textContent('#state-endorsement'), /Se adhirió el 10 jun 2022/);
  await noUntranslated(page);
  await page.click(`#state-commitments a[data-commitment="${COL}"]`);
  await page.waitForSelector('#commitment-title');
  await settled(page);
  assert.match(await page.textContent('#commitment-text'), /Estatuto de protección temporal/);
  assert.match(await page.textContent('#fact-target'), /1\.500\.000 permits granted/);
  assert.match(await page.textContent('#no-indicator'), /Sin indicador/);
  assert.equal(await page.locator('#mismatch-flag').count(), 0, 'no data, no flag');
  assert.equal(await page.locator('#history-none').count(), 1);
  assert.equal(await page.locator('#report-form').count(), 1, 'the focal point may report for Colombia');
  assert.equal(await page.locator('#assess-form').count(), 0, 'but not assess');

  // The server's refusal, next to the field it names: a meeting the store
  // does not know (as a page left open from another installation would send;
  // every check is the server's, and a status without a narrative is allowed).
  await page.locator('#report-meeting').evaluate((sel) => {
    sel.append(new Option('Bogotá 2031', 'bogota-2031'));
    sel.value = 'bogota-2031';
  });
  await page.selectOption('#report-status', 'in_progress');
  await page.click('#report-submit');
  await page.waitForFunction(() => document.querySelector('#report-meeting-error').textContent.length > 0);
  assert.match(await page.textContent('#report-meeting-error'), /bogota-2031/);
  assert.equal(await page.getAttribute('#report-meeting', 'aria-invalid'), 'true');
  assert.equal(await page.locator('#history-none').count(), 1, 'nothing was stored');

  await page.selectOption('#report-meeting', MEETING);
  await page.selectOption('#report-status', 'in_progress');
  await page.fill('#report-narrative_es', '1,6 millones de permisos expedidos; el registro sigue abierto.');
  await page.click('#report-submit');
  await page.waitForSelector(`#commitment-history tr[data-meeting="${MEETING}"]`);
  await settled(page);
  const row = page.locator(`#commitment-history tr[data-meeting="${MEETING}"]`);
  assert.match(await row.locator('td.reports').textContent(), /en curso.*1,6 millones de permisos/s);
  assert.match(await page.textContent('#process-saved'), /Guardado/);
  assert.match(await page.textContent('#latest-line'), /en curso/);
  assert.match(await row.locator('td.assessments').textContent(), /Sin evaluar en esta reunión/, 'an empty cell says so');
  // The source's address is a link; the bar, with the focal point's pages, one line at 1280.
  assert.match(await page.getAttribute('#commitment-facts a.source-link', 'href'), /^https:\/\/www\.whitehouse\.gov\//);
  await oneLineBar(page);
  await noUntranslated(page);
  await noOverflow(page);
  await shot(page, 'process-commitment-focal-desktop-es');

  // A commitment of the United States: no form for Colombia's focal point.
  await page.goto(`${BASE}/#/commitment?code=la-2022-P2-USA-h2b`);
  await page.waitForSelector('#commitment-title');
  await settled(page);
  assert.equal(await page.locator('#report-form').count(), 0);
  await page.done();
  const stored = await api(`process/${D}/commitments/${COL}`);
  assert.equal(stored.statuses.length, 1);
  assert.equal(stored.statuses[0].meeting, MEETING);
  assert.equal(stored.statuses[0].status, 'in_progress');
});

test('the secretariat records an assessment at the Lima meeting', async () => {
  const page = await openPage();
  await signIn(page, SECRETARIAT, `/commitment?code=${COL}`);
  assert.equal(await page.textContent('#account-role'), 'secretaría');
  assert.equal(await page.locator('#report-form').count(), 0, 'the secretariat does not report for a state');
  assert.equal(await page.locator('#assess-form').count(), 1);
  await page.selectOption('#assess-meeting', MEETING);
  await page.selectOption('#assess-completion', 'substantial');
  await page.fill('#assess-rationale_es', 'Los permisos expedidos constan en los informes oficiales de Migración Colombia.');
  await page.fill('#assess-rationale_en', 'The permits issued are in Migración Colombia\'s official reports.');
  await page.click('#assess-submit');
  await page.waitForSelector(`#commitment-history tr[data-meeting="${MEETING}"] td.assessments [data-completion="substantial"]`);
  await settled(page);
  const row = page.locator(`#commitment-history tr[data-meeting="${MEETING}"]`);
  assert.match(await row.locator('td.reports').textContent(), /en curso/, 'the report stays beside the assessment');
  assert.match(await row.locator('td.assessments').textContent(), /sustancial.*Los permisos expedidos/s);
  assert.match(await page.textContent('#latest-line'), /en curso.*sustancial/s);
  await noUntranslated(page);
  await shot(page, 'process-commitment-desktop-es');
  // The meeting's page lists both.
  await page.click(`#commitment-history tr[data-meeting="${MEETING}"] a.meeting-link`);
  await page.waitForSelector('#meeting-title');
  await settled(page);
  assert.match(await page.textContent('#meeting-reports'), /en curso/);
  assert.match(await page.textContent('#meeting-assessments'), /sustancial/);
  await noUntranslated(page);
  await page.done();
});

test('the matrix shows the new status, and the commitment page looks right on a phone', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/process`);
  await settled(page);
  const cell = page.locator('#process-matrix tbody tr[data-party="COL"] td[data-pillar="P1"]');
  assert.equal(await cell.getAttribute('data-total'), '1');
  assert.equal(await cell.locator('.rs-bg-in_progress').count(), 1, 'one square, in progress');
  assert.match(await cell.getAttribute('aria-label'), /1 en curso/);
  await noOverflow(page);
  await shot(page, 'process-matrix-desktop-es');
  await page.done();

  const phone = await openPage({ viewport: PHONE, isMobile: true });
  await phone.goto(`${BASE}/#/process`);
  await settled(phone);
  await noOverflow(phone);
  // The state column stays put while the matrix scrolls sideways.
  const wrap = phone.locator('.matrix-wrap');
  const before = await phone.locator('#process-matrix tbody tr[data-party="COL"] th').boundingBox();
  await wrap.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  const afterScroll = await phone.locator('#process-matrix tbody tr[data-party="COL"] th').boundingBox();
  assert.ok(Math.abs(before.x - afterScroll.x) < 1, 'the state column is fixed');
  await wrap.evaluate((el) => { el.scrollLeft = 0; });
  // The pillars' names in a key above the matrix, its head keeping the codes.
  assert.ok(await phone.isVisible('#pillar-key'));
  assert.match(await phone.textContent('#pillar-key li[data-pillar="P1"]'), /P1 Estabilidad y asistencia/);
  assert.equal(await phone.isVisible('#process-matrix thead th[data-pillar="P1"] .mx-pname'), false);
  await shot(phone, 'process-matrix-phone-es');
  await phone.goto(`${BASE}/#/commitment?code=${COL}`);
  await phone.waitForSelector('#commitment-history');
  await settled(phone);
  await noOverflow(phone);
  await noUntranslated(phone);
  await shot(phone, 'process-commitment-phone-es');
  await phone.done();
});

test('a commitment reported fulfilled that the data do not bear out carries the flag, with the chart against its target', async () => {
  const admin = await session(ADMIN);
  await send(admin, `process/${D}/commitments`, {
    code: FIXTURE, parties: ['PAN'], pillar: 'P2', package: null, kind: 'capacity',
    text: { en: 'Test fixture: receive Haitians crossing the Darién at reception stations in 2021', es: 'Dato de prueba: recibir en estaciones de recepción a los haitianos que cruzan el Darién en 2021' },
    target: { value: 200000, unit: 'persons', note: '' }, deadline: '2021-12', roadmap: [], evidence: [],
    made_on: '2022-06-10', made_at: null, source: 'browser test',
    indicator: { selection: { source: ['pa-snm-darien'], citizenship: ['HTI'] }, counting: 'cumulative_from', from: '2021-01',
      description: { en: 'Haitians counted crossing the Darién (SNM Panamá)', es: 'Haitianos contados al cruzar el Darién (SNM Panamá)' } },
  });
  await send(admin, `process/${D}/commitments/${FIXTURE}/reports`, { meeting: MEETING, status: 'fulfilled', narrative: { en: '', es: 'Cumplido.' } });
  const data = await api(`process/${D}/commitments/${FIXTURE}`);
  assert.equal(data.progress.flags.claimed_fulfilled_data_short, true, JSON.stringify(data.progress));
  assert.ok(data.points.length > 0);
  const pct = new Intl.NumberFormat('es', { style: 'percent', maximumFractionDigits: 0 }).format(data.progress.share);

  for (const [viewport, isMobile, name] of [[DESKTOP, false, 'desktop'], [PHONE, true, 'phone']]) {
    const page = await openPage({ viewport, isMobile });
    await page.goto(`${BASE}/#/commitment?code=${FIXTURE}`);
    await page.waitForSelector('#progress-chart svg');
    await settled(page);
    assert.match(await page.textContent('#mismatch-flag'), new RegExp(`Informado como cumplido; los datos muestran el ${pct.replace(/\s/g, '\\s')} de la meta`));
    assert.match(await page.textContent('#progress-share'), new RegExp(`${pct.replace(/\s/g, '\\s')} de la meta`));
    assert.match(await page.textContent('#progress-share'), /Meta: 200\.000 personas/, 'the target\'s unit in Spanish too');
    assert.match(await page.textContent('#fact-deadline'), /dic 2021/);
    assert.equal(await page.locator('#progress-chart svg path.line').count(), 2, 'the cumulative line and the monthly values');
    assert.equal(await page.locator('#progress-chart svg line.rule').count(), 1, 'the target');
    await noUntranslated(page);
    await noOverflow(page);
    await shot(page, `process-commitment-flag-${name}-es`);
    await page.done();
  }
});

test('the task force calls an emergency session from the drill\'s Haitian event and opens its page', async () => {
  const page = await openPage();
  await signIn(page, ADMIN, '/alerts?drill=as-of-2021-08');
  const haitian = page.locator('#event-list li.event-row', { hasText: 'Haití' }).first();
  await haitian.locator('a.event-link').click();
  await page.waitForSelector('#emergency-open');
  await settled(page);
  assert.equal(await page.textContent('#emergency-open'), 'Convocar una sesión de emergencia');
  await page.click('#emergency-open');
  await page.waitForSelector('#emergency-form');
  // Held today (the default): the route's states endorse the declaration since June 2022.
  assert.equal(await page.inputValue('#emergency-held_on'), new Date().toISOString().slice(0, 10));
  await page.click('#emergency-confirm');
  await page.waitForSelector('#emergency-meeting-link');
  assert.match(await page.textContent('#emergency-done'), /Sesión de emergencia .* convocada/);
  await page.click('#emergency-meeting-link');
  await page.waitForSelector('#emergency');
  await settled(page);
  assert.match(await page.textContent('#meeting-title'), /\S/);
  assert.match(await page.getAttribute('#meeting-event', 'href'), /#\/alerts\?event=\d+/);
  assert.match(await page.textContent('#meeting-facts'), /Panamá/);
  assert.match(await page.textContent('#meeting-changes'), /añadido/, 'the emergency pillar, added by the session');
  await noUntranslated(page);
  await noOverflow(page);
  await shot(page, 'process-emergency-session-desktop-es');
  await page.done();
});
