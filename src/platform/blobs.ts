import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError, fieldError, msg } from './errors.ts';

export type PutOptions = {
  /** Refuse (413) and keep nothing when the content is larger. */
  maxBytes?: number;
  /** Refuse (422) and keep nothing when the content does not hash to this value. */
  expectSha256?: string;
  /** Inspects the first bytes before the blob is kept (e.g. a file-type check); throwing refuses it and keeps nothing. */
  check?: (head: Buffer) => void;
};

export type BlobInfo = { sha256: string; size: number };

/**
 * Content-addressed storage. A directory by default; an S3-compatible store implements the same
 * four methods (put: upload under a temporary key, then copy to the hash key; get: verify on read).
 */
export interface BlobStore {
  put(data: Readable | Buffer | Uint8Array, opts?: PutOptions): Promise<BlobInfo>;
  /** A stream of the content that fails with `integrity_error` at its end if the bytes no longer hash to `sha256`. */
  get(sha256: string): Promise<Readable>;
  has(sha256: string): Promise<boolean>;
  /** Reads the whole blob and checks its hash without returning it. */
  verify(sha256: string): Promise<{ ok: boolean; actual?: string; size?: number }>;
}

const HEX64 = /^[0-9a-f]{64}$/;

export function isSha256(s: string): boolean {
  return HEX64.test(s);
}

/** Hashes and counts bytes as they pass; fails as soon as the size limit is crossed. */
class Hasher extends Transform {
  readonly hash = createHash('sha256');
  size = 0;
  head = Buffer.alloc(0);
  constructor(private readonly maxBytes?: number) { super(); }
  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.size += chunk.length;
    if (this.head.length < 16) this.head = Buffer.concat([this.head, chunk.subarray(0, 16 - this.head.length)]);
    if (this.maxBytes !== undefined && this.size > this.maxBytes) {
      cb(new AppError('payload_too_large', msg('platform.contentTooLarge', { limit: this.maxBytes }), { details: { maxBytes: this.maxBytes } }));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
}

/** Passes bytes through, holding back the last chunk until the hash is checked, so corrupt content never ends cleanly. */
class Verifier extends Transform {
  private readonly hash = createHash('sha256');
  private held: Buffer | null = null;
  constructor(private readonly expected: string) { super(); }
  _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
    this.hash.update(chunk);
    const prev = this.held;
    this.held = chunk;
    cb(null, prev ?? undefined);
  }
  _flush(cb: TransformCallback) {
    const actual = this.hash.digest('hex');
    if (actual !== this.expected) {
      cb(new AppError('integrity_error', msg('platform.blobCorrupt', { sha256: this.expected, actual }), { details: { sha256: this.expected, actual } }));
      return;
    }
    if (this.held) this.push(this.held);
    cb();
  }
}

export class DirectoryBlobStore implements BlobStore {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    if (!isSha256(sha256)) throw new AppError('bad_request', msg('platform.notSha256', { sha256 }));
    return join(this.root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(data: Readable | Buffer | Uint8Array, opts: PutOptions = {}): Promise<BlobInfo> {
    const source = Buffer.isBuffer(data) || data instanceof Uint8Array ? Readable.from([Buffer.from(data)]) : data;
    source.on('error', () => {}); // an early failure is still seen by pipeline below, not as an uncaught event
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hasher = new Hasher(opts.maxBytes);
    try {
      await pipeline(source, hasher, createWriteStream(tmp, { flags: 'wx' }));
      const sha256 = hasher.hash.digest('hex');
      if (opts.expectSha256 && opts.expectSha256.toLowerCase() !== sha256) {
        throw new AppError('validation_failed', msg('platform.hashMismatch', { sha256, declared: opts.expectSha256 }), {
          errors: [fieldError('sha256', msg('platform.contentHashesTo', { sha256 }))],
        });
      }
      opts.check?.(hasher.head);
      const target = this.pathOf(sha256);
      if (await exists(target)) {
        await unlink(tmp); // same content already stored
      } else {
        await mkdir(join(this.root, sha256.slice(0, 2), sha256.slice(2, 4)), { recursive: true });
        await rename(tmp, target); // atomic: a reader sees all of the blob or none of it
      }
      return { sha256, size: hasher.size };
    } catch (e) {
      await rm(tmp, { force: true });
      if (!(Buffer.isBuffer(data) || data instanceof Uint8Array)) (data as Readable).resume?.(); // drain what is left of a refused upload
      throw e;
    }
  }

  async get(sha256: string): Promise<Readable> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) throw new AppError('not_found', msg('platform.blobNotFound', { sha256 }), { details: { sha256 } });
    const verifier = new Verifier(sha256);
    const file = createReadStream(path);
    file.on('error', (e) => verifier.destroy(e));
    return file.pipe(verifier);
  }

  async has(sha256: string): Promise<boolean> {
    return isSha256(sha256) && exists(this.pathOf(sha256));
  }

  async verify(sha256: string): Promise<{ ok: boolean; actual?: string; size?: number }> {
    const path = this.pathOf(sha256);
    if (!(await exists(path))) return { ok: false };
    const hasher = new Hasher();
    await pipeline(createReadStream(path), hasher, new Writable({ write(_c, _e, cb) { cb(); } }));
    const actual = hasher.hash.digest('hex');
    return { ok: actual === sha256, actual, size: hasher.size };
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e: any) {
    if (e.code === 'ENOENT') return false;
    throw e;
  }
}
