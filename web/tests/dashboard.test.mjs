// Browser tests of the dashboard against a running `atalaya serve` whose
// store holds the real corridor data (tests/browser_test.sh builds it):
//   ATALAYA_URL=http://127.0.0.1:8080 node --test web/tests/
// Screenshots go to $SCREENSHOT_DIR (default build/screenshots).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = (process.env.ATALAYA_URL || '').replace(/\/+$/, '');
if (!BASE) throw new Error('set ATALAYA_URL to the atalaya serve under test, e.g. http://127.0.0.1:8080');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = process.env.SCREENSHOT_DIR || join(ROOT, 'build', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const ORIGIN = new URL(BASE).origin;
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { if (browser) await browser.close(); });

async function api(path) {
  const res = await fetch(`${BASE}/api/v1/${path}`);
  assert.equal(res.status, 200, `GET ${path}`);
  return res.json();
}

// A page that records every request leaving the test server, and page errors.
async function openPage({ viewport = LAPTOP, locale = 'en-US', isMobile = false, origin = ORIGIN } = {}) {
  const context = await browser.newContext({ viewport, locale, isMobile, hasTouch: isMobile, deviceScaleFactor: 1 });
  context.setDefaultTimeout(60_000); // a loaded CI machine is slow
  const page = await context.newPage();
  const foreign = [];
  const errors = [];
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) foreign.push(u);
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of (409|401)/.test(m.text())) errors.push(m.text()); });
  page.done = async () => {
    assert.deepEqual(foreign, [], 'no request may leave the test server');
    assert.deepEqual(errors, [], 'no page errors');
    await context.close();
  };
  return page;
}
async function settled(page) {
  await page.waitForSelector('main[aria-busy="false"]');
}
async function shot(page, name, height) {
  const opts = { path: join(SHOTS, `${name}.png`), fullPage: true };
  if (height) opts.clip = { x: 0, y: 0, width: page.viewportSize().width, height };
  await page.screenshot(opts);
}
async function nav(page, id) {
  await page.click(`#nav-${id}`);
  await page.waitForFunction((v) => document.querySelector('main').dataset.view === v, id);
  await settled(page);
}
const en = (v) => new Intl.NumberFormat('en').format(v);
const enMonth = (p) => new Intl.DateTimeFormat('en', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${p}-01T00:00:00Z`));

test('overview: checkpoints with their latest months, rising citizenships, open alerts', async () => {
  const data = await api('overview');
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await settled(page);
  assert.equal(await page.textContent('h1'), 'Overview');
  for (const c of data.checkpoints) {
    const card = page.locator(`.card[data-checkpoint="${c.id}"]`);
    assert.match(await card.textContent(), new RegExp(c.name.replace(/[.]/g, '\\.')));
    if (c.latest_month) {
      assert.equal(await card.locator('.latest-month strong').textContent(), enMonth(c.latest_month));
      assert.equal(await card.locator('.latest-value').textContent(), en(c.latest_value));
      assert.equal(await card.locator('svg.spark path').count(), 2, `${c.id} sparkline`);
    } else {
      assert.match(await card.textContent(), /no data/);
    }
  }
  // The Darién's real last month, from the Panamanian file.
  assert.equal(await page.locator('.card[data-checkpoint="darien"] .latest-month strong').textContent(), 'April 2025');
  assert.equal(await page.locator('#rising-table tbody tr').count(), data.rising.length);
  assert.ok(data.rising.length > 0);
  // The live inbox: today's data raise nothing (the drill of August 2021 is
  // apart from it, see the inbox test).
  assert.equal(await page.textContent('#open-count'), en(data.alerts.open));
  assert.equal(await page.locator('#latest-alerts li').count(), (data.alerts.latest || []).length);
  await shot(page, 'overview-laptop-en');
  await page.done();
});

test('explorer: Haitians through the Darién in 2021, English then Spanish, with forecast and downloads', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await settled(page);
  await nav(page, 'explorer');
  assert.equal(await page.textContent('h1'), 'Series explorer');
  // Open the linked selection directly.
  await page.goto(`${BASE}/#/explorer?source=pa-snm-darien&citizenship=HTI&from=2021-01&to=2021-12`);
  await page.waitForSelector('#series-table tbody tr[data-period="2021-08"]');
  await settled(page);
  assert.equal(await page.inputValue('#pick-source'), 'pa-snm-darien');
  assert.equal(await page.inputValue('#pick-citizenship'), 'HTI');
  assert.equal(await page.locator('#series-table tbody tr').count(), 12);
  const aug = page.locator('#series-table tbody tr[data-period="2021-08"]');
  assert.equal(await aug.locator('th').textContent(), 'August 2021');
  assert.equal(await aug.locator('td.num').textContent(), '17,279');
  assert.equal(await page.locator('#series-table tbody tr[data-period="2021-09"] td.num').textContent(), '17,609');
  // The chart with the forecast and its two shaded intervals.
  await page.waitForSelector('#series-chart svg');
  assert.equal(await page.locator('#series-chart path.band').count(), 2);
  assert.ok(await page.locator('#forecast-table tbody tr').count() >= 1);
  // Downloads link to the API in each format, and answer as attachments.
  for (const [id, fmt] of [['#dl-csv', 'csv'], ['#dl-sdmx', 'sdmx-csv'], ['#dl-xlsx', 'xlsx']]) {
    const href = await page.getAttribute(id, 'href');
    assert.match(href, new RegExp(`format=${fmt}`));
    assert.match(href, /citizenship=HTI/);
    const res = await fetch(new URL(href, BASE));
    assert.equal(res.status, 200, href);
    const disposition = res.headers.get('content-disposition') || '';
    assert.match(disposition, /attachment/);
    // Named after the selection: source, citizenship, from, to, frequency.
    const ext = { csv: 'csv', 'sdmx-csv': 'sdmx.csv', xlsx: 'xlsx' }[fmt];
    assert.ok(disposition.includes(`filename="atalaya_pa-snm-darien_HTI_2021-01_2021-12_M.${ext}"`), disposition);
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (fmt === 'csv') {
      // A byte-order mark for Excel, then the rows with unit and status.
      assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = new TextDecoder().decode(bytes);
      assert.match(text, /^period,value,unit,status\n/);
      assert.match(text, /\n2021-08,17279,persons,final\n/);
    }
  }
  await shot(page, 'explorer-laptop-en');

  // Spanish: numbers and months in Spanish, labels translated.
  await page.click('#lang-toggle');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Explorador de series');
  await page.waitForSelector('#series-table tbody tr[data-period="2021-08"]');
  await settled(page);
  const augEs = page.locator('#series-table tbody tr[data-period="2021-08"]');
  assert.equal(await augEs.locator('th').textContent(), 'agosto de 2021');
  assert.equal(await augEs.locator('td.num').textContent(), '17.279');
  assert.equal(await page.textContent('label[for="pick-citizenship"]'), 'Nacionalidad');
  assert.match(await page.textContent('#pick-citizenship option[value="HTI"]'), /Haití/);
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  // The CSV and Excel downloads name countries in Spanish.
  assert.match(await page.getAttribute('#dl-csv', 'href'), /lang=es/);
  assert.match(await page.getAttribute('#dl-xlsx', 'href'), /lang=es/);
  await shot(page, 'explorer-laptop-es');

  // The choice is remembered; a picker change goes into the hash.
  await page.reload();
  await page.waitForSelector('#series-table tbody tr[data-period="2021-08"]');
  assert.equal(await page.textContent('h1'), 'Explorador de series');
  await page.selectOption('#pick-citizenship', 'VEN');
  await page.waitForFunction(() => location.hash.includes('citizenship=VEN'));
  await page.waitForFunction(() => document.querySelector('#series-table tbody tr[data-period="2021-08"] td.num')?.textContent !== '17.279');
  const ven = await api('series?source=pa-snm-darien&citizenship=VEN&from=2021-08&to=2021-08');
  assert.equal(await page.textContent('#series-table tbody tr[data-period="2021-08"] td.num'), new Intl.NumberFormat('es').format(ven.rows[0].value));
  await page.click('#lang-toggle'); // back to English for the other tests' contexts (each has its own storage anyway)
  await page.done();
});

