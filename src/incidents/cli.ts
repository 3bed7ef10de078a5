// `icvgate incidents events FILE` and `icvgate incidents import-sgo FILE`: the same use cases as
// POST /api/v1/incidents/events and /api/v1/incidents/import, straight into the database (--tenant)
// or through a running server (--url, --token), with a progress bar on stderr.
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.ts';
import { sendFile, withSendTarget, type SendTarget } from '../cli-send-file.ts';
import { importSgo } from './import-sgo.ts';
import { intakeEvents } from './intake-events.ts';

export function incidentsCli(program: Command, ctx: CliContext) {
  const incidents = program.command('incidents').description('CDAS events, accidents and external reports');
  withSendTarget(incidents.command('events')
    .description('send telematics events (NDJSON, one event per line): nothing is written if a line is bad, a re-sent event adds nothing')
    .argument('<file>', 'the NDJSON file')
    .option('--idempotency-key <key>', 'the batch\'s Idempotency-Key: sending the same file again under it replays the first answer'))
    .action((file: string, o: SendTarget & { idempotencyKey?: string }) => sendFile(program, ctx, file, o,
      { path: '/api/v1/incidents/events', type: 'application/x-ndjson', headers: o.idempotencyKey ? { 'idempotency-key': o.idempotencyKey } : {} },
      (deps, actor, body) => intakeEvents(deps, actor, { body, ndjson: true, idempotencyKey: o.idempotencyKey })));
  withSendTarget(incidents.command('import-sgo')
    .description('import an NHTSA Standing General Order incident report file (CSV, 2021-01 layout): every row imported or rejected with its reason, version chains per Report ID')
    .argument('<file>', 'the SGO CSV file')
    .option('--aware-at <instant>', 'when the manufacturer became aware (ISO 8601 with offset); default: the time of import'))
    .action((file: string, o: SendTarget & { awareAt?: string }) => {
      if (o.awareAt !== undefined && !/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(o.awareAt)) {
        throw new Error('--aware-at must be an ISO 8601 instant with an offset, e.g. 2026-05-10T09:00:00+08:00');
      }
      return sendFile(program, ctx, file, o,
      { path: `/api/v1/incidents/import?format=nhtsa-sgo${o.awareAt ? `&awareAt=${encodeURIComponent(o.awareAt)}` : ''}`, type: 'text/csv' },
        (deps, actor, body) => importSgo(deps, actor, { body, awareAt: o.awareAt }));
    });
}
