import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export type LoadResult = { rps: number; p50: number; p99: number; errors: number; non2xx: number };

/** Drives a URL with autocannon in a separate process, so the generator does not share the server's event loop. */
export function load(url: string, opts: { headers?: Record<string, string>; connections?: number; seconds?: number; pipelining?: number } = {}): Promise<LoadResult> {
  const args = [autocannonBin, '--json', '-c', String(opts.connections ?? 20), '-d', String(opts.seconds ?? 5), '-p', String(opts.pipelining ?? 1)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const r = JSON.parse(out);
        resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx });
      } catch (e) {
        reject(new Error(`autocannon exited ${code}: ${out.slice(0, 200)}`));
      }
    });
  });
}
