// The vehicles slice as other slices use it (the OTA gate and rollout): pass `u.sql, u.tenantId`.
export { importVehicles, type ImportInput } from './import-vehicles.ts';
export { getVehicle } from './get-vehicle.ts';
export { recordInstalledSoftware } from './store.ts';
export type { Vehicle, ImportReport } from './model.ts';
