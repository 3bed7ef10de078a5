/**
 * The synthetic telematics events of the intake bench (bench/incident-intake.bench.ts), also used by
 * tests that must hold for exactly those lines: 40 failure signatures, 50,000 vehicles, 60 days, one
 * collision in 2,000. Deterministic, so a re-sent batch is byte-identical.
 */
import { vinCheckCharacter } from '../identifiers/vin.ts';

export const SYNTHETIC_NOW = new Date('2026-11-20T02:00:00Z');
const FAULTS = Array.from({ length: 40 }, (_, i) => `C1${String(100 + i)}`);
const VERSIONS = ['4.1.0', '4.2.0', '4.2.1', '5.0.0', '5.0.1'];
const FUNCTIONS = ['ACC', 'LCC', 'NOA', 'APA', 'AEB'];
const TYPES = ['cdas_failure', 'boundary_exit', 'deactivation', 'lockout'] as const;

function vin(n: number): string {
  const v = `LSVAU2180N2${String(n).padStart(6, '0')}`;
  return v.slice(0, 8) + vinCheckCharacter(v) + v.slice(9);
}

/** Event n of the data set as one NDJSON line (without the newline). */
export function syntheticEventLine(n: number): string {
  const collision = n % 2000 === 0;
  const occurred = new Date(SYNTHETIC_NOW.getTime() - (1 + (n % 60) * 86_400_000 + (n % 86_400) * 1000));
  const e: Record<string, unknown> = {
    eventId: `tel-${n}`, type: collision ? 'collision' : TYPES[n % 4], vin: vin(n % 50_000), occurredAt: occurred.toISOString(),
    awareAt: new Date(occurred.getTime() + 60_000).toISOString(),
    cdas: { function: FUNCTIONS[n % 5], engagement: 'verified_engaged', secondsBeforeImpact: collision ? 1.5 : null },
    software: [{ ecu: 'ADCU', version: VERSIONS[n % 5] }], location: { province: '广东省', city: '深圳市' },
  };
  if (!collision) e.faultCode = FAULTS[n % 40];
  else e.severity = { airbag: true };
  return JSON.stringify(e);
}
