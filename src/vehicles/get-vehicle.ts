import type { Actor } from '../platform/audit.ts';
import { notFound } from '../platform/errors.ts';
import { readScope, type Deps } from '../platform/usecase.ts';
import { manufacturerOf } from '../identifiers/wmi.ts';
import type { Vehicle } from './model.ts';
import * as store from './store.ts';

export async function getVehicle(deps: Deps, actor: Actor, vin: string): Promise<Vehicle> {
  const v = vin.trim().toUpperCase();
  const found = await readScope(deps, actor, (sql) => store.getVehicle(sql, actor.tenantId!, v, manufacturerOf));
  if (!found) throw notFound('vehicle', v);
  return found;
}
