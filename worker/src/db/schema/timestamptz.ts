// A `timestamp (3) with time zone` column that reads back exactly the instant it holds, on both
// drivers. Both hand drizzle Postgres's text ("0049-06-01 12:00:00+00"), and drizzle's own timestamp
// column makes a Date of it with `new Date(text)`: that text is not the ISO 8601 form the engine
// knows, so its legacy parser reads it, which takes a year below 100 for a two-digit one (0001 →
// 2001, 0049 → 2049, 0050 → 1950) and cannot read an offset with seconds (a zone's local mean time
// before 1900, "+00:19:32"). This column parses Postgres's output itself and fails loudly on
// anything else.
import { customType } from "drizzle-orm/pg-core";

/**
 * Postgres's ISO output of a timestamptz: `YYYY-MM-DD HH:MM:SS[.fff…]±HH[:MM[:SS]][ BC]`, with a
 * `T` in place of the space inside JSON. The year has four digits or more.
 */
const POSTGRES_TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;

/** The instant Postgres's text for a timestamptz stands for (to the millisecond a Date holds). */
export function parseTimestamptz(text: string): Date {
  const match = POSTGRES_TIMESTAMPTZ.exec(text);
  if (!match) throw new Error(`not a timestamptz in Postgres's ISO format: ${JSON.stringify(text.slice(0, 40))}`);
  const [, year, month, day, hours, minutes, seconds, fraction = "", sign, offsetH, offsetM = "0", offsetS = "0", bc] =
    match;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 as they are; 1 BC is year 0.
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hours), Number(minutes), Number(seconds), Number(fraction.padEnd(3, "0").slice(0, 3)));
  const offsetMs = (Number(offsetH) * 3600 + Number(offsetM) * 60 + Number(offsetS)) * 1000;
  const instant = new Date(date.getTime() + (sign === "-" ? offsetMs : -offsetMs));
  // Past a Date's range (±275,760 years; Postgres's goes to 294,276 AD).
  if (Number.isNaN(instant.getTime())) throw new Error(`timestamptz beyond a Date's range: ${text}`);
  return instant;
}

/**
 * `timestamp (3) with time zone`, as a Date. Millisecond precision: the Date it maps to, the API's
 * JSON and the list cursor hold no more.
 */
export const timestamptz = customType<{ data: Date; driverData: string }>({
  dataType: () => "timestamp (3) with time zone",
  toDriver: (value) => value.toISOString(),
  fromDriver: parseTimestamptz,
});
