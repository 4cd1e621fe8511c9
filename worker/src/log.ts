// The Worker's log lines: one JSON object per line, which Workers Logs indexes by field. They say
// what happened, never what was sent: no bodies, headers or query strings, so no passwords, tokens
// or cookies.
export type LogLevel = "info" | "warn" | "error";

export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
