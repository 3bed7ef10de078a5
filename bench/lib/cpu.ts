/**
 * Where the CPU of a measured span went: this process (all its threads) and every local PostgreSQL
 * process (from /proc, when the server runs on this machine). On a shared machine these explain a
 * rate better than the wall clock does.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

function postgresSeconds(): number | null {
  let total = 0, found = false;
  let pids: string[];
  try { pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)); } catch { return null; }
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      if (!stat.slice(stat.indexOf('(') + 1, close).startsWith('postgres')) continue;
      const f = stat.slice(close + 2).split(' ');
      total += (Number(f[11]) + Number(f[12])) / TICKS; // utime, stime
      found = true;
    } catch { /* gone meanwhile */ }
  }
  return found ? total : null;
}

export type CpuSpan = { processSeconds: number; postgresSeconds: number | null };

export function cpuSpan(): { stop(): CpuSpan } {
  const cpu = process.cpuUsage();
  const pg = postgresSeconds();
  return {
    stop() {
      const used = process.cpuUsage(cpu);
      const pgNow = postgresSeconds();
      return {
        processSeconds: (used.user + used.system) / 1e6,
        postgresSeconds: pg === null || pgNow === null ? null : pgNow - pg,
      };
    },
  };
}

export const cpuText = (c: CpuSpan) =>
  `CPU: this process ${c.processSeconds.toFixed(1)} s, PostgreSQL ${c.postgresSeconds === null ? 'not local' : `${c.postgresSeconds.toFixed(1)} s`}`;
