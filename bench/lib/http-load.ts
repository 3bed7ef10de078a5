import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./autocannon-child.cjs', import.meta.url));

export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number; requests: number };

export type LoadOptions = {
  headers?: Record<string, string>; connections?: number; seconds?: number; pipelining?: number;
  /**
   * Paths to rotate over (e.g. one per VIN): each connection walks the whole list from its own offset,
   * so concurrent requests differ and no answer repeats back to back. Absent: the URL's own path.
   */
  paths?: string[];
};

/** Drives a URL with autocannon in a separate process, so the generator does not share the server's event loop. */
export function load(url: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const o = { url, connections: opts.connections ?? 20, seconds: opts.seconds ?? 5, pipelining: opts.pipelining ?? 1, headers: opts.headers ?? {}, paths: opts.paths };
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, JSON.stringify(o)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      try {
        const r = JSON.parse(out);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx, requests: r.requests.total });
      } catch {
        reject(new Error(`autocannon exited ${code}: ${(err || out).slice(0, 400)}`));
      }
    });
  });
}
