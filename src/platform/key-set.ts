/**
 * A set of 16-byte keys (UUIDs, MD5 digests) in flat typed arrays: for the million keys of one bulk
 * batch it takes about 40 MB and no garbage, where a Set of strings takes several times that and
 * keeps the collector busy. Keys are expected to be uniformly distributed (digests): the first
 * 32-bit word is the hash.
 */
export class KeySet {
  private words: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  size = 0;

  constructor(expected = 1024) {
    let capacity = 1024;
    while (capacity < expected * 2) capacity *= 2;
    this.words = new Uint32Array(capacity * 4);
    this.used = new Uint8Array(capacity);
    this.mask = capacity - 1;
  }

  /**
   * Adds the key of `keys` (words, 4 per key) at index `k`; false if it was there already. The
   * words are read in the platform's byte order, the same for every key, so equality is exact.
   */
  add(keys: Uint32Array, k: number): boolean {
    const a = keys[k * 4], b = keys[k * 4 + 1], c = keys[k * 4 + 2], d = keys[k * 4 + 3];
    let slot = a & this.mask;
    for (;;) {
      if (!this.used[slot]) break;
      const w = slot * 4;
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return false;
      slot = (slot + 1) & this.mask;
    }
    const w = slot * 4;
    this.words[w] = a; this.words[w + 1] = b; this.words[w + 2] = c; this.words[w + 3] = d;
    this.used[slot] = 1;
    if (++this.size * 2 > this.used.length) this.grow();
    return true;
  }

  has(keys: Uint32Array, k: number): boolean {
    const a = keys[k * 4], b = keys[k * 4 + 1], c = keys[k * 4 + 2], d = keys[k * 4 + 3];
    for (let slot = a & this.mask; this.used[slot]; slot = (slot + 1) & this.mask) {
      const w = slot * 4;
      if (this.words[w] === a && this.words[w + 1] === b && this.words[w + 2] === c && this.words[w + 3] === d) return true;
    }
    return false;
  }

  private grow(): void {
    const { words, used } = this;
    this.words = new Uint32Array(words.length * 2);
    this.used = new Uint8Array(used.length * 2);
    this.mask = this.used.length - 1;
    this.size = 0;
    for (let s = 0; s < used.length; s++) if (used[s]) this.add(words, s);
  }
}

/** 16-byte keys laid out back to back, seen as 32-bit words (copied if the bytes are not 4-aligned). */
export function keyWords(bytes: Uint8Array): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(bytes.slice().buffer);
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));
/** The 16 bytes at `at` as a UUID in its usual text form. */
export function uuidAt(bytes: Uint8Array, at: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    s += HEX[bytes[at + i]];
  }
  return s;
}
