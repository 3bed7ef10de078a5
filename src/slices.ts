import { accessRoutes } from './access/routes.ts';
import { filingRoutes } from './filings/routes.ts';
import { filingsCli } from './filings/cli.ts';
import type { App } from './platform/http.ts';
import { vehicleRoutes } from './vehicles/routes.ts';
import { vehiclesCli } from './vehicles/cli.ts';
import { incidentsCli } from './incidents/cli.ts';
import { otaRoutes } from './ota/routes.ts';
import { otaCli } from './ota/cli.ts';
import { productRoutes } from './products/routes.ts';
import { catalogCli } from './catalog/cli.ts';
import type { Deps } from './platform/usecase.ts';
import { obligationRoutes } from './obligations/routes.ts';
import { calendarCli } from './obligations/cli.ts';
import { webhookRoutes } from './webhooks/routes.ts';
import { startWebhookBackground } from './webhooks/background.ts';
import { incidentRoutes } from './incidents/routes.ts';
import { warmParsers } from './incidents/intake-parser.ts';
import { onTenantCreated } from './access/index.ts';
import { backfillManufacturerObligations } from './obligations/index.ts';

export type Slice = {
  name: string;
  routes?: (app: App, deps: Deps) => Promise<void>;
  /** Background work (schedulers, delivery); returns a stop function. Not started in tests unless asked. */
  start?: (deps: Deps) => (() => Promise<void>) | Promise<() => Promise<void>>;
  /** Extra `icvgate` sub-commands (e.g. `catalog import`); see src/cli.ts for the context. */
  cli?: (program: import('commander').Command, ctx: import('./cli-context.ts').CliContext) => void;
};

// One line per slice. Order only matters for the OpenAPI document.
export const SLICES: Slice[] = [
  { name: 'access', routes: accessRoutes },
  { name: 'vehicles', routes: vehicleRoutes, cli: vehiclesCli },
  { name: 'ota', routes: otaRoutes, cli: otaCli },
  { name: 'products', routes: productRoutes, cli: catalogCli },
  { name: 'obligations', routes: obligationRoutes, cli: calendarCli },
  { name: 'webhooks', routes: webhookRoutes, start: (deps) => startWebhookBackground(deps) },
  { name: 'incidents', routes: incidentRoutes, cli: incidentsCli, start: (deps) => { if (deps.db.bulkCopy) warmParsers(); return async () => {}; } },
  { name: 'filings', routes: filingRoutes, cli: filingsCli },
];

// A new manufacturer sees the duties that have already fallen due on day one, in the same transaction.
onTenantCreated(async (u) => { await backfillManufacturerObligations(u); });
