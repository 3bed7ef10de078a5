import cliProgress from 'cli-progress';
import { loadConfig, type Config } from './config.ts';
import { makeDeps, openDatabase } from './app.ts';
import { migrate } from './platform/migrate.ts';
import type { Deps } from './platform/usecase.ts';

export type CliContext = {
  /** Opens the configured database (migrated), runs fn, closes. Fails clearly if a server holds PGlite. */
  withDeps<T>(fn: (deps: Deps) => Promise<T>, opts?: { data?: string }): Promise<T>;
  /** A progress bar on stderr, silent without a TTY. */
  progress(label: string, total: number): { update(n: number): void; stop(): void };
  config(opts?: { data?: string }): Config;
};

export const cliContext: CliContext = {
  config: (opts = {}) => loadConfig(process.env, opts.data ? { dataDir: opts.data } : {}),
  async withDeps(fn, opts = {}) {
    const config = cliContext.config(opts);
    const { db, release } = await openDatabase(config);
    try {
      await migrate(db);
      return await fn(await makeDeps(db, config));
    } finally {
      await db.close();
      release();
    }
  },
  progress(label, total) {
    if (!process.stderr.isTTY) return { update() {}, stop() {} };
    const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% {value}/{total} {eta_buffer}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
    bar.start(total, 0);
    return { update: (n) => bar.update(n), stop: () => bar.stop() };
  },
};
