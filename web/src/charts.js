// SVG charts with d3: a line chart (several lines, shaded intervals,
// reference lines), sparklines and a bar chart of recent months.
import { scaleLinear } from 'd3-scale';
import { line, area } from 'd3-shape';
import { axisBottom, axisLeft } from 'd3-axis';
import { select } from 'd3-selection';
import { max, min } from 'd3-array';
import { fmtNum, fmtCompact, fmtPeriod } from './i18n.js';

// Period <-> a month number on a common axis ("2021-08" -> 24259).
export function periodIndex(p) {
  let m;
  if ((m = /^(\d{4})-(\d{2})$/.exec(p))) return +m[1] * 12 + (+m[2] - 1);
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) return +m[1] * 12 + (+m[2] - 1) * 3;
  if ((m = /^FY(\d{4})$/.exec(p))) return (+m[1] - 1) * 12 + 9;
  if ((m = /^(\d{4})$/.exec(p))) return +m[1] * 12;
  return NaN;
}
export function indexPeriod(i) {
  const y = Math.floor(i / 12);
  const m = i - y * 12 + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
}

let uid = 0;

/**
 * lineChart(container, opts)
 * opts.series: [{name, color, dash, points: [{x, y, label}]}] (x: periodIndex)
 * opts.bands:  [{name, color, opacity, points: [{x, lo, hi}]}]
 * opts.rules:  [{y, label, color, dash}]  horizontal reference lines
 * opts.height, opts.ariaLabel, opts.xLabel(x) for tick labels,
 * opts.minStep: months between ticks at least (12 for annual data)
 */
export function lineChart(container, opts) {
  const width = Math.max(280, container.clientWidth || 640);
  const height = opts.height || 300;
  const narrow = width < 480;
  const margin = { top: 12, right: 16, bottom: 30, left: narrow ? 46 : 62 };
  const xs = [];
  const ys = [0];
  for (const s of opts.series) for (const p of s.points) { if (p.y != null) { xs.push(p.x); ys.push(p.y); } }
  for (const b of opts.bands || []) for (const p of b.points) { xs.push(p.x); ys.push(p.hi); }
  for (const r of opts.rules || []) ys.push(r.y);
  if (!xs.length) return null;
  const x0 = min(xs);
  const x1 = Math.max(max(xs), x0 + 1);
  const x = scaleLinear().domain([x0, x1]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, max(ys) * 1.05 || 1]).nice().range([height - margin.bottom, margin.top]);

  const svg = select(container).append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`)
    .attr('width', '100%')
    .attr('class', 'chart')
    .attr('role', 'img')
    .attr('aria-label', opts.ariaLabel || '');
  const clipId = `clip${++uid}`;
  svg.append('clipPath').attr('id', clipId).append('rect')
    .attr('x', margin.left - 4).attr('y', margin.top - 4)
    .attr('width', width - margin.left - margin.right + 8).attr('height', height - margin.top - margin.bottom + 8);

  // Month ticks: at most ~6, on January/July (or every n years) for long spans.
  const span = x1 - x0;
  const ticksWanted = narrow ? 4 : 7;
  let step = [1, 2, 3, 6, 12, 24, 36, 60, 120].find((s) => s >= (opts.minStep || 1) && span / s <= ticksWanted) || 120;
  const ticks = [];
  const first = Math.ceil(x0 / step) * step;
  for (let v = first; v <= x1; v += step) ticks.push(v);
  const tickLabel = opts.xLabel || ((v) => (step >= 12 ? String(Math.floor(v / 12)) : fmtPeriod(indexPeriod(v), 'short')));

  svg.append('g').attr('class', 'axis x')
    .attr('transform', `translate(0,${height - margin.bottom})`)
    .call(axisBottom(x).tickValues(ticks).tickFormat(tickLabel).tickSizeOuter(0));
  svg.append('g').attr('class', 'axis y')
    .attr('transform', `translate(${margin.left},0)`)
    .call(axisLeft(y).ticks(5).tickFormat((v) => (v >= 10000 ? fmtCompact(v) : fmtNum(v))).tickSize(-(width - margin.left - margin.right)))
    .call((g) => g.select('.domain').remove())
    .call((g) => g.selectAll('.tick line').attr('class', 'grid'));

  const plot = svg.append('g').attr('clip-path', `url(#${clipId})`);
  for (const b of opts.bands || []) {
    plot.append('path').datum(b.points)
      .attr('class', 'band')
      .attr('fill', b.color).attr('fill-opacity', b.opacity ?? 0.2)
      .attr('d', area().x((p) => x(p.x)).y0((p) => y(Math.max(0, p.lo))).y1((p) => y(p.hi)));
  }
  for (const r of opts.rules || []) {
    plot.append('line').attr('class', 'rule')
      .attr('x1', margin.left).attr('x2', width - margin.right)
      .attr('y1', y(r.y)).attr('y2', y(r.y))
      .attr('stroke', r.color || '#555').attr('stroke-dasharray', r.dash || '5 4');
    svg.append('text').attr('class', 'rule-label')
      .attr('x', width - margin.right - 4).attr('y', y(r.y) - 4).attr('text-anchor', 'end')
      .attr('fill', r.color || '#333').text(r.label);
  }
  for (const s of opts.series) {
    // A partial period (rolled up from incomplete months) is a hollow point
    // off the line: joined to its neighbours it would read as a collapse.
    const gen = line().defined((p) => p.y != null && !p.partial).x((p) => x(p.x)).y((p) => y(p.y));
    plot.append('path').datum(s.points)
      .attr('class', 'line').attr('fill', 'none')
      .attr('stroke', s.color).attr('stroke-width', s.width || 2.2)
      .attr('stroke-dasharray', s.dash || null)
      .attr('d', gen);
    // Dots on short series; a partial period always gets its hollow dot.
    const dotted = s.dots === false ? [] : s.points.filter((p) => p.y != null && (s.points.length <= 40 || p.partial));
    if (dotted.length) {
      plot.append('g').selectAll('circle').data(dotted).join('circle')
        .attr('cx', (p) => x(p.x)).attr('cy', (p) => y(p.y)).attr('r', (p) => (p.partial ? 3.4 : 2.6))
        .attr('class', (p) => (p.partial ? 'partial' : null))
        .attr('fill', (p) => (p.partial ? '#fff' : s.color)).attr('stroke', s.color).attr('stroke-width', (p) => (p.partial ? 1.6 : 0))
        .append('title').text((p) => `${s.name ? s.name + ' · ' : ''}${p.label || fmtPeriod(indexPeriod(p.x))}: ${fmtNum(p.y)}`);
    }
  }
  if (opts.marker != null) {
    plot.append('line').attr('class', 'marker')
      .attr('x1', x(opts.marker)).attr('x2', x(opts.marker))
      .attr('y1', margin.top).attr('y2', height - margin.bottom);
  }
  return svg.node();
}

