// VIN (GB 16735 / ISO 3779): 17 characters, no I, O or Q. Position 9 is a check digit in China as in
// North America: letters are transliterated, multiplied by position weights, summed mod 11 (10 -> X).
import { failure, msg } from '../platform/messages.ts';
import { manufacturerOf } from './wmi.ts';

const VALUE: Record<string, number> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
};
for (let d = 0; d <= 9; d++) VALUE[String(d)] = d;
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

export type VinCheck =
  | { ok: true; vin: string; warnings: string[]; manufacturer?: string }
  | { ok: false; reason: string };

/** Each character code's value in the check sum, or -1 where the character is not allowed (I, O, Q, lower case...). */
const CODE_VALUE = new Int8Array(128).fill(-1);
for (const [c, v] of Object.entries(VALUE)) CODE_VALUE[c.charCodeAt(0)] = v;

/** The expected check character (position 9) of a 17-character VIN of allowed characters. */
export function vinCheckCharacter(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CODE_VALUE[vin.charCodeAt(i)] * WEIGHTS[i];
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/**
 * Whether a string is a valid VIN as it stands (17 allowed upper-case characters, check digit right):
 * checkVin's answer without its normalising, messages and manufacturer, for bulk intake's million
 * VINs. When false, checkVin says why.
 */
export function isValidVin(vin: string): boolean {
  if (vin.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const code = vin.charCodeAt(i);
    if (code >= 128 || CODE_VALUE[code] < 0) return false;
  }
  return vin[8] === vinCheckCharacter(vin);
}

/** Validates a VIN; lower case is accepted and normalised to upper case. */
export function checkVin(input: string): VinCheck {
  const vin = input.trim().toUpperCase();
  if (vin.length !== 17) return failure(msg('id.vinLength', { length: vin.length }));
  for (let i = 0; i < 17; i++) {
    const c = vin[i];
    if (c === 'I' || c === 'O' || c === 'Q') return failure(msg('id.vinIoq', { position: i + 1, char: c }));
    if (VALUE[c] === undefined) return failure(msg('id.charNotAllowed', { position: i + 1, char: input.trim()[i] }));
  }
  const expected = vinCheckCharacter(vin);
  if (vin[8] !== expected) return failure(msg('id.vinCheck', { actual: vin[8], expected }));
  const manufacturer = manufacturerOf(vin);
  const warnings = manufacturer ? [] : [`unknown WMI '${vin.slice(0, 3)}'`];
  return { ok: true, vin, warnings, manufacturer };
}
