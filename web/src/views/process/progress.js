// A commitment's observed progress (the API's `progress` and `points`): the
// mismatch flags first and prominently, then the figure against the target
// and a chart of the indicator's months against it. Missing months are gaps
// in the line, never zeros; without an indicator, that is said and nothing
// else; a refused sum says why, and no number is shown.
import { h } from '../../dom.js';
import { t, fmtNum, fmtPct, fmtPeriod, unitName } from '../../i18n.js';
import { lineChart, legend, periodIndex } from '../../charts.js';
import { fmtDay } from './common.js';

const COLORS = { observed: '#1f5f8b', monthly: '#8aa9c1', target: '#b03a2e' };

// The flags as sentences (an empty list when the data agree or cannot say).
export function flagLines(progress, commitment) {
  const f = (progress && progress.flags) || {};
  const share = progress && progress.share;
  const deadline = commitment.deadline ? fmtDay(commitment.deadline.by) : '';
  const out = [];
  if (f.claimed_fulfilled_data_short) out.push({ key: 'claimed', text: share != null ? t('flag.claimedShort', fmtShare(share)) : t('flag.claimedShortNoShare') });
  if (f.deadline_passed_no_data) out.push({ key: 'no-data', text: t('flag.deadlineNoData', deadline) });
  if (f.deadline_passed_short && share != null) out.push({ key: 'short', text: t('flag.deadlineShort', deadline, fmtShare(share)) });
  return out;
}
// A share of the target as a percent without a sign ("40%").
export function fmtShare(share) {
  return fmtPct(share).replace(/^\+/, '');
}

export function flagBox(progress, commitment) {
  const lines = flagLines(progress, commitment);
  if (!lines.length) return null;
  return h('div', { class: 'flag-box', id: 'mismatch-flag', role: 'note' },
    h('strong', {}, '⚠ ', t('flag.title')),
    h('ul', {}, lines.map((l) => h('li', { dataset: { flag: l.key } }, l.text))));
}

// A short cell for tables: "40% of the target", "no indicator", the value.
export function progressSummary(progress, commitment) {
  if (!progress || progress.no_indicator) return h('span', { class: 'muted small' }, t('progress.noIndicatorShort'));
  if (progress.refused) return h('span', { class: 'muted small', title: progress.refused }, t('progress.refusedShort'));
  if (progress.value == null) return h('span', { class: 'muted small' }, t('progress.noValue'));
  const flagged = flagLines(progress, commitment).length > 0;
  return h('span', { class: flagged ? 'flagged' : null },
    progress.share != null ? t('progress.ofTarget', fmtShare(progress.share)) : `${fmtNum(progress.value)} ${unitName(progress.unit)}`,
    flagged ? h('span', { class: 'flag-mark', title: flagLines(progress, commitment).map((l) => l.text).join(' ') }, ' ⚠') : null);
}

// Months from `from` to `to` with a point each (null where the data have none).
function monthly(points, progress) {
  const byPeriod = new Map(points.map((p) => [p.period, p]));
  const start = periodIndex(progress.from || points[0].period);
  const end = periodIndex(progress.to || points[points.length - 1].period);
  const out = [];
  for (let x = start; x <= end; x += 1) {
    const y = Math.floor(x / 12);
    const period = `${y}-${String(x - y * 12 + 1).padStart(2, '0')}`;
    out.push({ x, period, p: byPeriod.get(period) || null });
  }
  return out;
}

