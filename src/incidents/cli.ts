// `icvgate incidents events FILE` and `icvgate incidents import-sgo FILE`: the same use cases as
// POST /api/v1/incidents/events and /api/v1/incidents/import, straight into the database (--tenant)
// or through a running server (--url, --token), with a progress bar on stderr.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import type { Actor } from '../platform/audit.ts';
import { AppError } from '../platform/errors.ts';
import { importSgo } from './import-sgo.ts';
import { intakeEvents } from './intake-events.ts';

type Target = { tenant?: string; url?: string; token?: string };

function withTarget(c: Command): Command {
  return c.option('--tenant <id>', 'tenant to write into (direct database access)')
    .option('--url <url>', 'a running icvgate server (then --token)')
    .option('--token <token>', 'API token of the tenant (with --url); or ICVGATE_TOKEN');
}

/** Streams a file to a use case or to a server route; prints the answer as JSON, exit 1 on a refusal. */
async function send(program: Command, ctx: CliContext, file: string, o: Target, http: { path: string; type: string; headers?: Record<string, string> },
  direct: (deps: Parameters<Parameters<CliContext['withDeps']>[0]>[0], actor: Actor, body: AsyncIterable<Buffer>) => Promise<unknown>): Promise<void> {
  const bar = ctx.progress(`sending ${file}`, statSync(file).size);
  let read = 0;
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  async function* counted() { for await (const c of raw) { read += c.length; bar.update(read); yield c as Buffer; } }
  try {
    let report: unknown;
    if (o.url) {
      const token = o.token ?? process.env.ICVGATE_TOKEN;
      if (!token) throw new Error('--url needs --token (or ICVGATE_TOKEN)');
      const res = await fetch(new URL(http.path, o.url), {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': http.type, ...http.headers },
        body: Readable.toWeb(Readable.from(counted())) as any, duplex: 'half',
      } as RequestInit);
      report = await res.json();
      if (!res.ok) process.exitCode = 1;
    } else {
      if (!o.tenant) throw new Error('give --tenant <id> (direct database access) or --url and --token (through a running server)');
      const actor: Actor = { type: 'operator', id: 'cli', name: 'icvgate CLI', tenantId: o.tenant, role: 'operator' };
      report = await ctx.withDeps((deps) => direct(deps, actor, counted()), { data: program.opts().data });
    }
    bar.stop();
    console.log(JSON.stringify(report, null, 2));
  } catch (e) {
    bar.stop();
    if (!(e instanceof AppError)) throw e;
    console.log(JSON.stringify({ code: e.code, detail: e.message, errors: e.errors, ...e.details }, null, 2));
    process.exitCode = 1;
  }
}

export function incidentsCli(program: Command, ctx: CliContext) {
  const incidents = program.command('incidents').description('CDAS events, accidents and external reports');
  withTarget(incidents.command('events')
    .description('send telematics events (NDJSON, one event per line): nothing is written if a line is bad, a re-sent event adds nothing')
    .argument('<file>', 'the NDJSON file')
    .option('--idempotency-key <key>', 'the batch\'s Idempotency-Key: sending the same file again under it replays the first answer'))
    .action((file: string, o: Target & { idempotencyKey?: string }) => send(program, ctx, file, o,
      { path: '/api/v1/incidents/events', type: 'application/x-ndjson', headers: o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {} },
      (deps, actor, body) => intakeEvents(deps, actor, { body, ndjson: true, idempotencyKey: o.idempotencyKey })));
  withTarget(incidents.command('import-sgo')
    .description('import an NHTSA Standing General Order incident report file (CSV, 2021-01 layout): every row imported or rejected with its reason, version chains per Report ID')
    .argument('<file>', 'the SGO CSV file')
    .option('--aware-at <instant>', 'when the manufacturer became aware (ISO 8601 with offset); default: the time of import'))
    .action((file: string, o: Target & { awareAt?: string }) => {
      if (o.awareAt !== undefined && !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(o.awareAt)) {
        throw new Error('--aware-at must be an ISO 8601 instant with an offset, e.g. 2026-05-10T09:00:00+08:00');
      }
      return send(program, ctx, file, o,
      { path: `/api/v1/incidents/import?format=nhtsa-sgo${o.awareAt ? `&awareAt=${encodeURIComponent(o.awareAt)}` : ''}`, type: 'text/csv' },
        (deps, actor, body) => importSgo(deps, actor, { body, awareAt: o.awareAt }));
    });
}
