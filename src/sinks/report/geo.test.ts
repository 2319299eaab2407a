import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAP_HEIGHT, MAP_WIDTH, WorldMap } from './geo.js';

const map = new WorldMap();

test('country centroid uses the largest polygon', () => {
  // France's shape includes French Guiana; the centroid must stay in metropolitan France.
  const [latitude, longitude] = map.countryCentroid('FR')!;
  assert.ok(latitude > 42, `latitude ${latitude}`);
  assert.ok(latitude < 51, `latitude ${latitude}`);
  assert.ok(longitude > -5, `longitude ${longitude}`);
  assert.ok(longitude < 8, `longitude ${longitude}`);
});

test('country centroid accepts names and small countries', () => {
  const [latitude, longitude] = map.countryCentroid('Singapore')!;
  assert.ok(Math.abs(latitude - 1.35) < 0.5, `latitude ${latitude}`);
  assert.ok(Math.abs(longitude - 103.8) < 0.5, `longitude ${longitude}`);
  assert.equal(map.countryCentroid('ZZ'), null);
  assert.equal(map.countryCentroid(''), null);
});

test('place prefers record coordinates over centroids', () => {
  const fromRecord = map.place('US/Washington/Seattle', [47.6, -122.3]);
  const fromCountry = map.place('US/Washington/Seattle', undefined);

  assert.equal(fromRecord?.source, 'record');
  assert.equal(fromCountry?.source, 'country-centroid');
  assert.ok(fromRecord!.x < fromCountry!.x, 'Seattle lies west of the centre of the United States');
  assert.equal(map.place('//', undefined), null);
});

test('projected points fall inside the map', () => {
  for (const [latitude, longitude] of [[90, 180], [-90, -180], [0, 0], [51.5, -0.1]]) {
    const point = map.project(latitude, longitude)!;
    assert.ok(point.x >= 0, `x ${point.x}`);
    assert.ok(point.x <= MAP_WIDTH, `x ${point.x}`);
    assert.ok(point.y >= 0, `y ${point.y}`);
    assert.ok(point.y <= MAP_HEIGHT, `y ${point.y}`);
  }
});

test('base map paths are drawn', () => {
  assert.ok(map.landPath.startsWith('M'));
  assert.ok(map.bordersPath.length > 1000);
});