test('explorer: group by citizenship, the largest 5; an empty answer says why', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/explorer?source=us-cbp-swb-nat&by=citizenship&top=5&freq=FY&from=FY2022&to=FY2022`);
  await page.waitForSelector('#series-table tbody tr');
  await settled(page);
  assert.equal(await page.inputValue('#pick-by'), 'citizenship');
  assert.equal(await page.inputValue('#pick-top'), '5');
  const answer = await api('series?source=us-cbp-swb-nat&by=citizenship&sort=size&top=5&freq=FY&from=FY2022&to=FY2022');
  assert.equal(answer.rows.length, 5);
  assert.equal(answer.rows[0].citizenship, 'MEX', 'the largest first');
  assert.equal(await page.locator('#series-table tbody tr').count(), 5);
  assert.match(await page.textContent('#explorer-out'), /groups left out: only the top 5 by size/);
  // Without a group the largest-N control is hidden.
  await page.goto(`${BASE}/#/explorer?source=us-cbp-swb-nat&freq=FY`);
  await page.waitForSelector('#series-table tbody tr');
  await settled(page);
  assert.ok(!(await page.isVisible('#pick-top')));
  // Haitians in CBP's grouped file: no rows, and the note says where they are.
  await page.goto(`${BASE}/#/explorer?source=us-cbp-swb&citizenship=HTI`);
  await page.waitForSelector('#explorer-out .note');
  assert.match(await page.textContent('#explorer-out'), /HTI is counted inside OTH \(Other\) in us-cbp-swb/);
  await shot(page, 'explorer-empty-explained-en');
  await page.done();
});

