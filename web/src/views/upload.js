// Upload a file for a source (POST /api/v1/sources/{id}/vintages): the file
// is first sent with dry_run=1, and the page shows what it would change (rows
// new, revised, withdrawn; the largest revisions, old → new) or its problems
// (line, column, value, expected), with nothing stored. Confirm sends the
// same file again for real and names the vintage stored.
import { cached, upload, forgetCached } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { t, fmtNum, fmtPeriod, countryName, eventName } from '../i18n.js';
import { can, currentUser, hasAccounts } from '../session.js';
import { hashFor } from '../router.js';

function seriesLabel(s) {
  const parts = [s.citizenship ? countryName(s.citizenship) : '', s.location || '', s.event ? eventName(s.event) : '',
    s.demographic || '', s.authority || ''].filter(Boolean);
  return parts.join(' · ') || s.reporter || s.source;
}
function signed(v) { return v > 0 ? `+${fmtNum(v)}` : fmtNum(v); }

function countsTable(a) {
  const row = (key, v) => h('tr', { dataset: { count: key } }, h('th', { scope: 'row' }, t(`upload.${key}`)), h('td', { class: 'num' }, fmtNum(v)));
  return h('table', { class: 'data counts', id: 'upload-counts' },
    h('tbody', {}, row('rowsRead', a.rows_read), row('rowsNew', a.rows_new), row('rowsRevised', a.rows_revised),
      row('rowsWithdrawn', a.rows_withdrawn), row('seriesAdded', a.series_added)));
}

function revisionsTable(a) {
  const revs = a.largest_revisions || [];
  if (!revs.length) return '';
  return h('div', { class: 'revisions' }, h('h3', {}, t('upload.largest')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'upload-revisions' },
      h('thead', {}, h('tr', {}, h('th', {}, t('upload.series')), h('th', {}, t('col.period')),
        h('th', { class: 'num' }, t('upload.old')), h('th', { class: 'num' }, t('upload.new')), h('th', { class: 'num' }, t('col.change')))),
      h('tbody', {}, revs.map((r) => h('tr', { class: 'revision', dataset: { period: r.period } },
        h('td', {}, seriesLabel(r.series)), h('td', { class: 'nowrap' }, fmtPeriod(r.period)),
        h('td', { class: 'num old' }, fmtNum(r.old_value)), h('td', { class: 'num new' }, `→ ${fmtNum(r.new_value)}`),
        h('td', { class: 'num' }, signed(r.change))))))));
}

function problemsBox(err, file) {
  const body = err.body || {};
  const problems = body.problems || [];
  const box = h('section', { class: 'panel upload-refused', id: 'upload-problems', role: 'alert' },
    h('h2', {}, t('upload.refused', file)),
    h('p', { class: 'error-text', id: 'upload-nothing' }, t('upload.nothingStored')),
    h('p', { class: 'small', lang: 'en' }, err.message));
  if (problems.length) {
    box.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'problems-table' },
      h('thead', {}, h('tr', {}, h('th', { class: 'num' }, t('upload.line')), h('th', {}, t('upload.column')),
        h('th', {}, t('upload.value')), h('th', {}, t('upload.expected')))),
      h('tbody', {}, problems.map((p) => h('tr', { class: 'problem', dataset: { line: p.line ?? '' } },
        h('td', { class: 'num' }, p.line ?? '–'), h('td', {}, p.column || '–'),
        h('td', {}, h('code', {}, p.value ?? '')), h('td', { lang: 'en' }, p.expected || p.message)))))));
    if (body.problems_omitted) box.append(h('p', { class: 'muted small' }, t('upload.omitted', body.problems_omitted)));
  }
  return box;
}

// Where the explorer shows what was stored: the source, and the series and
// months of the largest revision when there is one.
function explorerLink(source, a) {
  const r = (a.largest_revisions || [])[0];
  const p = { source };
  if (r) {
    if (r.series.citizenship) p.citizenship = r.series.citizenship;
    if (r.series.location) p.location = r.series.location;
    if (/^\d{4}-\d{2}$/.test(r.period)) { p.from = `${r.period.slice(0, 4)}-01`; p.to = `${r.period.slice(0, 4)}-12`; }
  }
  return hashFor('explorer', p);
}

