import { Command } from 'commander';
import { VERSION, startServer } from './app.ts';
import { cliContext } from './cli-context.ts';
import { bootstrapOperatorToken } from './access/bootstrap.ts';
import { verifyAudit } from './platform/audit.ts';
import { migrate } from './platform/migrate.ts';
import { SLICES } from './slices.ts';

const program = new Command('icvgate')
  .version(VERSION)
  .description('icvgate: ICV parameter registry, OTA release gate, obligations, incidents and filings under the 2025 MIIT/SAMR notice')
  .option('--data <dir>', 'data directory of the embedded database (default ./data, or ICVGATE_DATA); DATABASE_URL chooses a PostgreSQL server instead');

const dataOpt = () => ({ data: program.opts().data as string | undefined });

program.command('serve')
  .description('start the HTTP API and web UI (PORT, default 8080)')
  .option('--demo-if-empty', 'load the demo data when the database has no tenants yet')
  .action(async (o) => {
    const s = await startServer(dataOpt().data ? { dataDir: dataOpt().data } : {});
    if (o.demoIfEmpty) await loadDemoIfEmpty(s.deps);
    const token = await bootstrapOperatorToken(s.deps);
    if (token) process.stderr.write(`\nA fresh system: the operator token is shown once, keep it:\n  ${token}\n\n`);
    s.deps.log.info({ url: s.url, database: s.deps.db.kind, version: VERSION }, 'icvgate is listening');
    process.stderr.write(`icvgate ${VERSION} on http://localhost:${new URL(s.url).port} (database: ${s.deps.db.kind === 'pglite' ? s.config.dataDir : 'PostgreSQL'})\n`);
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      s.deps.log.info({ signal }, 'shutting down');
      await s.close();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  });

program.command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    await cliContext.withDeps(async (deps) => {
      const { applied } = await migrate(deps.db);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
    }, dataOpt());
  });

program.command('init')
  .description('prepare a fresh system: migrate and print a one-time operator token')
  .action(async () => {
    await cliContext.withDeps(async (deps) => {
      const token = await bootstrapOperatorToken(deps);
      if (token) console.log(`operator token (shown once): ${token}`);
      else console.log('already initialised: an operator token exists (use ICVGATE_BOOTSTRAP_TOKEN to recover access)');
    }, dataOpt());
  });

program.command('audit')
  .description('audit log tools')
  .command('verify')
  .description('walk every tenant\'s hash chain and name the first broken entry')
  .option('--tenant <id>', 'only this tenant')
  .action(async (o) => {
    const ok = await cliContext.withDeps(async (deps) => {
      const total = (await deps.db.one<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).n;
      const bar = cliContext.progress('verifying', total);
      const r = await deps.db.tx('operator', (sql) => verifyAudit(sql, o.tenant, (n) => bar.update(n)));
      bar.stop();
      console.log(JSON.stringify(r, null, 2));
      return r.ok;
    }, dataOpt());
    process.exitCode = ok ? 0 : 1;
  });

program.command('demo')
  .description('fill the database with a realistic demo (domestic and overseas manufacturer, products, campaigns, incidents)')
  .action(async () => {
    await cliContext.withDeps(async (deps) => {
      const { runDemo } = await import('./demo/index.ts');
      const result = await runDemo(deps);
      console.log(JSON.stringify(result, null, 2));
    }, dataOpt());
  });

program.command('bench')
  .description('run the benchmarks under bench/ (all, or those named); BENCH_DATABASE_URL=postgres://… for PostgreSQL')
  .argument('[names...]', 'benchmark names, e.g. http-auth vin-import')
  .action(async (names: string[]) => {
    const { spawnSync } = await import('node:child_process');
    const script = new URL('../scripts/run-bench.mjs', import.meta.url).pathname;
    process.exitCode = spawnSync(process.execPath, [script, ...names], { stdio: 'inherit' }).status ?? 1;
  });

for (const slice of SLICES) slice.cli?.(program, cliContext);

async function loadDemoIfEmpty(deps: import('./platform/usecase.ts').Deps) {
  const n = (await deps.db.tx('operator', (sql) => sql.one<{ n: number }>('SELECT count(*)::int AS n FROM tenants'))).n;
  if (n > 0) return;
  const { runDemo } = await import('./demo/index.ts');
  const result = await runDemo(deps);
  process.stderr.write(`Loaded the demo. Sign in with:\n${JSON.stringify(result, null, 2)}\n`);
}

program.parseAsync(process.argv).catch((e) => {
  process.stderr.write(`icvgate: ${e?.message ?? e}\n`);
  process.exit(typeof e?.code === 'string' && e.code === 'conflict' ? 3 : 1);
});
