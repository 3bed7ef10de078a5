import type { TestApp, TestTenant } from '../support.ts';

/** Ids of tenant B's own resources, by path parameter name. */
export default async function (_t: TestApp, b: TestTenant): Promise<Record<string, string>> {
  return { tenantId: b.tenantId, tokenId: b.actor.id };
}
