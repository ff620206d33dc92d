import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isLoop, isRoutePattern, route, type RoutingTable } from '../src/routing.js';

const table: RoutingTable = {
  localAgencies: new Map([
    ['000.00.00.H99', 'office-binhan'],
    ['000.00.04.H99', 'office-binhan'],
  ]),
  peerRoutes: [
    { pattern: '*', peerId: 'national' },
    { pattern: '*.H44', peerId: 'hub-h44' },
    { pattern: '*.24.H44', peerId: 'hub-h44-district' },
  ],
};

describe('routing a recipient', () => {
  it('delivers to a local system first', () => {
    assert.deepEqual(route(table, '000.00.04.H99'), { kind: 'system', systemId: 'office-binhan' });
  });

  it('forwards to the hub of the most specific matching route', () => {
    assert.deepEqual(route(table, '000.46.24.H44'), { kind: 'peer', peerId: 'hub-h44-district' });
    assert.deepEqual(route(table, '000.00.31.H44'), { kind: 'peer', peerId: 'hub-h44' });
    assert.deepEqual(route(table, '000.00.00.G22'), { kind: 'peer', peerId: 'national' });
  });

  it('knows no route for a malformed code or without a default route', () => {
    assert.deepEqual(route(table, 'H44'), { kind: 'unknown' });
    assert.deepEqual(route({ localAgencies: new Map(), peerRoutes: [] }, '000.00.00.G22'), { kind: 'unknown' });
  });

  it('accepts only patterns made of trailing code groups', () => {
    for (const ok of ['*', '*.H44', '*.24.H44', '*.46.24.H44']) assert.equal(isRoutePattern(ok), true, ok);
    for (const bad of ['H44', '*.h44', '*.4.H44', '**', '*.000.46.24.H44']) assert.equal(isRoutePattern(bad), false, bad);
  });

  it('sees a loop when the trace already holds this hub', () => {
    assert.equal(isLoop([{ organId: '000.00.00.H99' }, { organId: '000.00.00.G01' }], '000.00.00.G01'), true);
    assert.equal(isLoop([{ organId: '000.00.00.H99' }], '000.00.00.G01'), false);
  });
});
