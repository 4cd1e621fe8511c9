// What of `wrangler dev`'s output reaches the terminal of `npm start` and `npm run dev`: warnings,
// errors and anything unknown pass; the banner, the bindings table and the start-up chatter go
// (the tooling prints its own steps and the URL); each request is one short line, made from the
// Worker's own JSON request record, instead of that record and wrangler's line about the same
// request.

/** wrangler's lines that say nothing a developer must act on. */
const CHATTER = [
  /^\s*$/,
  /^\s*⛅️ wrangler /,
  /^─+$/,
  /^Using (secrets|vars) defined in /,
  /^Your Worker has access to the following bindings:/,
  /^Binding\s+Resource\s+Mode/,
  /^env\.\S+ .*\s(local|remote)$/,
  /^⎔ (Starting|Reloading) local server/,
  /^\[wrangler:info\] ✨ Parsed \d+ valid (header|redirect) rules?\./,
  /^\[wrangler:info\] Ready on /,
  // The Worker's JSON record of the same request says it (below).
  /^\[wrangler:info\] (GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) \/api\//,
];

interface RequestRecord {
  msg: "request";
  method: string;
  path: string;
  status: number;
  ms: number;
}

function requestRecord(line: string): RequestRecord | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const entry = JSON.parse(line) as Partial<RequestRecord>;
    return entry.msg === "request" ? (entry as RequestRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** The line to show for one line of wrangler's output, or undefined to show nothing. */
export function tidyWranglerLine(line: string): string | undefined {
  const request = requestRecord(line);
  if (request) return `  ${request.method} ${request.path} → ${request.status} (${request.ms} ms)`;
  return CHATTER.some((pattern) => pattern.test(line)) ? undefined : line;
}
