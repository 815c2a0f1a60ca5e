import { chromium } from 'playwright-core';
const BASE = process.env.ATALAYA_URL;
const out = '/tmp/webdev/adhoc';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking','--disable-component-update','--disable-sync'] });
const shots = JSON.parse(process.argv[2]);
for (const s of shots) {
  const ctx = await b.newContext({ viewport: s.vp || { width: 1366, height: 900 }, locale: s.locale || 'en-US' });
  const p = await ctx.newPage();
  p.on('pageerror', (e) => console.log('PAGEERROR', e));
  p.on('console', (m) => console.log('console', m.type(), m.text()));
  await p.goto(BASE + '/' + s.hash);
  await p.waitForSelector('main[aria-busy="false"]');
  await p.waitForTimeout(400);
  if (s.print) await p.emulateMedia({ media: 'print' });
  await p.screenshot({ path: `${out}/${s.name}.png`, fullPage: !s.clip, clip: s.clip });
  console.log(s.name, await p.evaluate(() => document.querySelector('main').innerText.slice(0, 300).replace(/\n/g, ' | ')));
  await ctx.close();
}
await b.close();
