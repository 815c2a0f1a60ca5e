// A map of the Americas from world-atlas (bundled: no tiles, no requests),
// each country coloured by its role on the route.
import { geoPath, geoNaturalEarth1 } from 'd3-geo';
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

// The Americas from the southwestern U.S. to Tierra del Fuego.
const AMERICAS = { type: 'MultiPoint', coordinates: [[-118, 34], [-118, -56], [-34, -56], [-34, 34], [-100, 50], [-66, 50]] };

export function rolesMap(container, roles, label) {
  const width = Math.max(260, Math.min(container.clientWidth || 420, 560));
  const height = Math.round(width * 1.05);
  const byM49 = new Map();
  for (const r of roles) {
    const c = country(r.country);
    if (c && c.m49 != null) byM49.set(Number(c.m49), r);
  }
  const projection = geoNaturalEarth1().fitExtent([[6, 6], [width - 6, height - 6]], AMERICAS);
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
