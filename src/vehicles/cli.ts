// `icvgate vehicles import FILE`: streams a VIN list into the registry with a progress bar, either
// straight into the database (--tenant) or through a running server's HTTP API (--url, --token).
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { sendFile, withSendTarget, type SendTarget } from '../cli-send-file.ts';
import { importVehicles } from './import-vehicles.ts';

export function vehiclesCli(program: Command, ctx: CliContext) {
  withSendTarget(program.command('vehicles').description('VIN registry').command('import')
    .description('import a VIN list (CSV with header vin,product,productionDate[,plant], or NDJSON); every bad line is reported, nothing is written unless --skip-invalid')
    .argument('<file>', 'the file (.csv or .ndjson/.jsonl)'))
    .option('--format <format>', 'csv or ndjson (default: from the file extension)')
    .option('--skip-invalid', 'import the good lines and report the bad ones')
    .action(async (file: string, o: SendTarget & { format?: string; skipInvalid?: boolean }) => {
      const format = (o.format ?? (/\.(nd)?jsonl?$|\.ndjson$/i.test(file) ? 'ndjson' : 'csv')) as 'csv' | 'ndjson';
      if (format !== 'csv' && format !== 'ndjson') throw new Error('--format must be csv or ndjson');
      await sendFile(program, ctx, file, o,
        { path: `/api/v1/vehicles/import${o.skipInvalid ? '?skipInvalid=true' : ''}`, type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' },
        (deps, actor, body) => importVehicles(deps, actor, { format, body, skipInvalid: !!o.skipInvalid }));
    });
}
