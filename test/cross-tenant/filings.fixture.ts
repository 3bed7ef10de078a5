import type { TestApp, TestTenant } from '../support.ts';
import { EXAMPLE_CONTENT, EXAMPLE_EVIDENCE } from '../../src/filings/examples.ts';

/** Tenant B's filing package (built and submitted), for the cross-tenant walk. */
export default async function (t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  for (const bytes of EXAMPLE_EVIDENCE.values()) await t.deps.blobs!.put(bytes);
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/filings', headers: b.auth,
    payload: { kind: 'recall-filing', subject: 'cmp_bravo_secret', input: { content: EXAMPLE_CONTENT['recall-filing'] } } });
  if (res.statusCode !== 201) throw new Error(`filings fixture: ${res.statusCode} ${res.body}`);
  const filingId = res.json().id as string;
  await t.app.inject({ method: 'POST', url: `/api/v1/filings/${filingId}/submissions`, headers: b.auth,
    payload: { channel: 'samr-recall-platform', submittedOn: '2026-01-05', reference: 'SAMR-BRAVO-1' } });
  return { filingId };
}
