// Reads wrangler dev's output after a load run: the Worker's JSON request log (its own time per
// route, 5xx answers) and lines that look like errors.
import { type LatencySummary, summarize } from "./stats.ts";

export interface AppLogFindings {
  /** Requests the Worker logged with a 5xx status. */
  serverErrors: number;
  /**
   * The Worker's own time per route ("PATCH /api/todos/:id"), from its request log (`ms`: wall time,
   * which in Workers advances only across I/O, so mostly the database round trips).
   */
  workerMs: Record<string, LatencySummary>;
  /** Lines that look like errors (the first few), for the report. */
  errorLines: string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export function scanAppLog(text: string, maxLines = 20): AppLogFindings {
  const errorLines: string[] = [];
  const times = new Map<string, number[]>();
  let serverErrors = 0;
  for (const raw of text.split("\n")) {
    // wrangler writes ANSI colours even into a file.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI colour code
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "").trim();
    const json = line.indexOf('{"level"');
    if (json >= 0) {
      const entry = parseJson(line.slice(json));
      if (entry?.msg === "request" && typeof entry.method === "string" && typeof entry.path === "string") {
        const route = `${entry.method} ${entry.path.replace(UUID, ":id")}`;
        if (typeof entry.ms === "number") times.set(route, [...(times.get(route) ?? []), entry.ms]);
        if (String(entry.status).startsWith("5")) serverErrors++;
      }
      if (entry?.level === "error" && errorLines.length < maxLines) errorLines.push(line.slice(json, json + 300));
    } else if (/\[ERROR\]|✘|\buncaught\b|\bexception\b|^error\b/i.test(line) && errorLines.length < maxLines) {
      errorLines.push(line.slice(0, 300));
    }
  }
  const workerMs = Object.fromEntries([...times].map(([route, values]) => [route, summarize(values)]));
  return { serverErrors, workerMs, errorLines };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
