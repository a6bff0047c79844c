// Our RFC 8785 serialiser against the `canonicalize` package (the reference it replaced) and the RFC's own examples,
// and the per-verification memo: reusing a memoised sub-object must give the same bytes and the same refusals
// (depth and size limits included) as serialising from scratch.

import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { CanonicalMemo, MAX_CANONICAL_BYTES, MAX_JSON_DEPTH, canonicalJson, parseCanonicalJson } from '../../electron/core/canonical';
import { DeclsignError } from '../../electron/core/errors';

const TABLE: unknown[] = [
  null,
  true,
  false,
  0,
  -0,
  1,
  -1,
  1.5,
  1e-21,
  123.456e-10,
  1e-7,
  123456789012345,
  9007199254740991,
  -9007199254740991,
  5e-324,
  2.2250738585072014e-308,
  0.1 + 0.2,
  '',
  'plain',
  'quote " backslash \\ slash / controls \u0000\u0001\u001f\b\f\n\r\t del \u007f',
  'unicode é € 😀 \u2028\u2029',
  [],
  [1, [2, [3, []]], {}],
  {},
  { b: 1, a: 2, c: { z: null, y: [true, false] } },
  // RFC 8785 §3.2.3: keys sort by UTF-16 code units (so U+10000 sorts before U+FB33)
  { '\u20ac': 'Euro Sign', '\r': 'Carriage Return', '\ufb33': 'Hebrew Letter Dalet With Dagesh', '1': 'One', '\ud83d\ude00': 'Emoji: Grinning Face', '\u0080': 'Control', '\u00f6': 'Latin Small Letter O With Diaeresis' },
  // RFC 8785 §3.2.2 numbers (its 1e30 is an integer beyond 2^53, which our I-JSON rule refuses)
  { numbers: [333333333.33333329, 4.5, 2e-3, 0.000000000000000000000000001] },
  { string: '\u20ac$\u000f\u000aA\'\u0042\u0022\u005c\\"/', literals: [null, true, false] },
];

/** Deterministic random I-JSON values. */
function randomValue(seed: { n: number }, depth = 0): unknown {
  const next = () => {
    seed.n = (seed.n * 1103515245 + 12345) % 2 ** 31;
    return seed.n / 2 ** 31;
  };
  const pick = Math.floor(next() * (depth > 4 ? 5 : 7));
  const randomString = () => Array.from({ length: Math.floor(next() * 6) }, () => String.fromCodePoint([0x61, 0x22, 0x5c, 0x0a, 0xe9, 0x20ac, 0x1f600, 0x7f, 0x1][Math.floor(next() * 9)]!)).join('');
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor((next() - 0.5) * 2 ** 40);
    case 3:
      return (next() - 0.5) * 10 ** Math.floor(next() * 35 - 20); // below 2^53 in magnitude: I-JSON
    case 4:
      return randomString();
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(seed, depth + 1));
    default:
      return Object.fromEntries(Array.from({ length: Math.floor(next() * 5) }, () => [randomString(), randomValue(seed, depth + 1)]));
  }
}

function refusal(run: () => unknown): { code: string; message: string } | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(DeclsignError);
    return { code: (error as DeclsignError).code, message: (error as Error).message };
  }
}

