import { AppError, msg } from '../platform/errors.ts';
import type { Deps } from '../platform/usecase.ts';
import type { EvidenceReader } from './package.ts';

/** Reads evidence bytes from the blob store; the store's own hash check fails a changed file. */
export function blobEvidence(deps: Deps): EvidenceReader {
  return async (sha256) => {
    if (!deps.blobs) throw new AppError('unavailable', msg('filings.noEvidenceStore'));
    const chunks: Buffer[] = [];
    for await (const c of await deps.blobs.get(sha256)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  };
}
