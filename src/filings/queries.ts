import type { Actor } from '../platform/audit.ts';
import { sha256Hex } from '../platform/canonical.ts';
import { AppError, msg } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { blobEvidence } from './evidence-reader.ts';
import type { ListQuery } from './model.ts';
import { buildPackage, verifyPackage, type BuiltPackage, type PackageCheck } from './package.ts';
import { presentFiling } from './present.ts';
import * as store from './store.ts';

export { loadFiling as getFiling } from './create-filing.ts';

export async function listFilings(deps: Deps, actor: Actor, q: ListQuery) {
  return readScope(deps, actor, async (sql) => {
    const { items, total } = await store.listFilings(sql, actor.tenantId!, q);
    const ids = items.map((f) => f.id);
    const subs = await store.submissionsOf(sql, actor.tenantId!, ids);
    const decs = await store.decisionsOf(sql, actor.tenantId!, ids);
    return { items: items.map((f) => { const { manifest: _m, ...rest } = presentFiling(f, subs, decs); return rest; }), total };
  });
}

/**
 * Rebuilds the package of a stored filing and checks it against the recorded hash: the download is the
 * package that was recorded, or an integrity error, never a silently different file.
 */
export async function rebuildRecorded(deps: Deps, f: store.FilingRow): Promise<BuiltPackage> {
  const hit = recent.get(f.packageSha256);
  if (hit) return hit;
  const pkg = await buildPackage(f.document, blobEvidence(deps));
  if (pkg.sha256 !== f.packageSha256) {
    throw new AppError('integrity_error', msg('filings.rebuiltMismatch', { id: f.id, actual: pkg.sha256, recorded: f.packageSha256 }),
      { details: { filingId: f.id, recorded: f.packageSha256, rebuilt: pkg.sha256 } });
  }
  remember(pkg);
  return pkg;
}

// The last few rebuilt packages, by their (verified) hash: a PDF preview and a zip download of the same
// filing then cost one rebuild. Bounded by count and bytes; the recorded hash keys it, so it cannot go stale.
const recent = new Map<string, BuiltPackage>();
const RECENT_MAX = 8, RECENT_BYTES = 64 * 1024 * 1024;
function remember(pkg: BuiltPackage) {
  if (pkg.zip.length > RECENT_BYTES / 2) return;
  recent.delete(pkg.sha256);
  recent.set(pkg.sha256, pkg);
  let bytes = [...recent.values()].reduce((n, p) => n + p.zip.length + p.pdf.length, 0);
  for (const [k, p] of recent) {
    if (recent.size <= RECENT_MAX && bytes <= RECENT_BYTES) break;
    recent.delete(k);
    bytes -= p.zip.length + p.pdf.length;
  }
}

export async function filingPackage(deps: Deps, actor: Actor, id: string): Promise<{ filing: store.FilingRow; pkg: BuiltPackage }> {
  const f = await readScope(deps, actor, (sql) => store.getFiling(sql, actor.tenantId!, id));
  if (!f) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.filing'), id }), { details: { id } });
  return { filing: f, pkg: await rebuildRecorded(deps, f) };
}

/** Checks an uploaded package zip against its manifest, and against the recorded hash when it names a filing we can see. */
export function checkUploadedPackage(zip: Buffer, recorded?: { packageSha256: string }): PackageCheck & { packageSha256: string; recordedPackageSha256?: string } {
  const check = verifyPackage(zip);
  const packageSha256 = sha256Hex(zip);
  if (!recorded) return { ...check, packageSha256 };
  return { ...check, ok: check.ok && packageSha256 === recorded.packageSha256, packageSha256, recordedPackageSha256: recorded.packageSha256 };
}
