import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError, msg } from '../platform/errors.ts';
import type { App } from '../platform/http.ts';
import type { Deps } from '../platform/usecase.ts';
import { getVehicle } from './get-vehicle.ts';
import { importVehicles } from './import-vehicles.ts';
import { ImportQuery, ImportReport, Vehicle } from './model.ts';

export function importFormat(contentType: string | undefined): 'csv' | 'ndjson' {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct === 'text/csv') return 'csv';
  if (ct === 'application/x-ndjson') return 'ndjson';
  throw new AppError('unsupported_media_type', msg('vehicles.sendCsvOrNdjson', { type: ct || '(none)' }));
}

export async function vehicleRoutes(app: App, deps: Deps) {
  app.post('/api/v1/vehicles/import', {
    schema: {
      tags: ['vehicles'], querystring: ImportQuery,
      description: 'Stream a VIN list as text/csv (header vin,product,productionDate[,plant]) or application/x-ndjson (one {vin, product, productionDate, plant?, software?, swin?} per line). ' +
        'Every bad line is reported (422, the first 1000 listed, errorCount exact) and nothing is written unless skipInvalid=true. Re-importing the same file changes nothing.',
      response: { 200: ImportReport },
    },
    config: { permission: 'vehicles:write' },
  }, async (req) => {
    const format = importFormat(req.headers['content-type']);
    return importVehicles(deps, req.actor, { format, body: req.body as Readable, skipInvalid: req.query.skipInvalid });
  });

  app.get('/api/v1/vehicles/:vin', {
    schema: { tags: ['vehicles'], params: z.object({ vin: z.string().max(40) }), response: { 200: Vehicle } },
    config: { permission: 'vehicles:read' },
  }, async (req) => getVehicle(deps, req.actor, req.params.vin));
}
