// Property-based testing through the real Worker: fast-check with this run's seed and size
// (property-settings.ts), arbitraries that span each kind of input with weight on where input
// handling breaks (control, format and bidi characters, unpaired surrogates, the edges of length
// limits, values of the wrong type), and the one rule every answer obeys.
import fc from "fast-check";
import { expect, inject } from "vitest";
import { accessToken } from "./client.ts";

export { fc };

/**
 * Runs `property` `runs` times (times PROPERTY_RUNS) with this run's seed. A failure reports the
 * seed, the shrunk counterexample and the assertion it broke.
 */
export async function check<T extends [unknown, ...unknown[]]>(
  property: fc.IAsyncPropertyWithHooks<T>,
  runs: number,
): Promise<void> {
  const { seed, runsFactor } = inject("properties");
  await fc.assert(property, {
    numRuns: Math.max(1, Math.round(runs * runsFactor)),
    ...(seed === undefined ? {} : { seed }),
  });
}

export interface ErrorAnswer {
  detail: string;
  status_code: number;
  error_type: string;
  [field: string]: unknown;
}

/**
 * The rule for every answer: a 2xx, or a 4xx in the API's error shape; never a 5xx. Returns the
 * parsed body (undefined for a 204).
 */
export async function answer(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(200);
  if (res.status === 204) return undefined;
  const body: unknown = JSON.parse(text);
  if (res.status >= 400) {
    expect(body, what).toMatchObject({
      detail: expect.any(String),
      status_code: res.status,
      error_type: expect.any(String),
    });
  }
  return body;
}

/** Characters where text handling goes wrong, each for its own reason. */
const TRICKY_CHARACTERS = [
  // C0 and C1 controls, DEL.
  "\u0000",
  "\u0007",
  "\t",
  "\n",
  "\r",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009f",
  // White space JavaScript's trim() removes, and some it keeps.
  " ",
  "\u00a0",
  "\u1680",
  "\u2000",
  "\u3000",
  "\u2028",
  "\u2029",
  "\u180e",
  // Format characters: zero-width space, joiners, marks, BOM, soft hyphen, word joiner, tag.
  "\u200b",
  "\u200c",
  "\u200d",
  "\u200e",
  "\u200f",
  "\u061c",
  "\ufeff",
  "\u00ad",
  "\u2060",
  "\u{e0041}",
  // Bidi embeddings, overrides and isolates.
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
  // Invisible fillers that are letters, and a variation selector.
  "\u115f",
  "\u3164",
  "\ufe0f",
  // Unpaired surrogates.
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  // Noncharacters and the replacement character.
  "\ufffe",
  "\uffff",
  "\ufffd",
  // Quoting and escaping in SQL, JSON, URLs and LIKE patterns.
  "'",
  '"',
  "\\",
  "%",
  "_",
  "/",
  "?",
  "#",
  "&",
  "+",
  "=",
  ".",
  ":",
  "@",
  // Ordinary text, composed and decomposed, astral.
  "a",
  "Z",
  "0",
  "é",
  "e\u0301",
  "ß",
  "ﬁ",
  "İ",
  "李",
  "م",
  "😀",
  "👩\u200d💻",
];

const trickyCharacter = fc.constantFrom(...TRICKY_CHARACTERS);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/** One code point from anywhere in Unicode, a tricky character, a grapheme or a lone surrogate. */
export const anyCharacter = fc.oneof(
  { arbitrary: trickyCharacter, weight: 4 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 2 },
  { arbitrary: loneSurrogate, weight: 1 },
);

/**
 * Any text a client could send for a field whose limit is `maxLength` characters: short strings of
 * any characters, and strings around the limit (padded with white space, or of astral characters
 * that count twice).
 */
export function anyText(maxLength: number): fc.Arbitrary<string> {
  const nearLimit = fc
    .record({
      length: fc.integer({ min: Math.max(0, maxLength - 3), max: maxLength + 3 }),
      fill: fc.constantFrom("x", "é", "😀", "李", "\u200b", "a\u0000"),
      padding: fc.constantFrom("", " ", "  ", "\u00a0", "\t"),
    })
    .map(({ length, fill, padding }) => `${padding}${fill.repeat(length).slice(0, length)}${padding}`);
  return fc.oneof(
    { arbitrary: fc.string({ unit: anyCharacter, maxLength: 24 }), weight: 6 },
    { arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }), weight: 2 },
    { arbitrary: nearLimit, weight: 2 },
  );
}

/** Any JSON value: the wrong type for a field as often as not. */
export const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * A string a client can put in a header: what fetch's Headers accepts (no NUL, CR or LF). Rarely
 * non-ASCII: workerd sends such a value as UTF-8 and warns about it, once per header.
 */
