import type { Actor } from '../platform/audit.ts';
import { digestOf } from '../platform/canonical.ts';
import { AppError, conflict, fieldError, msg, validationFailed } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { readScope, unitOfWork, type Deps } from '../platform/usecase.ts';
import { buildDocument, evidenceOf } from './document.ts';
import { blobEvidence } from './evidence-reader.ts';
import { KINDS, type Authority } from './kinds.ts';
import { LOADERS } from './loaders.ts';
import type { CreateFilingInput, Filing } from './model.ts';
import { buildPackage } from './package.ts';
import { presentFiling } from './present.ts';
import * as store from './store.ts';

export function manufacturerOf(t: store.TenantFacts) {
  return {
    tenantId: t.id, name: { zh: t.nameZh, en: t.nameEn }, uscc: t.uscc, overseas: t.overseas, country: t.country,
    importer: t.importer ? { name: t.importer.name, uscc: t.importer.uscc ?? null } : null,
  };
}

/**
 * Builds a new package version from stored state: gather the content (read), render PDF and zip
 * outside any transaction (PGlite has one session), then record it in one transaction with its audit
 * entry. The same content as the chain's latest version returns that version instead of a duplicate.
 */
export async function createFiling(deps: Deps, actor: Actor, input: CreateFilingInput): Promise<{ filing: Filing; created: boolean }> {
  const tenantId = actor.tenantId;
  if (!tenantId) throw new AppError('bad_request', msg('filings.needManufacturer'));
  const def = KINDS[input.kind];
  const addressee: Authority = input.addressee ?? def.addressees[0];
  if (!def.addressees.includes(addressee)) {
    throw validationFailed([fieldError('addressee', msg('filings.addresseeOnly', { kind: input.kind, addressees: def.addressees.join(' or ') }))]);
  }
  const now = deps.clock();
  const { tenant, latest } = await readScope(deps, actor, async (sql) => ({
    tenant: await store.tenantFacts(sql, tenantId),
    latest: await store.latestInChain(sql, tenantId, input.kind, addressee, input.subject),
  }));
  if (!tenant || tenant.kind !== 'manufacturer') throw new AppError('forbidden', msg('filings.onlyManufacturer'));
  if (input.supersedes !== undefined && input.supersedes !== (latest?.id ?? null)) {
    throw conflict(msg('filings.supersedesLatest', { latest: latest?.id ?? msg('filings.noneYet') }), { latest: latest?.id ?? null });
  }

  const gathered = await LOADERS[input.kind]({ deps, actor, tenantId, subjectId: input.subject, addressee, input: input.input ?? {}, now, manufacturer: manufacturerOf(tenant) });
  // A rejected version takes no new submission, so even unchanged content gets a new version then.
  if (latest && latest.state !== 'rejected' && digestOf(latest.document.content) === digestOf(gathered.content)) {
    return { filing: await loadFiling(deps, actor, latest.id), created: false };
  }
  const id = newId('fil', now.getTime());
  const built = buildDocument({
    id, kind: input.kind, version: (latest?.version ?? 0) + 1, supersedes: latest?.id ?? null, addressee,
    preparedAt: now, preparedBy: actor.name, manufacturer: manufacturerOf(tenant), subjectId: input.subject, content: gathered.content,
  });
  await requireEvidence(deps, built.document.content);
  const pkg = await buildPackage(built.document, blobEvidence(deps));

  await unitOfWork(deps, actor, async (u) => {
    const head = await store.latestInChain(u.sql, u.tenantId, input.kind, addressee, input.subject);
    if ((head?.id ?? null) !== (latest?.id ?? null)) throw conflict(msg('filings.builtMeanwhile'), { latest: head?.id });
    const row: store.NewFiling = {
      id, tenantId, kind: input.kind, addressee, subjectType: def.subjectType, subjectId: input.subject, version: built.document.filing.version,
      supersedes: latest?.id ?? null, schemaId: def.schemaId, document: built.document, contentDigest: pkg.manifest.contentDigest,
      subjectDigest: gathered.subjectDigest, manifest: pkg.manifest, packageSha256: pkg.sha256, packageSize: pkg.zip.length, pdfSha256: pkg.pdfSha256,
      createdBy: { id: actor.id, name: actor.name }, createdAt: now,
    };
    await store.insertFiling(u.sql, u.tenantId, row);
    if (latest) await store.markSuperseded(u.sql, u.tenantId, latest.id, id, u.now);
    const summary = { id, kind: input.kind, addressee, subject: input.subject, version: row.version, supersedes: row.supersedes,
      contentDigest: row.contentDigest, packageSha256: row.packageSha256 };
    await u.audit({ action: 'filing.built', subjectType: 'filing', subjectId: id, after: summary, data: { ...summary, rules: def.rules } });
    await u.emit({ type: 'filing.built', subjectType: 'filing', subjectId: id, payload: summary, idempotencyKey: `filing.built:${id}` });
  });
  return { filing: await loadFiling(deps, actor, id), created: true };
}

/** Every referenced evidence file must be in the blob store before a package names it. */
async function requireEvidence(deps: Deps, content: unknown) {
  const refs = evidenceOf(content);
  if (refs.length === 0) return;
  if (!deps.blobs) throw new AppError('unavailable', msg('filings.noEvidenceStore'));
  const missing = [];
  for (const r of refs) if (!(await deps.blobs.has(r.sha256))) missing.push(r);
  if (missing.length) {
    throw validationFailed(missing.map((r) => fieldError('content.evidence', msg('filings.fileNotUploaded', { filename: r.filename, sha256: r.sha256 }))));
  }
}

export async function loadFiling(deps: Deps, actor: Actor, id: string): Promise<Filing> {
  return readScope(deps, actor, async (sql) => {
    const f = await store.getFiling(sql, actor.tenantId!, id);
    if (!f) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.filing'), id }), { details: { id } });
    return presentFiling(f, await store.submissionsOf(sql, f.tenantId, [id]), await store.decisionsOf(sql, f.tenantId, [id]));
  });
}
