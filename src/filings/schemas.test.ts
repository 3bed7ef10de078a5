import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { buildDocument, evidenceOf, validateDocument, type DocumentInput } from './document.ts';
import { EXAMPLE_CONTENT, EXAMPLE_FILES, EXAMPLE_MANUFACTURER } from './examples.ts';
import { FILING_KINDS, KINDS, type FilingKind } from './kinds.ts';
import { CONTENT_SCHEMAS } from './schemas/index.ts';

const input = (kind: FilingKind, content: unknown = EXAMPLE_CONTENT[kind]): DocumentInput => ({
  id: 'fil_1', kind, version: 1, supersedes: null, addressee: KINDS[kind].addressees[0],
  preparedAt: new Date('2026-11-25T08:00:00Z'), preparedBy: 'Li Na', manufacturer: EXAMPLE_MANUFACTURER, subjectId: 'sub_1', content,
});
const clone = (v: unknown): any => JSON.parse(JSON.stringify(v));

function validationPaths(fn: () => unknown): string[] {
  try { fn(); } catch (e) {
    assert.ok(e instanceof AppError && e.code === 'validation_failed', `expected validation_failed, got ${e}`);
    return e.errors!.map((x) => x.path);
  }
  assert.fail('expected a validation error');
}

for (const kind of FILING_KINDS) {
  test(`${kind}: the reference example is a valid document and round-trips through validation`, () => {
    const built = buildDocument(input(kind));
    assert.equal(built.document.schema, `icvgate/filing/${kind}/v1`);
    assert.deepEqual(validateDocument(JSON.parse(built.json)), built.document);
    assert.equal(built.document.subject.type, KINDS[kind].subjectType);
    assert.ok(built.document.basis.every((b) => b.source.length > 3), 'every rule names a source');
  });

  test(`${kind}: unknown fields and missing fields are refused with their path`, () => {
    const extra = clone(EXAMPLE_CONTENT[kind]);
    extra.surprise = 1;
    assert.ok(validationPaths(() => buildDocument(input(kind, extra))).includes('content'));
    const firstKey = Object.keys(EXAMPLE_CONTENT[kind] as object)[0];
    const missing = clone(EXAMPLE_CONTENT[kind]);
    delete missing[firstKey];
    assert.deepEqual(validationPaths(() => buildDocument(input(kind, missing))), [`content.${firstKey}`]);
  });

  test(`${kind}: its JSON Schema can be generated for the published schema id`, () => {
    const js = z.toJSONSchema(CONTENT_SCHEMAS[kind], { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    assert.equal(js.type, 'object');
  });
}

test('the same input gives byte-identical canonical JSON and digest', () => {
  const a = buildDocument(input('ota-filing-samr'));
  const b = buildDocument(input('ota-filing-samr', clone(EXAMPLE_CONTENT['ota-filing-samr'])));
  assert.equal(a.json, b.json);
  assert.equal(a.digest, b.digest);
  assert.match(a.digest, /^[0-9a-f]{64}$/);
});

test('rules inside a kind are enforced: sandbox roles, class A change permit, implementation counts', () => {
  const sandbox = clone(EXAMPLE_CONTENT['sandbox-documents']);
  sandbox.documents = sandbox.documents.filter((d: any) => d.role !== 'risk-assessment-plan');
  assert.deepEqual(validationPaths(() => buildDocument(input('sandbox-documents', sandbox))), ['content.documents']);

  const permit = clone(EXAMPLE_CONTENT['change-permit']);
  permit.classification.class = 'A';
  assert.deepEqual(validationPaths(() => buildDocument(input('change-permit', permit))), ['content.classification.class']);

  const report = clone(EXAMPLE_CONTENT['implementation-report']);
  report.counts.failed = 13;
  assert.deepEqual(validationPaths(() => buildDocument(input('implementation-report', report))), ['content.counts']);

  const samr = clone(EXAMPLE_CONTENT['ota-filing-samr']);
  samr.infoSheet.releaseTime = '7 Dec 2026';
  assert.deepEqual(validationPaths(() => buildDocument(input('ota-filing-samr', samr))), ['content.infoSheet.releaseTime']);
});

test('an addressee the kind does not go to is refused', () => {
  assert.deepEqual(validationPaths(() => buildDocument({ ...input('sandbox-documents'), addressee: 'MIIT' })), ['addressee']);
  assert.doesNotThrow(() => buildDocument({ ...input('supplementary-parameters'), addressee: 'SAMR' }));
});

test('a stored document whose schema id does not match its kind is refused', () => {
  const doc = clone(buildDocument(input('recall-filing')).document);
  doc.schema = 'icvgate/filing/ota-filing-miit/v1';
  assert.deepEqual(validationPaths(() => validateDocument(doc)), ['schema']);
});

test('evidenceOf finds each referenced file once, in hash order, wherever it sits', () => {
  const sandbox = evidenceOf(EXAMPLE_CONTENT['sandbox-documents']);
  assert.deepEqual(sandbox.map((e) => e.sha256), [EXAMPLE_FILES.depthPlan, EXAMPLE_FILES.riskPlan, EXAMPLE_FILES.prelimReport].map((f) => f.ref.sha256).sort());
  const params = evidenceOf(EXAMPLE_CONTENT['supplementary-parameters']);
  assert.equal(params.length, 2);
  assert.deepEqual(evidenceOf({ a: [EXAMPLE_FILES.hilReport.ref, { b: EXAMPLE_FILES.hilReport.ref }] }).length, 1);
});