export function anyHeaderValue(maxLength = 40): fc.Arbitrary<string> {
  const byte = fc.oneof(
    { arbitrary: fc.integer({ min: 0x20, max: 0x7e }), weight: 18 },
    { arbitrary: fc.constantFrom(0x09, 0x01, 0x1f, 0x7f), weight: 1 },
  );
  return fc.oneof(
    { arbitrary: fc.string({ unit: byte.map((code) => String.fromCharCode(code)), maxLength }), weight: 30 },
    { arbitrary: fc.constantFrom("é", '"é"', "Bearer é", "\u00ff"), weight: 1 },
  );
}

/** How fetch's Headers stores a value: without leading and trailing HTTP white space. */
export function asSent(headerValue: string): string {
  return headerValue.replace(/^[\t ]+|[\t ]+$/g, "");
}

/**
 * A source of access tokens for `user` that outlasts their lifetime (60 s in the tests): a property
 * runs for longer than that on a busy machine. A token is reused for 20 seconds.
 */
export function tokenSource(user: { cookie: string }): () => Promise<string> {
  let current: { token: string; at: number } | undefined;
  return async () => {
    if (!current || Date.now() - current.at > 20_000) current = { token: await accessToken(user), at: Date.now() };
    return current.token;
  };
}

/**
 * `segment` percent-encoded for a URL path, unpaired surrogates included (encodeURIComponent
 * throws on those): they go out as the bytes a lenient encoder writes for them, which are no UTF-8.
 */
export function pathSegment(segment: string): string {
  return segment
    .split(/(\p{Cs})/u)
    .map((part) => {
      if (!/^\p{Cs}$/u.test(part)) return encodeURIComponent(part);
      const code = part.charCodeAt(0);
      return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join("");
    })
    .join("");
}

/**
 * Instants as a JavaScript client writes them (toISOString), in any year from -1 to 10000: the
 * four-digit years, and the first spellings past them ("-000001-…", "+010000-…").
 */
export const anyIsoInstant: fc.Arbitrary<string> = fc
  .record({
    year: fc.oneof(
      { arbitrary: fc.constantFrom(-1, 0, 1, 99, 9999, 10_000), weight: 3 },
      { arbitrary: fc.integer({ min: -1, max: 10_000 }), weight: 1 },
    ),
    msIntoYear: fc.integer({ min: 0, max: 365 * 86_400_000 - 1 }),
  })
  .map(({ year, msIntoYear }) => {
    const start = new Date(0);
    start.setUTCFullYear(year, 0, 1);
    return new Date(start.getTime() + msIntoYear).toISOString();
  });

/**
 * RFC 3339 date-times across the whole range a client might write, and past it: years 0000 to
 * 9999 (weighted to the ends, where two-digit-year and range bugs live), days the month lacks,
 * fractions of any length, offsets up to ±23:59. Plus instants as a JavaScript client writes them.
 */
export const anyDateTime: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({
      year: fc.oneof(
        fc.constantFrom(0, 1, 49, 50, 99, 100, 1969, 1970, 9999),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 9999 }),
      ),
      month: fc.integer({ min: 1, max: 12 }),
      day: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
      fraction: fc.oneof(
        fc.constant(""),
        fc.stringMatching(/^\.\d{1,3}$/),
        fc.stringMatching(/^\.\d{4,9}$/),
        fc.constant(".120000"),
      ),
      zone: fc.oneof(
        fc.constantFrom("Z", "+00:00", "-00:00", "+14:00", "-14:00"),
        fc
          .tuple(fc.constantFrom("+", "-"), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
          .map(([sign, h, m]) => `${sign}${two(h)}:${two(m)}`),
      ),
    })
    .map(
      (t) =>
        `${String(t.year).padStart(4, "0")}-${two(t.month)}-${two(t.day)}T${two(t.hour)}:${two(t.minute)}:${two(t.second)}${t.fraction}${t.zone}`,
    ),
  anyIsoInstant,
);

function two(n: number): string {
  return String(n).padStart(2, "0");
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:Z|([+-])(\d\d):(\d\d))$/;

/**
 * What the API must make of `text` as a date-time, worked out without its code: the instant in
 * ISO form, or undefined when it must be refused: not RFC 3339 with seconds, a day the calendar
 * lacks, outside years 0001–9999 in UTC, or finer than a millisecond.
 */
export function expectedInstant(text: string): string | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = m[7] ?? "";
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return undefined;
  if (/[1-9]/.test(fraction.slice(3))) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  date.setUTCHours(hour, minute, second, Number(fraction.slice(0, 3).padEnd(3, "0")));
  const offsetMinutes = m[8] === undefined ? 0 : (m[8] === "-" ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
  const instant = new Date(date.getTime() - offsetMinutes * 60_000);
  const utcYear = instant.getUTCFullYear();
  return utcYear >= 1 && utcYear <= 9999 ? instant.toISOString() : undefined;
}
