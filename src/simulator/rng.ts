/** A seeded pseudo-random source: the same seed gives the same ids and tokens in the same order. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** A random version-4 UUID string. */
  uuid(): string;
  /** A string of `length` characters from `alphabet`. */
  string(length: number, alphabet: string): string;
}

const HEX = "0123456789abcdef";

/** Creates a `SeededRandom` (sfc32, seeded through splitmix32 so small seeds spread well). */
export function createRandom(seed: number): SeededRandom {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  const string = (length: number, alphabet: string): string => {
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    return out;
  };
  return {
    next,
    string,
    uuid(): string {
      const hex = string(32, HEX).split("");
      hex[12] = "4";
      hex[16] = HEX[(Number.parseInt(hex[16] ?? "0", 16) & 0x3) | 0x8] ?? "8";
      const h = hex.join("");
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
  };
}

/**
 * A stable id derived from another UUID and a small number, for sub-objects (check results,
 * activity log entries) that must keep their id however often the parent is rendered.
 */
export function deriveId(base: string, n: number): string {
  return `${base.slice(0, 24)}${n.toString(16).padStart(12, "0")}`;
}