describe('canonicalJson', () => {
  it('produces exactly what the canonicalize package produces, on a table and on random values', () => {
    for (const value of TABLE) expect(canonicalJson(value)).toBe(canonicalize(value));
    const seed = { n: 42 };
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(seed);
      expect(canonicalJson(value)).toBe(canonicalize(value));
    }
  });

  it('matches the RFC 8785 examples byte for byte', () => {
    expect(canonicalJson({ numbers: [333333333.33333329, 4.5, 2e-3, 0.000000000000000000000000001], string: '\u20ac$\u000f\u000aA\'\u0042\u0022\u005c\\"/', literals: [null, true, false] })).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('refuses what is not I-JSON, naming where', () => {
    const cases: [unknown, string][] = [
      [{ a: { b: 'x\ud800' } }, 'lone surrogate at $.a.b'],
      [{ a: [1, Number.NaN] }, 'non-finite number at $.a[1]'],
      [{ big: 2 ** 53 }, 'beyond ±2^53 at $.big'],
      [{ d: new Date(0) }, 'non-plain object at $.d'],
      [{ u: undefined }, 'holds a undefined at $.u'],
      [[1, , 2], 'sparse array at $'], // eslint-disable-line no-sparse-arrays
      [{ [Symbol('s')]: 1 }, 'symbol-keyed properties at $'],
    ];
    for (const [value, message] of cases) {
      const refused = refusal(() => canonicalJson(value, 'doc'));
      expect(refused?.code).toBe('invalid_input');
      expect(refused?.message).toContain(message);
    }
  });

  it('holds the depth and size limits, also for sub-objects taken from the memo', () => {
    let deep: unknown = 0;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) deep = [deep];
    const memo = new CanonicalMemo();
    expect(canonicalJson(deep, 'deep', memo)).toBe(canonicalize(deep)); // exactly at the limit
    expect(refusal(() => canonicalJson([deep], 'deeper', memo))?.message).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
    expect(refusal(() => canonicalJson([deep]))?.message).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);

    const half = { text: 'x'.repeat(MAX_CANONICAL_BYTES / 2) };
    expect(canonicalJson(half, 'half', memo)).toBe(canonicalize(half));
    const refused = refusal(() => canonicalJson({ a: half, b: half }, 'both', memo));
    expect(refused).toEqual(refusal(() => canonicalJson({ a: half, b: half }, 'both')));
    expect(refused?.code).toBe('content_too_large');
  });

  it('gives the same text with a memo as without, and reuses memoised sub-objects', () => {
    const seed = { n: 7 };
    const memo = new CanonicalMemo();
    for (let i = 0; i < 300; i++) {
      const inner = randomValue(seed);
      const outer = { inner, again: [inner, { inner }], extra: randomValue(seed) };
      expect(canonicalJson(inner, undefined, memo)).toBe(canonicalize(inner));
      expect(canonicalJson(outer, undefined, memo)).toBe(canonicalize(outer));
    }
  });

  it('parseCanonicalJson accepts only the canonical text, with or without a memo', () => {
    const memo = new CanonicalMemo();
    const text = canonicalJson({ b: [1, 'é'], a: { c: null } });
    const parsed = parseCanonicalJson(text, 'doc', memo);
    expect(canonicalJson(parsed, 'doc', memo)).toBe(text);
    for (const other of ['{"a":{"c":null}, "b":[1,"é"]}', '{"b":[1,"é"],"a":{"c":null}}', '{"a":{"c":null},"b":[1.0,"é"]}', '{"a":{"c":null},"b":[1,"\\u00e9"]}']) {
      expect(refusal(() => parseCanonicalJson(other, 'doc', new CanonicalMemo()))?.code).toBe('invalid_json');
    }
  });

  it('parseCanonicalJson decides exactly as serialising from scratch does, on table, random and tricky texts', () => {
    // The reference decision: parse, serialise from scratch, compare.
    const reference = (text: string) => {
      try {
        return canonicalJson(JSON.parse(text)) === text ? 'canonical' : 'invalid_json';
      } catch (error) {
        return (error as DeclsignError).code;
      }
    };
    const decide = (text: string, memo?: CanonicalMemo) => {
      try {
        parseCanonicalJson(text, 'doc', memo);
        return 'canonical';
      } catch (error) {
        return (error as DeclsignError).code;
      }
    };
    const seed = { n: 11 };
    const texts = [
      ...TABLE.map((value) => canonicalize(value)!),
      ...Array.from({ length: 300 }, () => canonicalize(randomValue(seed))!),
      // integer-like keys: V8 enumerates them first, whatever their JCS order
      '{"1":1,"10":2,"2":3}',
      '{"10":2,"1":1,"2":3}',
      '{"2":1,"10":2}',
      '{"a":1,"1":2}',
      '{"b":1,"a":2}',
      '{"a":1,"a":1}', // duplicate keys: the parse keeps one, so the text is not what its value serialises to
      '{"__proto__":1,"a":2}',
      '["\\udc00"]', // an escaped lone surrogate: well-formed JSON, not I-JSON
      '{"\\ud800":1}',
      '[9007199254740991]',
      '[9007199254740993]', // beyond 2^53
      '[-0]',
      '[0]',
      '[1e+21]',
      '[1e21]',
      '[1E+21]',
      '[0.1]',
      '[1.0]',
    ];
    let canonical = 0;
    for (const text of texts) {
      const expected = reference(text);
      expect(decide(text), text).toBe(expected);
      expect(decide(text, new CanonicalMemo()), text).toBe(expected);
      if (expected === 'canonical') canonical += 1;
    }
    expect(canonical).toBeGreaterThan(300);
    expect(decide('{"1":1,"10":2,"2":3}')).toBe('canonical');
    expect(decide('[9007199254740993]')).toBe('invalid_input');
    expect(decide('["\\udc00"]')).toBe('invalid_input');
  });

  it('parseCanonicalJson memoises the sub-texts near the root, so later serialising reuses them with their depth', () => {
    const value = { outer: { inner: { deepest: [1, 'two', { three: null }] }, list: [true] }, z: 'end' };
    const text = canonicalize(value)!;
    const memo = new CanonicalMemo();
    const parsed = parseCanonicalJson(text, 'doc', memo) as typeof value;
    expect(memo.get(parsed)?.text).toBe(text);
    expect(memo.get(parsed.outer)?.text).toBe(canonicalize(value.outer));
    expect(memo.get(parsed.outer.inner)?.text).toBe(canonicalize(value.outer.inner));
    expect(memo.get(parsed.outer.inner.deepest)).toBeUndefined(); // deeper than the memo keeps
    // Depth is charged for memoised sub-objects too: wrapping the memoised value past the limit is still refused.
    let deep: unknown = parsed;
    for (let i = 0; i < MAX_JSON_DEPTH - 3; i++) deep = [deep];
    expect(refusal(() => canonicalJson(deep, 'deep', memo))?.message).toContain(`nests deeper than ${MAX_JSON_DEPTH} levels`);
    // The same entries, cost and height included, as serialising an identical value makes.
    const slowMemo = new CanonicalMemo();
    const twin = JSON.parse(text) as typeof value;
    canonicalJson(twin, 'doc', slowMemo);
    expect(memo.get(parsed)).toEqual(slowMemo.get(twin));
    expect(memo.get(parsed.outer)).toEqual(slowMemo.get(twin.outer));
    expect(memo.get(parsed.outer.inner)).toEqual(slowMemo.get(twin.outer.inner));
    expect(memo.get(parsed)).toMatchObject({ height: 5 });
  });
});

