import type { Readable } from 'node:stream';
import type { Actor } from '../platform/audit.ts';
import { AppError, conflict, fieldError, msg, validationFailed, zodFieldErrors, type FieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { readScope, unitOfWork, type Deps } from '../platform/usecase.ts';
import { tenantOf } from '../products/sets.ts';
import { ALLOWED_TYPES, EvidenceMeta, type Evidence } from './model.ts';
import { checkLinkTarget, linkInTx } from './link-evidence.ts';
import * as store from './store.ts';

export type UploadResult = { evidence: Evidence; created: boolean; linked: string[] };

/** Parses upload metadata; every bad field is named. */
const BY_EXTENSION: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', zip: 'application/zip', ofd: 'application/ofd' };

export function parseMeta(raw: Record<string, unknown>) {
  // A generic type (browsers send OFD files that way) is read from the file name's extension.
  if ((raw.contentType === 'application/octet-stream' || !raw.contentType) && typeof raw.filename === 'string') {
    const ext = /\.([a-z0-9]+)$/i.exec(raw.filename)?.[1]?.toLowerCase();
    if (ext && BY_EXTENSION[ext]) raw = { ...raw, contentType: BY_EXTENSION[ext] };
  }
  const r = EvidenceMeta.safeParse(raw, { reportInput: true });
  if (!r.success) throw validationFailed(zodFieldErrors(r.error.issues), msg('evidence.metaInvalid'));
  return r.data;
}

const same = (a: Evidence, m: ReturnType<typeof parseMeta>) =>
  a.title === m.title && a.lab === m.lab && a.reportNo === m.reportNo && a.issuedOn === m.issuedOn && a.validUntil === (m.validUntil ?? null);

/**
 * Stores a verification report: the bytes go to the blob store first (checked against size, type and an
 * optional declared hash; a refused or interrupted upload keeps nothing), then the record and its links
 * in one transaction. Re-sending the same file with the same metadata changes nothing.
 */
export async function uploadEvidence(deps: Deps, actor: Actor, body: Readable | Buffer, rawMeta: Record<string, unknown>, opts: { expectSha256?: string } = {}): Promise<UploadResult> {
  const tenantId = tenantOf(actor);
  const meta = parseMeta(rawMeta);
  if (meta.productId && meta.keys?.length) {
    await readScope(deps, actor, (sql) => checkLinkTarget(sql, tenantId, meta.productId!, meta.version ?? 'draft', meta.keys!, true));
  }
  const magic = ALLOWED_TYPES[meta.contentType].magic;
  const blob = await deps.blobs.put(body, {
    maxBytes: deps.config.uploadLimit,
    expectSha256: opts.expectSha256,
    check: (head) => {
      if (magic && !magic.every((b, i) => head[i] === b)) {
        throw validationFailed([fieldError('contentType', msg('evidence.contentNot', { label: ALLOWED_TYPES[meta.contentType].label }))], msg('evidence.typeMismatch'));
      }
    },
  }).catch((e) => {
    if (e instanceof AppError || Buffer.isBuffer(body) || !(body.errored || body.readableAborted || body.destroyed)) throw e;
    // The request stream failed (client gone, connection reset): the store kept nothing.
    throw new AppError('bad_request', msg('evidence.interrupted', { reason: (e as Error).message }));
  });
  if (blob.size === 0) throw validationFailed([fieldError('body', msg('evidence.fileEmpty'))]);
  return unitOfWork(deps, actor, async (u) => {
    let evidence = await store.insertEvidence(u.sql, u.tenantId, {
      id: newId('evd', u.now.getTime()), sha256: blob.sha256, size: blob.size, contentType: meta.contentType, filename: meta.filename ?? null,
      title: meta.title, lab: meta.lab, reportNo: meta.reportNo, issuedOn: meta.issuedOn, validUntil: meta.validUntil ?? null, uploadedBy: actor.name,
    }, u.now);
    let created = true;
    if (!evidence) {
      created = false;
      evidence = (await store.getBySha(u.sql, u.tenantId, blob.sha256))!;
      if (!same(evidence, meta)) {
        throw conflict(msg('evidence.uploadedBefore', { title: evidence.title, reportNo: evidence.reportNo }), { sha256: blob.sha256, existing: evidence });
      }
    } else {
      await u.audit({ action: 'evidence.uploaded', subjectType: 'evidence', subjectId: evidence.id, after: evidence, data: { sha256: blob.sha256, size: blob.size } });
    }
    const linked = meta.productId && meta.keys?.length
      ? await linkInTx(u, meta.productId, meta.version ?? 'draft', evidence, meta.keys)
      : [];
    return { evidence, created, linked };
  });
}

export async function listEvidence(deps: Deps, actor: Actor): Promise<Evidence[]> {
  return readScope(deps, actor, (sql) => store.listEvidence(sql, tenantOf(actor)));
}

/** The record and a hash-checked stream of the file; a changed blob is an integrity error, never served. */
export async function downloadEvidence(deps: Deps, actor: Actor, sha256: string): Promise<{ evidence: Evidence; stream: Readable }> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw validationFailed([fieldError('sha256', msg('evidence.sha256Format'))]);
  const evidence = await readScope(deps, actor, (sql) => store.getBySha(sql, tenantOf(actor), sha256));
  if (!evidence) throw new AppError('not_found', msg('platform.notFound', { what: msg('entity.evidence'), id: sha256 }), { details: { sha256 } });
  const check = await deps.blobs.verify(sha256);
  if (!check.ok) {
    deps.log.error({ sha256, actual: check.actual }, 'evidence blob failed its hash check');
    throw new AppError('integrity_error', check.actual
      ? msg('evidence.storedChanged', { sha256, actual: check.actual })
      : msg('evidence.storedMissing', { sha256 }), { details: { sha256, actual: check.actual ?? null } });
  }
  return { evidence, stream: await deps.blobs.get(sha256) };
}