test('explorer: all sources side by side, never one sum; a month no release covers is a gap', async () => {
  const page = await openPage();
  // Haitians in 2021 with Source "All": one line per source, no total.
  await page.goto(`${BASE}/#/explorer?citizenship=HTI&from=2021-01&to=2021-12&freq=M`);
  await page.waitForSelector('#series-chart svg');
  await settled(page);
  const answer = await api('series?citizenship=HTI&from=2021-01&to=2021-12&freq=M');
  assert.ok(answer.by.includes('source'), 'the API answers per source');
  const sources = new Set(answer.rows.map((r) => r.source));
  assert.ok(sources.size >= 2, `several sources hold Haitians (${[...sources]})`);
  assert.equal(await page.locator('#series-chart path.line').count(), sources.size, 'one line per source');
  const aug = await page.locator('#series-table tbody tr[data-period="2021-08"]').count();
  assert.equal(aug, sources.size, 'one table row per source for August 2021');
  const legendText = await page.textContent('.chart-panel .legend');
  for (const s of sources) assert.ok(legendText.includes(s), `legend names ${s}`);
  await shot(page, 'explorer-all-sources-en');

  // The Darién published nothing in April, May and July 2020: a break in
  // the line and a dash in the table, never a 0.
  await page.goto(`${BASE}/#/explorer?source=pa-snm-darien&from=2020-01&to=2020-12`);
  await page.waitForSelector('#series-table tbody tr[data-period="2020-04"]');
  await settled(page);
  const gapApi = await api('series?source=pa-snm-darien&from=2020-04&to=2020-05');
  assert.deepEqual(gapApi.rows.map((r) => [r.period, r.value, r.missing]), [['2020-04', null, 'missing'], ['2020-05', null, 'missing']]);
  assert.equal(await page.textContent('#series-table tbody tr[data-period="2020-04"] td.num'), '–');
  assert.equal(await page.textContent('#series-table tbody tr[data-period="2020-05"] td.num'), '–');
  assert.match(await page.textContent('#series-table tbody tr[data-period="2020-04"]'), /no data/);
  assert.equal(await page.textContent('#series-table tbody tr[data-period="2020-03"] td.num'), '1,099');
  // d3 starts a new subpath (M) after each gap: three runs of months.
  const d = await page.getAttribute('#series-chart path.line', 'd');
  assert.equal((d.match(/M/g) || []).length, 3, `line path ${d}`);
  assert.ok(await page.isVisible('#gap-note'));
  // A year rolled up from four months says so.
  await page.goto(`${BASE}/#/explorer?source=pa-snm-darien&freq=A&from=2024&to=2025`);
  await page.waitForSelector('#series-table tbody tr[data-period="2025"]');
  await settled(page);
  assert.match(await page.textContent('#series-table tbody tr[data-period="2025"]'), /partial: 2025-01\.\.2025-04 only/);
  assert.equal(await page.locator('#series-chart circle.partial').count(), 1);
  await shot(page, 'explorer-gaps-partial-en');
  await page.done();
});

