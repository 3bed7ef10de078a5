import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, msg } from './errors.ts';

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e: any) { return e.code === 'EPERM'; }
}

/**
 * PGlite has no lock on its data directory and two processes corrupt it, so the first process
 * takes an O_EXCL pid file; a lock whose holder is dead is taken over, a live one never is.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'icvgate.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return () => { if (!released) { released = true; try { unlinkSync(file); } catch { /* gone already */ } } };
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (holder && holder !== process.pid && alive(holder)) {
        throw new AppError('conflict', msg('platform.dataDirInUse', { dataDir, holder }));
      }
      try { unlinkSync(file); } catch { /* raced with another taker */ }
    }
  }
  throw new AppError('conflict', msg('platform.dataDirLock', { dataDir }));
}
