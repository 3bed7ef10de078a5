// `icvgate vehicles import FILE`: streams a VIN list into the registry with a progress bar, either
// straight into the database (--tenant) or through a running server's HTTP API (--url, --token).
import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { AppError } from '../platform/errors.ts';
import { importVehicles } from './import-vehicles.ts';

export function vehiclesCli(program: Command, ctx: CliContext) {
  program.command('vehicles').description('VIN registry').command('import')
    .description('import a VIN list (CSV with header vin,product,productionDate[,plant], or NDJSON); every bad line is reported, nothing is written unless --skip-invalid')
    .argument('<file>', 'the file (.csv or .ndjson/.jsonl)')
    .option('--tenant <id>', 'tenant to import into (direct database access)')
    .option('--url <url>', 'a running icvgate server (then --token)')
    .option('--token <token>', 'API token of the tenant (with --url); or ICVGATE_TOKEN')
    .option('--format <format>', 'csv or ndjson (default: from the file extension)')
    .option('--skip-invalid', 'import the good lines and report the bad ones')
    .action(async (file: string, o: { tenant?: string; url?: string; token?: string; format?: string; skipInvalid?: boolean }) => {
      const format = (o.format ?? (/\.(nd)?jsonl?$|\.ndjson$/i.test(file) ? 'ndjson' : 'csv')) as 'csv' | 'ndjson';
      if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
      const size = statSync(file).size;
      const bar = ctx.progress(`importing ${file}`, size);
      let read = 0;
      const raw = createReadStream(file, { highWaterMark: 1 << 16 });
      // Counts bytes as the importer pulls them (a 'data' listener would start the flow before the database is open).
      async function* counted() { for await (const c of raw) { read += c.length; bar.update(read); yield c as Buffer; } }
      const source = Readable.from(counted());
      try {
        let report: unknown;
        if (o.url) {
          const token = o.token ?? process.env.ICVGATE_TOKEN;
          if (!token) throw new Error('--url needs --token (or ICVGATE_TOKEN)');
          const res = await fetch(new URL(`/api/v1/vehicles/import${o.skipInvalid ? '?skipInvalid=true' : ''}`, o.url), {
            method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
            body: Readable.toWeb(source) as any, duplex: 'half',
          } as RequestInit);
          report = await res.json();
          if (!res.ok) process.exitCode = 1;
        } else {
          if (!o.tenant) throw new Error('give --tenant <id> (direct database access) or --url and --token (through a running server)');
          report = await ctx.withDeps((deps) => importVehicles(deps, { type: 'operator', id: 'cli', name: 'icvgate CLI', tenantId: o.tenant!, role: 'operator' },
            { format, body: source, skipInvalid: !!o.skipInvalid }), { data: program.opts().data });
        }
        bar.stop();
        console.log(JSON.stringify(report, null, 2));
      } catch (e) {
        bar.stop();
        if (e instanceof AppError) {
          console.log(JSON.stringify({ code: e.code, detail: e.message, errors: e.errors, ...e.details }, null, 2));
          process.exitCode = 1;
        } else throw e;
      }
    });
}
