/**
 * A 32-bit hash of a string's UTF-16 code units (FNV-1a with a final avalanche), stored next to
 * every dictionary value in the workspace's segments. With the hashes at hand, appending rows to
 * a loaded table and checking event IDs compare integers instead of hashing every stored string
 * again (V8 does not keep a string's hash across loads, and hashing a million sliced strings takes
 * a second or more).
 */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Hashes of `values[from..]`. */
export function hashAll(values: readonly string[], from = 0): Uint32Array {
  const out = new Uint32Array(values.length - from);
  for (let i = from; i < values.length; i++) out[i - from] = hashString(values[i]);
  return out;
}

/**
 * A set of strings given with their hashes: open addressing over indexes into `values`. Used for
 * the stored event IDs (built from the AwsEventId dictionary and its stored hashes).
 */
export class HashedStringSet {
  private readonly values: string[] = [];
  /** Hash of values[k], as int32. */
  private hashes = new Int32Array(1024);
  private slots: Int32Array;
  private mask: number;
  constructor(values: readonly string[] = [], hashes?: Uint32Array) {
    let cap = 1024;
    while (cap < values.length * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.hashes = new Int32Array(Math.max(1024, values.length));
    for (let i = 0; i < values.length; i++) this.addHashed(values[i], hashes === undefined ? hashString(values[i]) : hashes[i]);
  }
  get size(): number {
    return this.values.length;
  }
  has(s: string): boolean {
    const h = hashString(s) | 0;
    const { slots, mask, values, hashes } = this;
    let i = h & mask;
    for (;;) {
      const k = slots[i];
      if (k < 0) return false;
      if (hashes[k] === h && values[k] === s) return true;
      i = (i + 1) & mask;
    }
  }
  add(s: string): boolean {
    return this.addHashed(s, hashString(s));
  }
  private addHashed(s: string, hash: number): boolean {
    const h = hash | 0;
    if ((this.values.length + 1) * 2 > this.slots.length) this.grow();
    const { slots, mask, values, hashes } = this;
    let i = h & mask;
    for (;;) {
      const k = slots[i];
      if (k < 0) break;
      if (hashes[k] === h && values[k] === s) return false;
      i = (i + 1) & mask;
    }
    const k = values.length;
    if (k === this.hashes.length) {
      const more = new Int32Array(k * 2);
      more.set(this.hashes);
      this.hashes = more;
    }
    this.hashes[k] = h;
    slots[i] = k;
    values.push(s);
    return true;
  }
  private grow(): void {
    const cap = this.slots.length * 2;
    const slots = new Int32Array(cap).fill(-1);
    const mask = cap - 1;
    const { hashes } = this;
    for (let k = 0; k < this.values.length; k++) {
      let i = hashes[k] & mask;
      while (slots[i] >= 0) i = (i + 1) & mask;
      slots[i] = k;
    }
    this.slots = slots;
    this.mask = mask;
  }
}
