// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters, the last a check
// character over the first 17 with weights 3^i mod 31 over the alphabet below.
import { failure, msg } from '../platform/messages.ts';

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccCheck = { ok: true } | { ok: false; reason: string };

/** Completes 17 characters with their check character (for fixtures and demos). */
export function withUsccCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += ALPHABET.indexOf(first17[i]) * WEIGHTS[i];
  return first17 + ALPHABET[(31 - (sum % 31)) % 31];
}

export function checkUscc(code: string): UsccCheck {
  if (code.length !== 18) return failure(msg('id.usccLength', { length: code.length }));
  const up = code.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(up[i]);
    if (v < 0) return failure(msg('id.charNotAllowed', { position: i + 1, char: code[i] }));
    sum += v * WEIGHTS[i];
  }
  const expected = ALPHABET[(31 - (sum % 31)) % 31];
  if (ALPHABET.indexOf(up[17]) < 0) return failure(msg('id.charNotAllowed', { position: 18, char: code[17] }));
  if (up[17] !== expected) return failure(msg('id.usccCheck', { actual: up[17], expected }));
  return { ok: true };
}
