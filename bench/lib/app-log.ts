// Reads the app's own output (wrangler's request log and warnings, the Worker's JSON request log)
// for the load test: reloads, server errors, and the Worker's own time per route. Pure.
import { type LatencySummary, summarize } from "./stats.ts";

export interface AppLogFindings {
  /** "Reloading local server": wrangler saw a source or asset change and swapped the Worker. */
  reloads: number;
  /** Requests the Worker logged with a 5xx status. */
  serverErrors: number;
  /** Requests the Worker logged, by route ("PATCH /api/todos/:id") and status. */
  statusByRoute: Record<string, Record<string, number>>;
  /**
   * The Worker's own time per route, from its request log (`ms`: wall time, which in Workers only
   * advances across I/O, so mostly the database round trips; queueing before the Worker is not in it).
   */
  workerMs: Record<string, LatencySummary>;
  /** Lines that look like errors (the first few), for the report. */
  errorLines: string[];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// Offline, wrangler cannot fetch the `Request.cf` placeholder data: noise, not an app error.
const OFFLINE_NOISE = /Request\.cf|workers\.cloudflare\.com|GetAddrInfoReqWrap/;

export function routeKey(method: string, path: string): string {
  return `${method} ${path.replace(UUID, ":id")}`;
}

export function scanAppLog(text: string, maxLines = 20): AppLogFindings {
  const errorLines: string[] = [];
  const times = new Map<string, number[]>();
  const statusByRoute: Record<string, Record<string, number>> = {};
  let reloads = 0;
  let serverErrors = 0;
  for (const raw of text.split("\n")) {
    // wrangler writes ANSI colours even into a file.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every ANSI colour code
    const line = raw.replace(/\x1b\[[0-9;]*m/g, "").trim();
    if (!line) continue;
    if (line.includes("Reloading local server")) reloads++;
    const json = line.indexOf('{"level"');
    if (json >= 0) {
      const entry = parseJson(line.slice(json));
      if (entry?.msg === "request" && typeof entry.method === "string" && typeof entry.path === "string") {
        const key = routeKey(entry.method, entry.path);
        const status = String(entry.status);
        statusByRoute[key] ??= {};
        const counts = statusByRoute[key];
        counts[status] = (counts[status] ?? 0) + 1;
        if (typeof entry.ms === "number") {
          const list = times.get(key) ?? [];
          list.push(entry.ms);
          times.set(key, list);
        }
        if (status.startsWith("5")) serverErrors++;
      }
      if (entry?.level === "error" && errorLines.length < maxLines) errorLines.push(line.slice(json, json + 300));
      continue;
    }
    if (OFFLINE_NOISE.test(line)) continue;
    if (/\[ERROR\]|✘|\buncaught\b|\bexception\b|^error\b/i.test(line) && errorLines.length < maxLines)
      errorLines.push(line.slice(0, 300));
  }
  const workerMs = Object.fromEntries([...times].map(([key, values]) => [key, summarize(values)]));
  return { reloads, serverErrors, statusByRoute, workerMs, errorLines };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
