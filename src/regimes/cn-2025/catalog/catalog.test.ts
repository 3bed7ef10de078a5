import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CatalogError, parseCatalog, SHIPPED_CATALOG } from './index.ts';

const shipped = () => JSON.parse(readFileSync(new URL('./parameters.json', import.meta.url), 'utf8'));

test('the shipped catalog is a candidate list of at least 15 parameters, every one candidate, with a source', () => {
  assert.equal(SHIPPED_CATALOG.provenance, 'candidate');
  assert.ok(SHIPPED_CATALOG.parameters.length >= 15);
  for (const p of SHIPPED_CATALOG.parameters) {
    assert.equal(p.provenance, 'candidate', p.key);
    assert.ok(SHIPPED_CATALOG.sources[p.source.ref], `${p.key} names a declared source`);
    assert.ok(p.label.zh && p.label.en, `${p.key} has zh and en labels`);
  }
  assert.ok(SHIPPED_CATALOG.notice?.zh.includes('候选') && SHIPPED_CATALOG.notice?.en.includes('andidate'));
  const groups = new Set(SHIPPED_CATALOG.parameters.map((p) => p.group));
  assert.deepEqual([...groups].sort(), ['cdas', 'general', 'ota']);
  const types = new Set(SHIPPED_CATALOG.parameters.map((p) => p.type));
  assert.deepEqual([...types].sort(), ['boolean', 'enum', 'list', 'number', 'text']);
});

const cases: [string, (c: any) => void, RegExp][] = [
  ['a duplicate key', (c) => c.parameters.push({ ...c.parameters[0] }), /parameters\.\d+\.key: duplicate key general\.cdasFitted/],
  ['an unknown group', (c) => { c.parameters[0].group = 'chassis'; }, /parameters\.0\.group/],
  ['an unknown type', (c) => { c.parameters[0].type = 'date'; }, /parameters\.0\.type/],
  ['a number without unit', (c) => { delete c.parameters.find((p: any) => p.type === 'number').unit; }, /unit/],
  ['min above max', (c) => { const p = c.parameters.find((p: any) => p.type === 'number'); p.min = 10; p.max = 1; }, /min 10 is above max 1/],
  ['an enum without values', (c) => { c.parameters.find((p: any) => p.type === 'enum').values = []; }, /values/],
  ['a duplicate allowed value', (c) => { const p = c.parameters.find((p: any) => p.type === 'enum'); p.values.push(p.values[0]); }, /duplicate allowed value/],
  ['an undeclared source', (c) => { c.parameters[0].source.ref = 'NOPE'; }, /source NOPE is not declared/],
  ['an official entry in a candidate catalog', (c) => { c.parameters[0].provenance = 'official'; }, /candidate parameters only/],
  ['a bad evidence need', (c) => { c.parameters[0].evidence = 'maybe'; }, /parameters\.0\.evidence/],
  ['a missing main flag', (c) => { delete c.parameters[0].main; }, /parameters\.0\.main/],
  ['a missing zh label', (c) => { delete c.parameters[0].label.zh; }, /parameters\.0\.label\.zh/],
  ['an unknown applicability condition', (c) => { c.parameters[0].appliesWhen = { level3: true }; }, /appliesWhen/],
  ['a bad key', (c) => { c.parameters[0].key = 'CDAS Name'; }, /dotted camelCase/],
  ['an unknown field', (c) => { c.parameters[0].colour = 'red'; }, /colour|Unrecognized/],
];

for (const [name, mutate, expected] of cases) {
  test(`the catalog schema refuses ${name}`, () => {
    const c = shipped();
    mutate(c);
    assert.throws(() => parseCatalog(c, 'test'), (e: unknown) => e instanceof CatalogError && expected.test(e.message));
  });
}
