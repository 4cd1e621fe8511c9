// Timestamps read back as the instant Postgres holds, whatever the year or the session's time zone:
// the parser on Postgres's own spellings, then the real database through this project's driver.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, test } from "vitest";
import { getConfig } from "../../config.ts";
import { closeDb, createDb } from "../client.ts";
import { parseTimestamptz } from "./timestamptz.ts";
import { todos } from "./todos.ts";

describe("parseTimestamptz", () => {
  test.each([
    ["2026-11-21 23:52:27.996+00", "2026-11-21T23:52:27.996Z"],
    ["2026-11-21 23:52:27+00", "2026-11-21T23:52:27.000Z"],
    ["2026-11-21 23:52:27.5+00", "2026-11-21T23:52:27.500Z"],
    // Years below 100, which `new Date(text)` takes for two-digit ones.
    ["0001-01-01 00:00:00+00", "0001-01-01T00:00:00.000Z"],
    ["0049-06-01 12:00:00+00", "0049-06-01T12:00:00.000Z"],
    ["0050-06-01 12:00:00+00", "0050-06-01T12:00:00.000Z"],
    ["0099-12-31 23:59:59.999+00", "0099-12-31T23:59:59.999Z"],
    ["9999-12-31 23:59:59.999+00", "9999-12-31T23:59:59.999Z"],
    // Session time zones other than UTC, local mean time (offsets with seconds) included.
    ["2026-06-01 14:00:00+02", "2026-06-01T12:00:00.000Z"],
    ["2026-06-01 06:30:00-05:30", "2026-06-01T12:00:00.000Z"],
    ["0001-01-01 00:19:32+00:19:32", "0001-01-01T00:00:00.000Z"],
    ["1800-01-01 00:00:00-04:56:02", "1800-01-01T04:56:02.000Z"],
    // Inside JSON (row_to_json and relational queries).
    ["0049-06-01T12:00:00+00:00", "0049-06-01T12:00:00.000Z"],
    // Before the common era: 1 BC is year 0.
    ["0001-12-31 00:00:00+00 BC", "0000-12-31T00:00:00.000Z"],
    ["10000-01-01 00:00:00+00", "+010000-01-01T00:00:00.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseTimestamptz(text).toISOString()).toBe(iso);
  });

  test.each([["infinity"], ["2026-11-21"], ["Sat Nov 21 23:52:27 2026 UTC"], ["294276-12-31 23:59:59+00"]])(
    "refuses %s rather than guess",
    (text) => {
      expect(() => parseTimestamptz(text)).toThrow();
    },
  );
});

test("the database's own text for early years and local mean time reads back exactly", async () => {
  const db = await createDb(getConfig(env), env);
  try {
    // set_config(…, true) holds for this statement's transaction, so the value below is written out
    // in Amsterdam's time zone, whose offset before 1892 was a local mean time with seconds.
    // Both drivers answer { rows }; the Db type, common to both, leaves the result unknown.
    const { rows } = (await db.execute(
      sql`select set_config('TimeZone', 'Europe/Amsterdam', true) as zone, '0049-06-01T12:00:00Z'::timestamptz as at`,
    )) as unknown as { rows: { at: string }[] };
    const text = rows[0]?.at;
    // The offset's seconds vary with the tz database's version; that it has some is the point.
    expect(text).toMatch(/^0049-06-01 12:\d\d:\d\d\+00:\d\d:\d\d$/);
    expect((todos.dueAt.mapFromDriverValue(text as string) as Date).toISOString()).toBe("0049-06-01T12:00:00.000Z");
  } finally {
    await closeDb(db);
  }
});