test('demo data is labelled simulated: banner and footer', { skip: !process.env.ATALAYA_SIM_URL && 'ATALAYA_SIM_URL not set' }, async () => {
  const page = await openPage({ origin: new URL(process.env.ATALAYA_SIM_URL).origin });
  await page.goto(`${process.env.ATALAYA_SIM_URL}/`);
  await settled(page);
  assert.match(await page.textContent('#sim-banner'), /Simulated data: sim-pa-darien .*No one published these numbers/);
  assert.match(await page.textContent('#foot-sources'), /\(simulated\)/);
  await shot(page, 'overview-simulated-en', 500);
  await page.done();
  // The real store shows no banner, and its footer lists its sources.
  const real = await openPage();
  await real.goto(`${BASE}/`);
  await settled(real);
  assert.equal(await real.locator('#sim-banner').count(), 0);
  assert.match(await real.textContent('#foot-sources'), /Panama SNM/);
  await real.done();
});

test('route: Haitians along the Darién route, lags, roles on the map', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/`);
  await settled(page);
  await nav(page, 'route');
  await page.waitForSelector('#route-map svg');
  assert.equal(await page.inputValue('#route-citizenship'), 'HTI');
  const names = await page.locator('#route-checkpoints tbody th .cp-name').allTextContents();
  assert.deepEqual(names, ['Darién', 'Honduras', 'Mexico', 'U.S. southwest border']);
  assert.match(await page.textContent('#route-checkpoints tr[data-checkpoint="honduras"]'), /no data/);
  assert.ok(await page.locator('#route-lags li').count() >= 1);
  assert.match(await page.textContent('#route-lags'), /Darién → Mexico/);
  // Roles on the map and in the list.
  for (const [code, role] of [['HTI', 'sending'], ['PAN', 'transit'], ['MEX', 'transit-and-receiving'], ['USA', 'receiving']]) {
    assert.equal(await page.locator(`#route-map path[data-country="${code}"][data-role="${role}"]`).count(), 1, `${code} ${role} on the map`);
    assert.equal(await page.locator(`#route-roles li[data-country="${code}"][data-role="${role}"]`).count(), 1);
  }
  assert.match(await page.textContent('#route-roles li[data-country="MEX"]'), /51,827 asylum applications/);
  assert.equal(await page.locator('#route-chart path.line').count(), 3);
  await shot(page, 'route-laptop-en');
  // Aligned by the cumulative lag: Mexico shifted back by its months.
  const route = await api('routes/darien-north?citizenship=HTI&from=2021-01&to=2021-12');
  const mex = route.cumulative.find((c) => c.checkpoint === 'mexico');
  const before = await page.getAttribute('#route-chart path.line >> nth=1', 'd');
  await page.check('#route-align');
  await page.waitForFunction(() => location.hash.includes('align=1'));
  if (mex.months > 0) {
    assert.match(await page.textContent('#route-chart + .legend'), new RegExp(`shifted back ${mex.months} mo`));
    assert.notEqual(await page.getAttribute('#route-chart path.line >> nth=1', 'd'), before);
  }
  await shot(page, 'route-aligned-laptop-en');
  await page.done();
});

