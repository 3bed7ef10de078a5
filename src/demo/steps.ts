// The demo as an ordered list of steps. A slice adds its step here (one line) and in its own file.
import type { DemoStep } from './context.ts';
import { productsStep } from './products.ts';
import { incidentsStep } from './incidents.ts';
import { otaStep } from './ota.ts';
import { regulatorsStep } from './regulators.ts';
import { tenantsStep } from './tenants.ts';

export const STEPS: DemoStep[] = [
  tenantsStep,
  productsStep,
  regulatorsStep,
  otaStep,
  incidentsStep,
];