export function progressPanel(c, progress, points, drawers) {
  const sec = h('section', { class: 'panel', id: 'progress', 'aria-labelledby': 'progress-h' }, h('h2', { id: 'progress-h' }, t('progress.title')));
  if (!progress || progress.no_indicator) {
    sec.append(h('p', { id: 'no-indicator' }, t('progress.noIndicator')));
    return sec;
  }
  if (progress.refused) {
    sec.append(h('p', { id: 'progress-refused', class: 'error-text' }, t('progress.refused', progress.refused)));
    return sec;
  }
  const ind = c.indicator || {};
  const target = c.target;
  const cumulative = ind.counting !== 'level_by';
  sec.append(h('div', { class: 'progress-figure' },
    h('p', { class: 'big', id: 'progress-value' }, progress.value != null ? fmtNum(progress.value) : '–', ' ',
      h('span', { class: 'unit' }, progress.value != null ? unitName(progress.unit) : t('progress.noValue'))),
    h('p', { id: 'progress-share' }, progress.share != null ? h('strong', {}, t('progress.ofTarget', fmtShare(progress.share)))
      : h('span', { class: 'muted' }, t('progress.noTargetShare')),
    target ? h('span', { class: 'muted' }, ` · ${t('progress.target')}: ${fmtNum(target.value)} ${unitName(target.unit)}`) : null)));
  const lines = [
    ind.description ? h('li', {}, ind.description) : null,
    h('li', {}, ind.counting === 'level_by' ? t('progress.counting.level_by') : t('progress.counting.cumulative_from', fmtPeriod(ind.from || progress.from))),
    progress.from && progress.to ? h('li', {}, `${t('progress.spanLabel')}: ${t('progress.span', fmtPeriod(progress.from), fmtPeriod(progress.to))}`) : null,
    progress.as_of ? h('li', {}, `${t('progress.asOf')}: ${fmtPeriod(progress.as_of)}`) : null,
    (progress.sources || []).length ? h('li', {}, `${t('progress.sources')}: `, progress.sources.map((s, i) => [i ? ', ' : '', h('a', { href: `#/explorer?source=${encodeURIComponent(s)}` }, s)])) : null,
    (progress.gaps || []).length ? h('li', { id: 'progress-gaps' }, t('progress.gaps', progress.gaps.map((g) => fmtPeriod(g, 'short')).join(', '))) : null,
    progress.partial ? h('li', { id: 'progress-partial' }, t('progress.partial')) : null,
  ].filter(Boolean);
  sec.append(h('ul', { class: 'small progress-notes' }, lines));

  if ((points || []).length) {
    const chartEl = h('div', { class: 'chart-box', id: 'progress-chart' });
    sec.append(chartEl);
    const months = monthly(points, progress);
    const series = [];
    if (cumulative) {
      series.push({ name: t('progress.cumulative'), color: COLORS.observed, points: months.map((m) => ({ x: m.x, y: m.p && m.p.cumulative != null ? m.p.cumulative : null, label: fmtPeriod(m.period) })) });
      series.push({ name: t('progress.monthly'), color: COLORS.monthly, width: 1.4, dash: '3 3', points: months.map((m) => ({ x: m.x, y: m.p ? m.p.value : null, label: fmtPeriod(m.period) })) });
    } else {
      series.push({ name: t('progress.level'), color: COLORS.observed, points: months.map((m) => ({ x: m.x, y: m.p ? m.p.value : null, label: fmtPeriod(m.period) })) });
    }
    const rules = target ? [{ y: target.value, label: `${t('progress.target')} ${fmtNum(target.value)}`, color: COLORS.target }] : [];
    const deadlineX = c.deadline ? periodIndex(c.deadline.by.slice(0, 7)) : null;
    const marker = deadlineX != null && deadlineX >= months[0].x && deadlineX <= months[months.length - 1].x ? deadlineX : null;
    drawers.push(() => {
      lineChart(chartEl, { series, rules, height: 260, ariaLabel: t('progress.chartLabel', c.code), marker });
      chartEl.append(legend([
        ...series.map((s) => ({ label: s.name, color: s.color, kind: s.dash ? 'dash' : 'line' })),
        ...(target ? [{ label: t('progress.target'), color: COLORS.target, kind: 'dash' }] : []),
        ...(marker != null ? [{ label: t('progress.deadlineMark', fmtDay(c.deadline.by)), color: '#888', kind: 'dash' }] : []),
      ]));
    });
  }
  return sec;
}
