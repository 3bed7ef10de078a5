// The shape every file-taking CLI command shares: stream a file, with a progress bar, either to a use
// case straight on the database (--tenant) or to a running server's route (--url, --token); print the
// answer as JSON and exit 1 on a refusal.
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { Actor } from './platform/audit.ts';
import { AppError } from './platform/errors.ts';
import type { Deps } from './platform/usecase.ts';

export type SendTarget = { tenant?: string; url?: string; token?: string };

/** Adds --tenant, --url and --token to a command. */
export function withSendTarget(c: Command): Command {
  return c.option('--tenant <id>', 'tenant to write into (direct database access)')
    .option('--url <url>', 'a running icvgate server (then --token)')
    .option('--token <token>', 'API token of the tenant (with --url); or ICVGATE_TOKEN');
}

export async function sendFile(program: Command, ctx: CliContext, file: string, o: SendTarget,
  http: { path: string; type: string; headers?: Record<string, string> },
  direct: (deps: Deps, actor: Actor, body: AsyncIterable<Buffer>) => Promise<unknown>): Promise<void> {
  const bar = ctx.progress(`sending ${file}`, statSync(file).size);
  let read = 0;
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  // Counts bytes as the consumer pulls them (a 'data' listener would start the flow before the database is open).
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
