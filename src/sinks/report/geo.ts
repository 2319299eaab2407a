import { createRequire } from 'node:module';
import { geoArea, geoCentroid, geoNaturalEarth1, geoPath, type GeoProjection } from 'd3-geo';
import type { Feature, Geometry, MultiPolygon, Polygon } from 'geojson';
import countries from 'i18n-iso-countries';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { MapPoint } from './model.js';

const require = createRequire(import.meta.url);

/** Size of the report's world map in SVG user units. */
export const MAP_WIDTH = 960;
export const MAP_HEIGHT = 480;

type CountriesTopology = Topology<{ countries: GeometryCollection<{ name: string }>; land: GeometryCollection }>;

/** Natural Earth country shapes from world-atlas (ISC licence); ids are ISO 3166-1 numeric codes. */
function loadAtlas(resolution: '110m' | '50m'): CountriesTopology {
  return require(`world-atlas/countries-${resolution}.json`) as CountriesTopology;
}

/**
 * The offline world map: country outlines at 1:110 million drawn once as SVG paths, a Natural Earth
 * projection for points, and country centroids for locations whose records carry no coordinates.
 */
export class WorldMap {
  private readonly projection: GeoProjection;
  private readonly centroids = new Map<string, [number, number] | null>();
  private detailedCountries: Map<string, Feature<Geometry>> | null = null;
  private readonly countries: Map<string, Feature<Geometry>>;
  /** SVG path data of all countries, and of the borders between them. */
  readonly landPath: string;
  readonly bordersPath: string;
  readonly outlinePath: string;

  constructor() {
    const atlas = loadAtlas('110m');
    const collection = feature(atlas, atlas.objects.countries);
    this.countries = indexByAlpha2(collection.features);

    this.projection = geoNaturalEarth1().fitExtent(
      [
        [4, 4],
        [MAP_WIDTH - 4, MAP_HEIGHT - 4],
      ],
      { type: 'Sphere' },
    );
    const path = geoPath(this.projection).digits(1);
    this.landPath = path(collection) ?? '';
    this.bordersPath = path(mesh(atlas, atlas.objects.countries, (a, b) => a !== b)) ?? '';
    this.outlinePath = path({ type: 'Sphere' }) ?? '';
  }

  /** Projects latitude and longitude onto the map. */
  project(latitude: number, longitude: number): { x: number; y: number } | null {
    const point = this.projection([longitude, latitude]);
    if (point === null || !Number.isFinite(point[0]) || !Number.isFinite(point[1])) return null;
    return { x: round1(point[0]), y: round1(point[1]) };
  }

  /**
   * Places a location string "country/state/city" on the map: at the records' coordinates when they had
   * any, else at the centroid of the country's largest polygon (so France is not placed in the Atlantic
   * between Europe and French Guiana). Returns null when the country is empty or not in the atlas.
   */
  place(location: string, coordinates: [number, number] | undefined): MapPoint | null {
    if (coordinates !== undefined) {
      const point = this.project(coordinates[0], coordinates[1]);
      if (point !== null) return { ...point, source: 'record' };
    }
    const country = location.split('/')[0];
    const centroid = this.countryCentroid(country);
    if (centroid === null) return null;
    const point = this.project(centroid[0], centroid[1]);
    return point === null ? null : { ...point, source: 'country-centroid' };
  }

  /** Returns [latitude, longitude] of a country's centroid, by ISO 3166-1 alpha-2 code or English name. */
  countryCentroid(country: string): [number, number] | null {
    const code = toAlpha2(country);
    if (code === null) return null;
    const cached = this.centroids.get(code);
    if (cached !== undefined) return cached;

    // Small countries (Singapore, Malta, Bahrain...) exist only in the 1:50 million atlas.
    let shape = this.countries.get(code);
    if (shape === undefined) {
      if (this.detailedCountries === null) {
        const detailed = loadAtlas('50m');
        this.detailedCountries = indexByAlpha2(feature(detailed, detailed.objects.countries).features);
      }
      shape = this.detailedCountries.get(code);
    }
    const centroid = shape === undefined ? null : largestPolygonCentroid(shape.geometry);
    this.centroids.set(code, centroid);
    return centroid;
  }
}

function indexByAlpha2(features: Feature<Geometry>[]): Map<string, Feature<Geometry>> {
  const byCode = new Map<string, Feature<Geometry>>();
  for (const shape of features) {
    if (shape.id === undefined) continue;
    const code = countries.numericToAlpha2(String(shape.id));
    if (code !== undefined) byCode.set(code, shape);
  }
  return byCode;
}

function toAlpha2(country: string): string | null {
  const text = country.trim();
  if (text.length === 0) return null;
  if (/^[A-Za-z]{2}$/.test(text)) return countries.isValid(text.toUpperCase()) ? text.toUpperCase() : null;
  return countries.getAlpha2Code(text, 'en') ?? null;
}

function largestPolygonCentroid(geometry: Geometry): [number, number] | null {
  let polygon: Polygon | MultiPolygon | null = null;
  if (geometry.type === 'Polygon') polygon = geometry;
  else if (geometry.type === 'MultiPolygon') {
    let largest = -1;
    for (const coordinates of geometry.coordinates) {
      const candidate: Polygon = { type: 'Polygon', coordinates };
      const area = geoArea(candidate);
      if (area > largest) {
        largest = area;
        polygon = candidate;
      }
    }
  }
  if (polygon === null) return null;
  const [longitude, latitude] = geoCentroid(polygon);
  return Number.isFinite(latitude) && Number.isFinite(longitude) ? [latitude, longitude] : null;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
