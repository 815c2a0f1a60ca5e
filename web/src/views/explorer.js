// Series explorer: pickers from /dimensions, the series with its forecast,
// the values table and downloads. The selection lives in the URL hash.
import { get, cached, apiUrl } from '../api.js';
import { h, clear, errorBox } from '../dom.js';
import { t, fmtNum, fmtPeriod, countryName, eventName, unitName, collator, getLang } from '../i18n.js';
import { lineChart, legend, periodIndex } from '../charts.js';
import { replaceHash } from '../router.js';

const DIMS = ['source', 'reporter', 'citizenship', 'event', 'location'];
const FIELDS = [...DIMS, 'freq', 'from', 'to', 'by', 'top'];
// Dimensions a group-by may take (source: the sources are side by side when
// Source is All), and how many of the largest groups to keep.
const BY_DIMS = ['', 'citizenship', 'location', 'event', 'reporter', 'demographic', 'authority'];
const TOPS = ['', '5', '8', '10', '20'];
const COUNTRY_DIMS = new Set(['reporter', 'citizenship']);
const FREQS = ['', 'M', 'Q', 'A', 'FY'];
const COLORS = { history: '#1f5f8b', forecast: '#c0392b' };

function optionLabel(dim, v, sourceNames) {
  if (COUNTRY_DIMS.has(dim)) { const n = countryName(v); return n === v ? v : `${n} (${v})`; }
  if (dim === 'event') return eventName(v);
  if (dim === 'source') return sourceNames.get(v) ? `${v} — ${sourceNames.get(v)}` : v;
  return v;
}