export function legend(items) {
  const ul = document.createElement('ul');
  ul.className = 'legend';
  for (const it of items) {
    const li = document.createElement('li');
    const sw = document.createElement('span');
    sw.className = `swatch ${it.kind || 'line'}`;
    sw.style.setProperty('--c', it.color);
    if (it.opacity != null) sw.style.opacity = String(Math.min(1, it.opacity * 2.5));
    sw.setAttribute('aria-hidden', 'true');
    li.append(sw, document.createTextNode(it.label));
    ul.append(li);
  }
  return ul;
}

// A small sparkline of [{month, value}].
export function sparkline(points, { width = 160, height = 40, color = '#1f5f8b', label = '' } = {}) {
  const svg = select(document.createElementNS('http://www.w3.org/2000/svg', 'svg'))
    .attr('viewBox', `0 0 ${width} ${height}`).attr('width', width).attr('height', height)
    .attr('class', 'spark').attr('role', 'img').attr('aria-label', label);
  const vals = points.map((p) => p.value).filter((v) => v != null);
  if (!vals.length) return svg.node();
  const x = scaleLinear().domain([0, Math.max(1, points.length - 1)]).range([2, width - 4]);
  const y = scaleLinear().domain([0, max(vals) || 1]).range([height - 3, 3]);
  svg.append('path').datum(points)
    .attr('d', area().defined((p) => p.value != null).x((_, i) => x(i)).y0(height - 2).y1((p) => y(p.value)))
    .attr('fill', color).attr('fill-opacity', 0.12);
  svg.append('path').datum(points)
    .attr('d', line().defined((p) => p.value != null).x((_, i) => x(i)).y((p) => y(p.value)))
    .attr('fill', 'none').attr('stroke', color).attr('stroke-width', 1.6);
  const last = points.length - 1;
  if (points[last].value != null) svg.append('circle').attr('cx', x(last)).attr('cy', y(points[last].value)).attr('r', 2.8).attr('fill', color);
  return svg.node();
}