export async function renderUpload(root, params, alive) {
  root.append(h('h1', {}, t('upload.title')));
  if (!can('upload_data')) {
    const me = currentUser();
    root.append(h('p', { id: 'upload-denied' }, !hasAccounts() ? t('upload.noAccounts')
      : me ? t('upload.noRight', me.name)
        : [t('upload.signInFirst'), ' ', h('a', { href: '#/signin?next=/upload', id: 'upload-signin' }, t('account.signIn'))]));
    return;
  }
  const sources = (await cached('sources')).sources || [];
  if (!alive()) return;
  const chosen = params.get('source') || (sources.some((s) => s.source === 'pa-snm-darien') ? 'pa-snm-darien' : '');
  root.append(h('p', { class: 'muted' }, t('upload.intro')));
  const sourceSel = h('select', { id: 'upload-source', required: true },
    h('option', { value: '' }, t('upload.chooseSource')),
    sources.map((s) => h('option', { value: s.source, selected: s.source === chosen ? 'selected' : null }, `${s.source} — ${s.name}`)));
  const fileIn = h('input', { id: 'upload-file', type: 'file', accept: '.csv,text/csv', required: true });
  const check = h('button', { type: 'submit', id: 'upload-check' }, t('upload.check'));
  const out = h('div', { id: 'upload-out', 'aria-live': 'polite' });
  let sent = null; // what the preview was made from: the Confirm sends exactly that

  const preview = async () => {
    const file = fileIn.files[0];
    clear(out);
    if (!sourceSel.value || !file) { out.append(errorBox(t('upload.pickBoth'))); return; }
    sent = { source: sourceSel.value, file };
    check.disabled = true;
    out.append(h('p', { class: 'muted' }, t('upload.checking')));
    try {
      const { body } = await upload(`sources/${encodeURIComponent(sent.source)}/vintages`, { dry_run: 1, filename: file.name }, file);
      clear(out).append(previewBox(body));
    } catch (err) {
      clear(out).append(err.status === 422 ? problemsBox(err, file.name) : errorBox(err));
    } finally { check.disabled = false; }
  };

  const previewBox = (a) => {
    const box = h('section', { class: 'panel', id: 'upload-preview' },
      h('h2', {}, t('upload.previewTitle', a.file || sent.file.name, a.source)));
    if (a.outcome !== 'new_vintage') {
      box.append(h('p', { id: 'upload-unchanged' }, a.outcome === 'same_file' ? t('upload.sameFile', a.vintage) : t('upload.noChanges')));
      return box;
    }
    box.append(h('p', {}, t('upload.wouldBe', a.vintage)), countsTable(a), revisionsTable(a));
    const confirm = h('button', { type: 'button', id: 'upload-confirm' }, t('upload.confirm'));
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'upload-cancel', onclick: () => { clear(out); sent = null; } }, t('upload.cancel'));
    confirm.addEventListener('click', async () => {
      confirm.disabled = true;
      cancel.disabled = true;
      try {
        const { body } = await upload(`sources/${encodeURIComponent(sent.source)}/vintages`, { filename: sent.file.name }, sent.file);
        forgetCached();
        clear(out).append(storedBox(body));
      } catch (err) {
        clear(out).append(err.status === 422 ? problemsBox(err, sent.file.name) : errorBox(err));
      }
    });
    box.append(h('div', { class: 'actions' }, confirm, cancel));
    return box;
  };

  const storedBox = (a) => h('section', { class: 'panel', id: 'upload-stored', role: 'status' },
    h('h2', { class: 'ok-text' }, a.outcome === 'new_vintage' ? t('upload.stored', a.vintage, a.source) : t('upload.noChanges')),
    countsTable(a), revisionsTable(a),
    h('p', {}, h('a', { href: explorerLink(a.source, a), id: 'upload-explore' }, t('upload.explore', a.source))));

  root.append(h('form', { class: 'pickers upload-form', id: 'upload-form', onsubmit: (e) => { e.preventDefault(); preview(); } },
    h('div', { class: 'field field-source' }, h('label', { for: 'upload-source' }, t('upload.source')), sourceSel),
    h('div', { class: 'field field-wide' }, h('label', { for: 'upload-file' }, t('upload.file')), fileIn),
    h('div', { class: 'field-submit' }, check)), out);
  // A new choice makes the preview stale.
  for (const el of [sourceSel, fileIn]) el.addEventListener('change', () => { clear(out); sent = null; });
}