export async function renderExplorer(root, params, alive) {
  const sel = {};
  let showToken = 0;
  for (const f of FIELDS) sel[f] = params.get(f) || '';
  const [dimsAll, sources] = await Promise.all([cached('dimensions'), cached('sources')]);
  if (!alive()) return;
  const sourceNames = new Map((sources.sources || []).map((s) => [s.source, s.name]));
  if (!sel.source && !params.toString()) sel.source = (dimsAll.source || []).includes('pa-snm-darien') ? 'pa-snm-darien' : (dimsAll.source || [])[0] || '';
  // The other pickers list what the chosen source holds.
  const dims = sel.source ? await cached('dimensions', { source: sel.source }) : dimsAll;
  if (!alive()) return;

  root.append(h('h1', {}, t('explorer.title')));
  const form = h('form', { class: 'pickers', id: 'explorer-form', onsubmit: (e) => { e.preventDefault(); apply(); } });
  const controls = {};
  for (const d of DIMS) {
    const values = (d === 'source' ? dimsAll.source : dims[d]) || [];
    const opts = values.map((v) => ({ v, label: optionLabel(d, v, sourceNames) }));
    if (d !== 'source') opts.sort((a, b) => collator().compare(a.label, b.label));
    if (sel[d] && !values.includes(sel[d])) opts.unshift({ v: sel[d], label: optionLabel(d, sel[d], sourceNames) });
    const select = h('select', { id: `pick-${d}`, name: d, onchange: () => apply(d === 'source') },
      h('option', { value: '' }, t('explorer.all')),
      opts.map((o) => h('option', { value: o.v, selected: o.v === sel[d] ? 'selected' : null }, o.label)));
    controls[d] = select;
    form.append(h('div', { class: `field field-${d}` }, h('label', { for: `pick-${d}` }, t(`explorer.${d}`)), select));
  }
  controls.freq = h('select', { id: 'pick-freq', name: 'freq', onchange: () => apply() },
    FREQS.map((f) => h('option', { value: f, selected: f === sel.freq ? 'selected' : null }, t(`freq.${f || 'native'}`))));
  form.append(h('div', { class: 'field field-freq' }, h('label', { for: 'pick-freq' }, t('explorer.freq')), controls.freq));
  controls.by = h('select', { id: 'pick-by', name: 'by', onchange: () => apply() },
    BY_DIMS.map((d) => h('option', { value: d, selected: d === sel.by ? 'selected' : null }, d ? t(`explorer.${d}`) || d : t('explorer.noGroup'))));
  form.append(h('div', { class: 'field field-by' }, h('label', { for: 'pick-by' }, t('explorer.by')), controls.by));
  // "Largest N": the groups ordered by size (a flow's total over the periods
  // shown, a stock's last value), the others left out; only when grouped.
  controls.top = h('select', { id: 'pick-top', name: 'top', onchange: () => apply() },
    TOPS.map((n) => h('option', { value: n, selected: n === sel.top ? 'selected' : null }, n ? t('explorer.largest', n) : t('explorer.allGroups'))));
  const topField = h('div', { class: 'field field-top' }, h('label', { for: 'pick-top' }, t('explorer.top')), controls.top);
  form.append(topField);
  const syncTop = () => {
    const grouped = !!controls.by.value || !controls.source.value;
    controls.top.disabled = !grouped;
    topField.hidden = !grouped;
    topField.style.display = grouped ? '' : 'none';  // .field sets a display of its own
  };
  controls.source.addEventListener('change', syncTop);
  controls.by.addEventListener('change', syncTop);
  syncTop();
  for (const f of ['from', 'to']) {
    controls[f] = h('input', { id: `pick-${f}`, name: f, type: 'text', value: sel[f], placeholder: f === 'from' ? '2021-01' : '2021-12',
      inputmode: 'text', autocomplete: 'off', size: 9, 'aria-describedby': 'period-hint', onchange: () => apply() });
    form.append(h('div', { class: 'field field-period' }, h('label', { for: `pick-${f}` }, t(`explorer.${f}`)), controls[f]));
  }
  form.append(h('div', { class: 'field field-submit' }, h('span', { class: 'label-spacer', 'aria-hidden': 'true' }, ' '), h('button', { type: 'submit', id: 'explorer-show' }, t('explorer.show'))));
  form.append(h('p', { id: 'period-hint', class: 'muted small hint' }, t('explorer.periodHint')));
  root.append(form);

  const out = h('div', { id: 'explorer-out' });
  root.append(out);

  function current() {
    const s = {};
    for (const f of FIELDS) s[f] = controls[f].value.trim();
    return s;
  }
  function apply(sourceChanged = false) {
    const s = current();
    // Another source has other reporters, events and locations.
    if (sourceChanged) for (const d of ['reporter', 'event', 'location']) s[d] = '';
    if (!s.by && s.source) s.top = '';
    replaceHash('explorer', s);
    if (sourceChanged) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else show(s);
  }
  function onResize() { if (document.body.contains(out)) show(current()); else window.removeEventListener('atalaya:resize', onResize); }
  window.addEventListener('atalaya:resize', onResize);
  replaceHash('explorer', sel);
  await show(sel);

  async function show(s) {
    const token = ++showToken;
    const stale = () => token !== showToken || !alive();
    clear(out);
    out.setAttribute('aria-busy', 'true');
    const query = {};
    for (const f of FIELDS) if (s[f]) query[f] = s[f];
    // The largest groups only when there are groups (by, or sources side by side).
    if (query.top && (query.by || !query.source)) query.sort = 'size';
    else delete query.top;
    let series;
    try {
      series = await get('series', query);
    } catch (e) {
      if (stale()) return;
      out.append(errorBox(e));
      out.setAttribute('aria-busy', 'false');
      return;
    }
    if (stale()) return;
    const rows = series.rows || [];
    const groupDims = series.by || [];
    const monthly = rows.length > 0 && rows.every((r) => r.frequency === 'M') && (!s.freq || s.freq === 'M');

    // Downloads: the server names the file after the selection; CSV and
    // Excel carry country names in the page's language (the CSV begins with
    // a byte-order mark so that Excel reads it as UTF-8).
    const dl = (format) => apiUrl('series', { ...query, format, lang: format === 'sdmx-csv' ? undefined : getLang() });
    out.append(h('div', { class: 'downloads', role: 'group', 'aria-label': t('explorer.download') },
      h('span', { class: 'label' }, `${t('explorer.download')}:`),
      h('a', { href: dl('csv'), download: '', class: 'button-link', id: 'dl-csv' }, t('explorer.csv')),
      h('a', { href: dl('sdmx-csv'), download: '', class: 'button-link', id: 'dl-sdmx' }, t('explorer.sdmx')),
      h('a', { href: dl('xlsx'), download: '', class: 'button-link', id: 'dl-xlsx' }, t('explorer.xlsx'))));

    if (!rows.length) {
      out.append(h('p', { class: 'muted' }, t('explorer.noRows')));
      for (const n of series.notes || []) out.append(h('p', { class: 'note small', lang: 'en' }, n));
      out.setAttribute('aria-busy', 'false');
      return;
    }

    // Chart: the series (one line per group), plus the forecast when monthly
    // and a single series.
    // One unit for the whole chart, or each line says its own.
    const units = new Set(rows.map((r) => r.unit));
    const oneUnit = units.size === 1 ? rows[0].unit : null;
    const chartBox = h('section', { class: 'panel chart-panel', 'aria-labelledby': 'chart-h' }, h('h2', { id: 'chart-h' }, t('explorer.chart'),
      oneUnit ? h('span', { class: 'muted small' }, ` · ${unitName(oneUnit)}`) : null));
    out.append(chartBox);
    // One line per group and frequency: an annual total is never drawn on
    // a line of months. A missing value (null) breaks the line; a partial
    // period is a hollow point.
    const groups = new Map();
    const freqs = new Set(rows.map((r) => r.frequency));
    const labelOf = (r) => groupDims.map((d) => (d === 'source' ? r[d] : COUNTRY_DIMS.has(d) ? countryName(r[d]) : d === 'event' ? eventName(r[d]) : r[d])).join(' · ');
    for (const r of rows) {
      const k = [labelOf(r), freqs.size > 1 ? t(`freq.${r.frequency}`) : '', oneUnit ? '' : unitName(r.unit)].filter(Boolean).join(' · ');
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push({ x: periodIndex(r.period), y: r.value, label: fmtPeriod(r.period), partial: !!r.partial });
    }
    const palette = ['#1f5f8b', '#d35400', '#27ae60', '#8e44ad', '#c0392b', '#16a085', '#7f8c8d', '#2c3e50'];
    const lines = [...groups.entries()].slice(0, 8).map(([k, pts], i) => ({ name: k, color: palette[i], points: pts.sort((a, b) => a.x - b.x) }));
    let fc = null;
    let fcNote = null;
    if (monthly && lines.length === 1) {
      try {
        const months = rows.length;
        // Fit on the whole history up to `to` (not only the months shown).
        fc = await get('forecast', { ...query, from: undefined, freq: undefined, history: Math.max(24, months) });
      } catch (e) {
        fcNote = e.message;
      }
    } else if (!monthly) fcNote = t('explorer.forecastMonthly');
    if (stale()) return;
    const g = fc && fc.groups && fc.groups[0];
    const bands = [];
    const series2 = [...lines];
    const legendItems = lines.length === 1 ? [{ label: t('explorer.history'), color: lines[0].color }] : lines.map((l) => ({ label: l.name, color: l.color }));
    if (g && g.forecast && g.forecast.length) {
      const lastHist = g.history && g.history.length ? g.history[g.history.length - 1] : null;
      const join = lastHist ? [{ x: periodIndex(lastHist.month), lo: lastHist.value, hi: lastHist.value, y: lastHist.value }] : [];
      const fpts = g.forecast.map((f) => ({ x: periodIndex(f.month), f }));
      bands.push({ name: '95', color: COLORS.forecast, opacity: 0.13, points: [...join, ...fpts.map((p) => ({ x: p.x, lo: p.f.lower_95, hi: p.f.upper_95 }))] });
      bands.push({ name: '80', color: COLORS.forecast, opacity: 0.22, points: [...join, ...fpts.map((p) => ({ x: p.x, lo: p.f.lower_80, hi: p.f.upper_80 }))] });
      series2.push({ name: t('explorer.mean'), color: COLORS.forecast, dash: '6 4', points: [...join, ...fpts.map((p) => ({ x: p.x, y: Math.max(0, p.f.mean) }))] });
      legendItems.push({ label: t('explorer.mean'), color: COLORS.forecast, kind: 'dash' },
        { label: t('explorer.band80'), color: COLORS.forecast, kind: 'area', opacity: 0.22 },
        { label: t('explorer.band95'), color: COLORS.forecast, kind: 'area', opacity: 0.13 });
    } else if (monthly && lines.length === 1 && !fcNote) fcNote = t('explorer.noForecast');
    const chartEl = h('div', { class: 'chart-box', id: 'series-chart' });
    chartBox.append(chartEl, legend(legendItems));
    const minStep = rows.every((r) => r.frequency === 'A' || r.frequency === 'FY') ? 12 : rows.every((r) => r.frequency !== 'M') ? 3 : 1;
    lineChart(chartEl, { series: series2, bands, height: 320, ariaLabel: t('explorer.chart'), minStep });
    if (rows.some((r) => r.partial || r.value == null)) chartBox.append(h('p', { class: 'muted small', id: 'gap-note' }, t('explorer.partialNote')));
    if (g) chartBox.append(h('p', { class: 'muted small', id: 'forecast-model' }, `${t('explorer.forecastModel')}: ${g.model}`));
    if (fcNote) chartBox.append(h('p', { class: 'muted small' }, fcNote));

    // Table, with the forecast rows after the observed ones.
    const tableBox = h('section', { class: 'panel', 'aria-labelledby': 'table-h' }, h('h2', { id: 'table-h' }, t('explorer.table')));
    const head = h('tr', {},
      h('th', { scope: 'col' }, t('col.period')),
      groupDims.map((d) => h('th', { scope: 'col' }, t(`explorer.${d}`) || d)),
      h('th', { scope: 'col', class: 'num' }, t('col.value')),
      oneUnit ? null : h('th', { scope: 'col' }, t('explorer.unit')),
      h('th', { scope: 'col' }, t('col.status')));
    const statusText = (r) => {
      if (r.missing) return t(`status.${r.missing}`);
      const st = t(`status.${r.status}`);
      return r.partial ? `${t('status.partial', r.covers)}${r.status !== 'final' ? ` · ${st}` : ''}` : st;
    };
    const body = h('tbody', {}, rows.map((r) => h('tr', { dataset: { period: r.period }, class: r.value == null ? 'gap' : r.partial ? 'partial' : null },
      h('th', { scope: 'row' }, r.through ? `${fmtPeriod(r.period)} – ${fmtPeriod(r.through)}` : fmtPeriod(r.period)),
      groupDims.map((d) => h('td', {}, COUNTRY_DIMS.has(d) ? countryName(r[d]) : d === 'event' ? eventName(r[d]) : r[d])),
      h('td', { class: 'num' }, r.value == null ? '–' : fmtNum(r.value)),
      oneUnit ? null : h('td', {}, unitName(r.unit)),
      h('td', {}, statusText(r)))));
    tableBox.append(h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'series-table' }, h('thead', {}, head), body)));
    if (g && g.forecast && g.forecast.length) {
      tableBox.append(h('h3', {}, t('explorer.forecast'), h('span', { class: 'muted small' }, ` · ${g.model}`)),
        h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'forecast-table' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('col.month')),
            h('th', { scope: 'col', class: 'num' }, t('explorer.mean')),
            h('th', { scope: 'col', class: 'num' }, t('explorer.band80')),
            h('th', { scope: 'col', class: 'num hide-narrow' }, t('explorer.band95')))),
          h('tbody', {}, g.forecast.map((f) => h('tr', {},
            h('th', { scope: 'row', class: 'nowrap' }, fmtPeriod(f.month, 'short')),
            h('td', { class: 'num' }, fmtNum(Math.max(0, f.mean))),
            h('td', { class: 'num' }, `${fmtNum(Math.max(0, f.lower_80))} – ${fmtNum(f.upper_80)}`),
            h('td', { class: 'num hide-narrow' }, `${fmtNum(Math.max(0, f.lower_95))} – ${fmtNum(f.upper_95)}`)))))));
    }
    const notes = [...(series.notes || []), ...((g && g.notes) || [])];
    if (notes.length) tableBox.append(h('h3', {}, t('explorer.notes')), h('ul', { class: 'notes small', lang: 'en' }, notes.map((n) => h('li', {}, n))));
    out.append(tableBox);
    out.setAttribute('aria-busy', 'false');
  }
}