// The inbox is filled by a drill (tests/browser_test.sh: watch --as-of
// 2021-08), the live inbox holding what today's data raise.
const DRILL = 'as-of-2021-08';
test('inbox: a drill, labelled, lists one event per movement; an event shows every checkpoint; acknowledge it; the live inbox is untouched', async () => {
  const live = (await api('events')).events;
  const events = (await api(`events?drill=${DRILL}`)).events;
  assert.ok(events.length >= 2, 'the drill holds events');
  const page = await openPage();
  await page.goto(`${BASE}/#/alerts?drill=${DRILL}`);
  await settled(page);
  await page.waitForSelector('#event-list .event-row');
  assert.match(await page.textContent('#drill-banner'), new RegExp(`${DRILL}.*not the live inbox`));
  // In the API's rank order, one row per event, compact.
  const rows = await page.locator('#event-list .event-row').evaluateAll((els) => els.map((e) => e.id));
  assert.deepEqual(rows, events.map((e) => `event-${e.id}`));
  const height = await page.evaluate(() => document.getElementById('event-list').getBoundingClientRect().height);
  assert.ok(height / events.length < 120, `${Math.round(height / events.length)} px per event: not a compact list`);
  assert.equal(events.filter((e) => e.citizenship === 'HTI').length, 1, 'the Haitian movement is one event');
  assert.equal(events.filter((e) => e.citizenship === 'OTH').length, 0, '"Other" is not a nationality');
  await shot(page, 'inbox-drill-laptop-en');

  // The Haitian event: every checkpoint of the route, with the evidence seen
  // there or the projected window.
  const hti = events.find((e) => e.citizenship === 'HTI');
  assert.equal(hti.phase, 'emerging');
  await page.click(`#event-${hti.id} a`);
  await page.waitForSelector(`#event-card-${hti.id} .checkpoint.observed svg path.line`);
  assert.equal(await page.locator('.checkpoint').count(), hti.checkpoints.length);
  for (const cp of hti.checkpoints) {
    const sec = page.locator(`#cp-${cp.id}`);
    if (cp.observed) {
      assert.ok(await sec.locator('.evidence-item').count() >= 1, `${cp.id}: evidence`);
      assert.match(await sec.locator('.evidence-item .explanation >> nth=0').textContent(), /\d/);
    }
    if (cp.window) assert.match(await sec.locator('.window').textContent(), new RegExp(enMonth(cp.window.from)));
    if (!cp.observed && !cp.window) assert.match(await sec.textContent(), /Not seen/);
  }
  await shot(page, 'event-laptop-en');

  // Without a name: asked for one, nothing posted.
  const card = page.locator(`#event-card-${hti.id}`);
  await card.locator('button.ack').click();
  assert.match(await card.locator('.action-msg').textContent(), /Enter your name/);
  await page.fill('#alert-name', 'Browser Test');
  await page.fill(`#note-${hti.id}`, 'seen in the dashboard test');
  await card.locator('button.ack').click();
  await page.waitForSelector(`#event-card-${hti.id}[data-status="acknowledged"]`);
  assert.match(await page.textContent(`#event-card-${hti.id} .history`), /Browser Test/);
  assert.doesNotMatch(await page.textContent(`#event-card-${hti.id} .actions`), /\bnull\b|undefined/);
  await page.reload();
  await page.waitForSelector(`#event-card-${hti.id}[data-status="acknowledged"]`);
  assert.equal(await page.inputValue('#alert-name'), 'Browser Test', 'name remembered');
  const stored = await api(`events/${hti.id}`);
  assert.equal(stored.status, 'acknowledged');
  for (const a of stored.alerts.filter((x) => x.status !== 'expired' && x.status !== 'resolved'))
    assert.equal(a.status, 'acknowledged', `alert ${a.id} follows its event`);

  // Resolved elsewhere in the meantime: the server's 409 message is shown.
  const other = events.find((e) => e.status === 'open' && e.id !== hti.id);
  const res = await fetch(`${BASE}/api/v1/events/${other.id}/resolve`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ by: 'someone else' }),
  });
  assert.equal(res.status, 200);
  await page.goto(`${BASE}/#/alerts?drill=${DRILL}&event=${other.id}`);
  await settled(page);
  await page.waitForSelector(`#event-card-${other.id}`);
  // The page was loaded after the change: it shows resolved, with no buttons.
  assert.equal(await page.getAttribute(`#event-card-${other.id}`, 'data-status'), 'resolved');
  assert.equal(await page.locator(`#event-card-${other.id} button.resolve`).count(), 0);
  assert.doesNotMatch(await page.textContent(`#event-card-${other.id}`), /\bnull\b|undefined/);

  // Filter by status, back in the list.
  await page.goto(`${BASE}/#/alerts?drill=${DRILL}`);
  await settled(page);
  await page.selectOption('#alert-status', 'acknowledged');
  await page.waitForFunction(() => location.hash.includes('status=acknowledged'));
  await settled(page);
  await page.waitForSelector(`#event-${hti.id}`);
  const statuses = await page.locator('#event-list .event-row').evaluateAll((els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.length >= 1 && statuses.every((s) => s === 'acknowledged'));
  // The live inbox is as it was.
  assert.equal((await api('events')).events.length, live.length);
  await page.goto(`${BASE}/#/alerts`);
  await settled(page);
  assert.equal(await page.locator('#drill-banner').count(), 0);
  await page.done();
});

