// A map of the Americas from world-atlas (bundled: no tiles, no requests),
// each country coloured by its role on the route.
import { geoPath, geoNaturalEarth1, geoBounds } from 'd3-geo';
import { select } from 'd3-selection';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';
import { country, countryName, t } from './i18n.js';

export const ROLE_COLORS = {
  sending: '#d95f02',
  transit: '#7570b3',
  'transit-and-receiving': '#1b9e77',
  receiving: '#1f78b4',
  'not seen': '#d0d0d0',
};

let countriesGeo = null;
function geo() {
  countriesGeo ||= feature(world, world.objects.countries).features;
  return countriesGeo;
}

// The frame: the corridor from the U.S. border states to northern South
// America, widened to take in every country of the route that lies in the
// Americas (a Chilean or Brazilian sending country pulls it south).
const CORRIDOR = [[-122, 3], [-58, 47]];
const WIDE = new Set([124, 840, 304]); // Canada, U.S. (Alaska), Greenland: the corridor covers their part
function frame(features) {
  let [[x0, y0], [x1, y1]] = CORRIDOR;
  for (const f of features) {
    if (WIDE.has(Number(f.id))) continue;
    const [[a, b], [c, d]] = geoBounds(f);
    if (a < -170 || c > -28 || a > c) continue; // outside the Americas (or across the antimeridian)
    x0 = Math.min(x0, a - 2); y0 = Math.min(y0, b - 2); x1 = Math.max(x1, c + 2); y1 = Math.max(y1, d + 2);
  }
  return { type: 'MultiPoint', coordinates: [[x0, y0], [x0, y1], [x1, y0], [x1, y1], [(x0 + x1) / 2, y1], [(x0 + x1) / 2, y0]] };
}

export function rolesMap(container, roles, label) {
  const byM49 = new Map();
  for (const r of roles) {
    const c = country(r.country);
    if (c && c.m49 != null) byM49.set(Number(c.m49), r);
  }
  const box = frame(geo().filter((f) => byM49.has(Number(f.id))));
  const width = Math.max(260, Math.min(container.clientWidth || 420, 620));
  // Height from the frame's own aspect, within reason.
  const probe = geoNaturalEarth1().fitWidth(1000, box);
  const [[px0, py0], [px1, py1]] = geoPath(probe).bounds(box);
  const aspect = Math.min(1.6, Math.max(0.6, (py1 - py0) / Math.max(1, px1 - px0)));
  const height = Math.round(width * aspect);
  const projection = geoNaturalEarth1().fitExtent([[6, 6], [width - 6, height - 6]], box);
  const path = geoPath(projection);
  const svg = select(container).append('svg')
    .attr('viewBox', `0 0 ${width} ${height}`).attr('width', '100%').attr('class', 'map')
    .attr('role', 'img').attr('aria-label', `${label}: ${roles.map((r) => `${countryName(r.country)} ${t(`role.${r.role}`)}`).join('; ')}`);
  svg.append('rect').attr('width', width).attr('height', height).attr('class', 'sea');
  svg.append('g').selectAll('path').data(geo()).join('path')
    .attr('d', path)
    .attr('class', (d) => (byM49.has(Number(d.id)) ? 'land role' : 'land'))
    .attr('data-role', (d) => (byM49.get(Number(d.id)) || {}).role || null)
    .attr('data-country', (d) => (byM49.get(Number(d.id)) || {}).country || null)
    .attr('fill', (d) => {
      const r = byM49.get(Number(d.id));
      return r ? ROLE_COLORS[r.role] || '#e8e8e8' : '#ececec';
    })
    .append('title').text((d) => {
      const r = byM49.get(Number(d.id));
      return r ? `${countryName(r.country)}: ${t(`role.${r.role}`)}` : (d.properties && d.properties.name) || '';
    });
  return svg.node();
}
