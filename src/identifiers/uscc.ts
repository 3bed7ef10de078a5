// Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters, the last a check
// character over the first 17 with weights 3^i mod 31 over the alphabet below.
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
  if (code.length !== 18) return { ok: false, reason: `must be 18 characters, got ${code.length}` };
  const up = code.toUpperCase();
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = ALPHABET.indexOf(up[i]);
    if (v < 0) return { ok: false, reason: `character ${i + 1} ('${code[i]}') is not allowed` };
    sum += v * WEIGHTS[i];
  }
  const expected = ALPHABET[(31 - (sum % 31)) % 31];
  if (ALPHABET.indexOf(up[17]) < 0) return { ok: false, reason: `character 18 ('${code[17]}') is not allowed` };
  if (up[17] !== expected) return { ok: false, reason: `check character is '${up[17]}', expected '${expected}'` };
  return { ok: true };
}