test('phone layout, Spanish by default from the browser language', async () => {
  const page = await openPage({ viewport: PHONE, locale: 'es-ES', isMobile: true });
  await page.goto(`${BASE}/#/overview`);
  await settled(page);
  assert.equal(await page.textContent('h1'), 'Resumen');
  assert.equal(await page.locator('#nav-explorer .short').textContent(), 'Series');
  assert.equal(await page.locator('#nav-explorer .full').textContent(), 'Explorador de series');
  const darien = await page.locator('.card[data-checkpoint="darien"] .latest-month strong').textContent();
  assert.equal(darien, 'abril de 2025');
  // Nothing wider than the screen.
  const overflow = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.width);
  assert.ok(overflow <= 1, `page overflows horizontally by ${overflow}px`);
  await shot(page, 'overview-phone-es');
  await nav(page, 'explorer');
  await page.goto(`${BASE}/#/explorer?source=pa-snm-darien&citizenship=HTI&from=2021-01&to=2021-12`);
  await page.waitForSelector('#series-table tbody tr[data-period="2021-08"]');
  await settled(page);
  assert.equal(await page.textContent('#series-table tbody tr[data-period="2021-08"] td.num'), '17.279');
  const overflow4 = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.width);
  assert.ok(overflow4 <= 1, `explorer overflows horizontally by ${overflow4}px`);
  await shot(page, 'explorer-phone-es');
  await nav(page, 'route');
  await page.waitForSelector('#route-map svg');
  const overflow3 = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.width);
  assert.ok(overflow3 <= 1, `route overflows horizontally by ${overflow3}px`);
  await shot(page, 'route-phone-es');
  await page.goto(`${BASE}/#/alerts?drill=${DRILL}`);
  await page.waitForSelector('#event-list .event-row');
  assert.equal(await page.textContent('h1'), 'Bandeja de alertas');
  assert.match(await page.textContent('#drill-banner'), /Simulacro/);
  const overflow2 = await page.evaluate((w) => document.documentElement.scrollWidth - w, PHONE.width);
  assert.ok(overflow2 <= 1, `alerts overflow horizontally by ${overflow2}px`);
  await page.screenshot({ path: join(SHOTS, 'alerts-phone-es.png') });
  await page.done();
});

