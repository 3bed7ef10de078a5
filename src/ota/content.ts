// Checks a campaign's content against the tenant's products and catalog, and splits off the VIN list.
import { checkVin } from '../identifiers/vin.ts';
import type { Sql } from '../platform/db.ts';
import { fieldError, msg, validationFailed, withMsgOf, type FieldError } from '../platform/errors.ts';
import { catalogFor, getProductWithBaseline } from '../products/index.ts';
import { normalizeValue } from '../regimes/cn-2025/parameters.ts';
import type { CampaignContent } from './model.ts';
import { contentDigest, payloadDigest, scopeDigest } from './rules.ts';

export type PreparedContent = {
  stored: CampaignContent; // scope without the VIN list
  vins: string[] | null; // normalised, unique, sorted; null when the scope has no list
  payloadDigest: string; scopeDigest: string; contentDigest: string;
};

export async function prepareContent(sql: Sql, tenantId: string, c: CampaignContent): Promise<PreparedContent> {
  const errors: FieldError[] = [];
  for (const [i, id] of c.products.entries()) {
    if (!(await getProductWithBaseline(sql, tenantId, id))) errors.push(fieldError(`products.${i}`, msg('ota.productNotOfTenant', { id })));
  }
  for (const [i, id] of (c.scope.products ?? []).entries()) {
    if (!c.products.includes(id)) errors.push(fieldError(`scope.products.${i}`, msg('ota.notCampaignProduct', { id })));
  }
  const catalog = await catalogFor(sql, tenantId);
  const parameters: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(c.parameters)) {
    const def = catalog.byKey.get(key);
    if (!def) { errors.push(fieldError(`parameters.${key}`, msg('ota.notCatalogParameter', { version: catalog.version }))); continue; }
    const n = normalizeValue(def, raw);
    if (!n.ok) errors.push(withMsgOf({ path: `parameters.${key}`, message: n.message }, n)); else parameters[key] = n.value;
  }
  if (c.window && new Date(c.window.start) >= new Date(c.window.end)) errors.push(fieldError('window.end', msg('ota.windowEndAfterStart')));
  if (c.scope.productionDate && c.scope.productionDate.from > c.scope.productionDate.to) errors.push(fieldError('scope.productionDate.to', msg('ota.toNotBeforeFrom')));
  if (c.recallNumber && !c.recall) errors.push(fieldError('recallNumber', msg('ota.recallNumberOnlyRecall')));
  const seenEcu = new Set<string>();
  c.software.forEach((s, i) => {
    if (seenEcu.has(`${s.ecu}|${s.partNumber}`)) errors.push(fieldError(`software.${i}`, msg('ota.softwareTwice', { ecu: s.ecu, partNumber: s.partNumber })));
    seenEcu.add(`${s.ecu}|${s.partNumber}`);
  });
  let vins: string[] | null = null;
  if (c.scope.vins && c.scope.vins.length) {
    const set = new Set<string>();
    c.scope.vins.forEach((v, i) => {
      const r = checkVin(v);
      if (!r.ok) { if (errors.length < 1000) errors.push(fieldError(`scope.vins.${i}`, msg('ota.vinInvalid', { vin: v, reason: r }))); } else set.add(r.vin);
    });
    vins = [...set].sort();
  }
  if (errors.length) throw validationFailed(errors, msg('ota.campaignInvalid'));
  const full: CampaignContent = { ...c, parameters, scope: { ...c.scope, ...(vins ? { vins } : {}) } };
  const p = payloadDigest(full), s = scopeDigest(full.scope, full.products);
  const { vins: _omit, ...scopeWithoutVins } = full.scope;
  return { stored: { ...full, scope: scopeWithoutVins }, vins, payloadDigest: p, scopeDigest: s, contentDigest: contentDigest(p, s) };
}
