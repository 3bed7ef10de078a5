/**
 * Where the CPU of a measured span went: this process (all its threads) and every local PostgreSQL
 * process (from /proc, when the server runs on this machine). On a shared machine these explain a
 * rate better than the wall clock does.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds of each local PostgreSQL process by pid (null when /proc is not there). */
function postgresSeconds(): Map<string, number> | null {
  const out = new Map<string, number>();
  let pids: string[];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return null; }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const f = stat.slice(close + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / TICKS); // utime, stime
    } catch { /* gone meanwhile */ }
  }
  return out.size ? out : null;
}

/** CPU seconds of this process's main thread (null off Linux): what the event loop spent, parser threads aside. */
function mainThreadSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / TICKS;
  } catch { return null; }
}

/** What processes alive at the end used since the start (a process that ended meanwhile is not counted). */
function spent(before: Map<string, number> | null, after: Map<string, number> | null): number | null {
  if (!before || !after) return null;
  let total = 0;
  for (const [pid, s] of after) total += s - (before.get(pid) ?? 0);
  return total;
}

export type CpuSpan = { processSeconds: number; mainThreadSeconds: number | null; postgresSeconds: number | null };

export function cpuSpan(): { stop(): CpuSpan } {
  const cpu = process.cpuUsage();
  const pg = postgresSeconds();
  const main = mainThreadSeconds();
  return {
    stop() {
      const used = process.cpuUsage(cpu);
      const pgNow = postgresSeconds();
      return {
        processSeconds: (used.user + used.system) / 1e6,
        mainThreadSeconds: main === null ? null : mainThreadSeconds()! - main,
        postgresSeconds: spent(pg, pgNow),
      };
    },
  };
}

/** `embedded`: the database runs inside this process (PGlite), so a local server's CPU means nothing. */
export const cpuText = (c: CpuSpan, embedded = false) =>
  `CPU: this process ${c.processSeconds.toFixed(1)} s${c.mainThreadSeconds === null ? '' : ` (main thread ${c.mainThreadSeconds.toFixed(1)} s)`}${embedded ? ' (the embedded database included)'
    : `, PostgreSQL ${c.postgresSeconds === null ? 'not local' : `${c.postgresSeconds.toFixed(1)} s`}`}`;
