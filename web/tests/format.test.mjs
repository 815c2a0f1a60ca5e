// Number formats that must not say more than the numbers do (no browser or
// server needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmtPct, setLang } from '../src/i18n.js';

test('a percent change is rounded without turning a fall into none left or a change into none', () => {
  globalThis.document ??= { documentElement: {} };
  setLang('en');
  assert.equal(fmtPct(-0.9975), '-99.8%');
  assert.equal(fmtPct(-0.99996), '-99.996%');
  assert.equal(fmtPct(-1), '-100%');
  assert.equal(fmtPct(0.003), '+0.3%');
  assert.equal(fmtPct(0), '0%');
  assert.equal(fmtPct(0.424), '+42%');
  assert.equal(fmtPct(-0.5), '-50%');
  assert.equal(fmtPct(null), '–');
  setLang('es');
  assert.equal(fmtPct(-0.9975), '-99,8\u00a0%');
});
