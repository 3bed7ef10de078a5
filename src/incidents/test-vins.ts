import { vinCheckCharacter } from '../identifiers/vin.ts';

/** Test fixture helper: puts the right check digit (position 9) into a 17-character VIN. */
export function withVinCheck(vin: string): string {
  return vin.slice(0, 8) + vinCheckCharacter(vin) + vin.slice(9);
}
