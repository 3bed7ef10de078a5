#!/usr/bin/env node
// Builds the web UI (web/ -> web/dist) with Vite, but only when it is missing or older than any
// source file under web/ or src/i18n/locales/, so `npm start` builds on a fresh clone and later
// starts are instant. `--force` always builds. Usable as a module: `await buildWeb({ force })`.
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const WEB = join(ROOT, 'web');
const DIST = join(WEB, 'dist');
const STAMP = join(DIST, '.build-stamp');
const SOURCES = [WEB, join(ROOT, 'src/i18n/locales'), join(ROOT, 'package-lock.json')];
// Outside web/: creating it there would change web/'s mtime after the stamp and look like an edit.
const LOCK = join(tmpdir(), `icvgate-web-build-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}.lock`);
const SKIP = new Set([DIST, join(WEB, 'node_modules')]);

/** The newest modification time among the sources, and the file that has it. */
function newestSource() {
  let newest = { mtime: 0, file: '' };
  const visit = (path) => {
    if (SKIP.has(path) || !existsSync(path)) return;
    const st = statSync(path);
    // Directories count too: removing or renaming a file changes only its directory's mtime.
    if (st.mtimeMs > newest.mtime) newest = { mtime: st.mtimeMs, file: path };
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  for (const s of SOURCES) visit(s);
  return newest;
}

/** Why a build is needed, or null when web/dist is current. */
export function staleReason() {
  if (!existsSync(STAMP) || !existsSync(join(DIST, 'index.html'))) return 'web/dist is missing';
  const built = statSync(STAMP).mtimeMs;
  const newest = newestSource();
  return newest.mtime > built ? `${relative(ROOT, newest.file)} changed` : null;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

/** One build at a time (parallel test processes): an O_EXCL lock file; a dead holder's lock is taken over. */
async function withLock(fn) {
  for (;;) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let holder = 0;
      try {
        holder = Number(readFileSync(LOCK, 'utf8').trim() || 0);
      } catch {
        continue; // released meanwhile
      }
      if (holder && !alive(holder)) rmSync(LOCK, { force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { force: true });
  }
}

export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !staleReason()) {
    if (!quiet) console.error('web: web/dist is up to date');
    return { built: false, outDir: DIST };
  }
  return withLock(() => buildLocked({ force, quiet }));
}

async function buildLocked({ force, quiet }) {
  // Re-checked under the lock: another process may just have built it.
  const reason = force ? 'forced' : staleReason();
  if (!reason) {
    if (!quiet) console.error('web: web/dist was just built by another process');
    return { built: false, outDir: DIST };
  }
  if (!quiet) console.error(`web: building (${reason}) …`);
  const started = Date.now();
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn', mode: 'production' });
  // Written last: a build that failed half-way leaves no stamp and is redone next time.
  writeFileSync(STAMP, new Date().toISOString() + '\n');
  if (!quiet) console.error(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { built: true, outDir: DIST };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildWeb({ force: process.argv.includes('--force') }).catch((e) => {
    console.error(`web: build failed: ${e?.message ?? e}`);
    process.exit(1);
  });
}
