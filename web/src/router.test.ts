import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bySpecificity, href, isActive, matchPath } from './router.tsx';

test('matchPath: exact segments, :params decoded, no partial matches', () => {
  const cases: [string, string, Record<string, string> | null][] = [
    ['/', '/', {}],
    ['/products', '/products', {}],
    ['/products', '/products/', {}],
    ['/products/:productId', '/products/prd_1', { productId: 'prd_1' }],
    ['/products/:productId', '/products/a%2Fb', { productId: 'a/b' }],
    ['/products/:productId/parameters/:version', '/products/p/parameters/3', { productId: 'p', version: '3' }],
    ['/products/:productId', '/products', null],
    ['/products/:productId', '/products/p/extra', null],
    ['/products', '/campaigns', null],
    ['/products/:productId', '/products/%E0%A4%A', null],
  ];
  for (const [pattern, path, want] of cases) assert.deepEqual(matchPath(pattern, path), want, `${pattern} vs ${path}`);
});

test('bySpecificity puts static segments before parameters and longer paths first', () => {
  const sorted = ['/products/:productId', '/', '/products/new', '/products', '/products/:productId/diff'].sort(bySpecificity);
  assert.deepEqual(sorted, ['/products/new', '/products/:productId/diff', '/products/:productId', '/products', '/']);
  // What matters: for a path both could match, the static one comes first.
  assert.ok(sorted.indexOf('/products/new') < sorted.indexOf('/products/:productId'));
});

test('href fills and encodes params, and refuses a missing one', () => {
  assert.equal(href('/products/:productId/parameters/:version', { productId: 'p 1', version: 2 }), '/products/p%201/parameters/2');
  assert.throws(() => href('/products/:productId', {}), /missing parameter productId/);
});

test('isActive: a menu entry is active on its own path and below it, / only on itself', () => {
  assert.equal(isActive('/', '/'), true);
  assert.equal(isActive('/', '/audit'), false);
  assert.equal(isActive('/products', '/products/p1'), true);
  assert.equal(isActive('/products', '/productsx'), false);
});