// The texts the library writes (explanations, trigger names) come from its
// message catalogue in the dashboard's language, numbers as Intl prints them.
test('inbox in Spanish: the event card gives every checkpoint\'s explanation and trigger name in Spanish, with Spanish number formats', async () => {
  const english = (await api(`events?drill=${DRILL}&status=all`)).events;
  const spanish = (await api(`events?drill=${DRILL}&status=all&lang=es`)).events;
  // The Haitian event's evidence at the Darién groups a five-digit number (17,279).
  const hti = english.find((e) => e.citizenship === 'HTI');
  const esEvent = spanish.find((e) => e.id === hti.id);
  assert.equal(esEvent.lang, 'es');
  const darien = (ev) => ev.checkpoints.find((c) => c.id === 'darien');
  const target = darien(hti).evidence.find((x) => /\d{2,3},\d{3}/.test(x.explanation));
  assert.ok(target, 'an explanation with a five-digit number at the Darién');
  const es = darien(esEvent).evidence.find((x) => x.alert === target.alert);
  assert.notEqual(es.explanation, target.explanation);
  assert.equal(es.evidence.explanation, target.evidence.explanation, 'the stored English text kept for old readers');
  const page = await openPage({ locale: 'es-ES' });
  await page.goto(`${BASE}/#/alerts?drill=${DRILL}&event=${hti.id}`);
  await settled(page);
  const card = page.locator(`#event-card-${hti.id}`);
  await card.waitFor();
  // Every checkpoint that sees the movement shows its evidence, in Spanish.
  for (const cp of esEvent.checkpoints.filter((c) => c.observed))
    assert.ok(await card.locator(`#cp-${cp.id} .evidence-item`).count() >= 1, `${cp.id}: evidence`);
  const item = card.locator(`#cp-darien .evidence-item[data-alert="${target.alert}"]`);
  const text = await item.locator('.explanation').textContent();
  assert.equal(text, es.explanation);
  assert.equal(await item.locator('.explanation').getAttribute('lang'), 'es');
  assert.match(text, /\b(veces|frente a|supera|alcanza|prevista|previsto)\b/, `a Spanish sentence: ${text}`);
  assert.match(text, /\d{2,3}\.\d{3}/, `Spanish grouping: ${text}`);
  assert.doesNotMatch(text, /\d,\d{3}\b/, `no English grouping: ${text}`);
  // The value as the dashboard's own Intl.NumberFormat('es') prints it.
  const value = new Intl.NumberFormat('es', { maximumFractionDigits: 0 }).format(Math.round(target.evidence.value));
  assert.ok(text.includes(value), `${value} in ${text}`);
  assert.equal(await item.locator('strong').first().textContent(), es.trigger_label);
  assert.notEqual(es.trigger_label, target.trigger_name, 'the trigger file gives a Spanish name');
  assert.match(await page.textContent('#drill-banner'), /Simulacro/);
  await card.screenshot({ path: join(SHOTS, 'event-laptop-es.png') });
  await shot(page, 'inbox-event-laptop-es', 1500);
  await page.done();
});

test('print: no navigation, charts kept', async () => {
  const page = await openPage();
  await page.goto(`${BASE}/#/explorer?source=pa-snm-darien&citizenship=HTI&from=2021-01&to=2021-12`);
  await page.waitForSelector('#series-chart svg');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('nav').isVisible(), false);
  assert.equal(await page.locator('#series-chart svg').isVisible(), true);
  await shot(page, 'explorer-print-en');
  await page.done();
});

// A shared server run with --editors (tests/browser_test.sh starts a second
// one on a copy of the store): the inbox asks for the editor's token instead
// of a name, a wrong token is refused with the server's message, and the
// history records the editor's name from the editors file.
const EDITORS_URL = (process.env.ATALAYA_EDITORS_URL || '').replace(/\/+$/, '');
test('alerts on a server with editors: the token, not a typed name, says who', { skip: !EDITORS_URL && 'ATALAYA_EDITORS_URL not set' }, async () => {
  const res = await fetch(`${EDITORS_URL}/api/v1/events?drill=${DRILL}`);
  const target = (await res.json()).events.find((a) => a.status === 'open');
  assert.ok(target, 'an open event on the editors server');
  const page = await openPage({ origin: new URL(EDITORS_URL).origin });
  await page.goto(`${EDITORS_URL}/#/alerts?drill=${DRILL}&event=${target.id}`);
  await settled(page);
  assert.equal(await page.locator('#alert-name').count(), 0, 'no name field: the token names the editor');
  const card = page.locator(`#event-card-${target.id}`);
  await card.locator('button.ack').click();
  assert.match(await card.locator('.action-msg').textContent(), /access token/);
  await page.fill('#alert-token', 'not-a-token');
  await card.locator('button.ack').click();
  await card.locator('.action-msg.error-text').waitFor();
  await page.waitForFunction((id) => /not an editor/.test(document.querySelector(`#event-card-${id} .action-msg`).textContent), target.id);
  await page.fill('#alert-token', process.env.ATALAYA_EDITOR_TOKEN);
  await card.locator('button.ack').click();
  await page.waitForSelector(`#event-card-${target.id}[data-status="acknowledged"]`);
  assert.match(await page.textContent(`#event-card-${target.id} .history`), new RegExp(process.env.ATALAYA_EDITOR_NAME));
  await shot(page, 'alerts-editors-laptop-en', 900);
  await page.done();
});
