import { productWithBaseline } from '../../src/ota/test-fixtures.ts';
import { pdf } from '../../src/products/test-fixtures.ts';
import type { TestApp, TestTenant } from '../support.ts';

/** Tenant B's product with an approved version 1, and an evidence file linked to it. */
export default async function (t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  const product = await productWithBaseline(t, b, { model: 'BRAVO7000SECRET' });
  const r = await t.app.inject({
    method: 'POST', url: '/api/v1/evidence', payload: pdf('Bravo secret test report'),
    headers: { ...b.auth, 'content-type': 'application/pdf', 'x-evidence-title': 'Bravo report', 'x-evidence-lab': 'Lab', 'x-evidence-report-no': 'BRAVO-1', 'x-evidence-issued-on': '2026-01-05', 'x-evidence-valid-until': '2027-01-05' },
  });
  if (r.statusCode !== 201) throw new Error(`products fixture: evidence ${r.statusCode} ${r.body}`);
  return { productId: product.id, version: '1', sha256: r.json().evidence.sha256 };
}
