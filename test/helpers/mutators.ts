import { gzipSync } from 'node:zlib';
import { mulberry32 } from './seeded-random';

/**
 * The project's own mutators (#14): deterministic, seeded damage to a valid evidence file,
 * each modelled on a way real files break or attackers build them.
 */
export type Rng = () => number;

/** mulberry32 */
export const rng: (seed: number) => Rng = mulberry32;

const int = (r: Rng, n: number): number => Math.floor(r() * n);

export interface Mutant {
  name: string;
  bytes: Uint8Array;
}

type Mutator = (seed: Uint8Array, r: Rng) => Uint8Array;

const MUTATORS: Record<string, Mutator> = {
  truncate: (s, r) => s.slice(0, int(r, s.length)),
  'bit-flips': (s, r) => {
    const out = s.slice();
    for (let i = 0, n = 1 + int(r, 16); i < n; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
    return out;
  },
  'span-overwrite': (s, r) => {
    const out = s.slice();
    const at = int(r, out.length);
    const fill = [0x00, 0xff, 0x41, int(r, 256)][int(r, 4)];
    out.fill(fill, at, Math.min(out.length, at + 1 + int(r, 256)));
    return out;
  },
  // A length or count field made absurd: 0xffffffff or 0x7fffffff written at a random aligned spot.
  'absurd-length': (s, r) => {
    const out = s.slice();
    const at = int(r, Math.max(1, out.length - 4)) & ~1;
    new DataView(out.buffer, out.byteOffset).setUint32(Math.min(at, out.length - 4), r() < 0.5 ? 0xffffffff : 0x7fffffff, r() < 0.5);
    return out;
  },
  'broken-gzip': (s, r) => {
    const z = gzipSync(s);
    const cut = z.slice(0, 10 + int(r, z.length - 10));
    if (r() < 0.5 && cut.length > 20) cut[10 + int(r, cut.length - 10)] ^= 0xff;
    return cut;
  },
  'huge-line': (s, r) => {
    const at = int(r, s.length);
    const junk = new Uint8Array((1 << 20) + 1 + int(r, 4096)).fill(0x61);
    return concat(s.subarray(0, at), junk, s.subarray(at));
  },
  'invalid-utf8': (s, r) => {
    const out = s.slice();
    for (let i = 0, n = 1 + int(r, 8); i < n; i++) {
      const at = int(r, out.length - 2);
      out.set([[0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x90], [0xff, 0xfe], [0xed, 0xa0]][int(r, 5)], at);
    }
    return out;
  },
  // Digits of a time replaced: years 1919, 10000 and 1e20 seconds in text; high bytes of timestamps in binary.
  'out-of-range-date': (s, r) => {
    const text = Buffer.from(s).toString('latin1');
    const m = [...text.matchAll(/1[5-7]\d{8}(\.\d+)?|20\d\d-\d\d-\d\d/g)];
    if (m.length) {
      const pick = m[int(r, m.length)];
      const repl = ['99999999999999999999', '253402300800', '-1609459200', '1919-01-01', '10000-01-01', '0'][int(r, 6)];
      return Buffer.from(text.slice(0, pick.index) + repl + text.slice(pick.index! + pick[0].length), 'latin1');
    }
    const out = s.slice();
    for (let i = 0; i < 4; i++) out[int(r, out.length)] = 0xff;
    return out;
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** n mutants of seed, cycling through the mutators, each from its own seeded generator. */
export function mutants(seed: Uint8Array, n: number, baseSeed: number): Mutant[] {
  const out: Mutant[] = [];
  for (let i = 0; i < n; i++) {
    const name = MUTATOR_NAMES[i % MUTATOR_NAMES.length];
    out.push({ name: `${name}#${baseSeed + i}`, bytes: MUTATORS[name](seed, rng(baseSeed + i)) });
  }
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
