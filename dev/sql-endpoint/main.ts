// CLI for the local Neon-compatible SQL endpoint: `node dev/sql-endpoint/main.ts --port 4444 [...]`.
import { parseArgs } from "node:util";
import { redact } from "./backends/postgres.ts";
import { startSqlEndpoint } from "./server.ts";

const usage = `Usage: node dev/sql-endpoint/main.ts [options]

  --port N              port to listen on (default 4444; 0 picks a free one)
  --host ADDR           address to bind (default 127.0.0.1)
  --data DIR            keep the PGlite database in DIR (default: in memory)
  --database-url URL    use this PostgreSQL instead of PGlite
  --migrations DIR      drizzle-kit migrations to apply at start (default: <repo>/migrations)
  --no-migrate          do not apply migrations
  --delay MS            add MS to every round trip (simulated distance to the database)
  --log                 print one line per round trip
  --help                show this text`;

function fail(message: string): never {
  console.error(`sql-endpoint: ${message}\n\n${usage}`);
  process.exit(2);
}

function nonNegativeInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number ≥ 0, got "${value}"`);
  return n;
}

const args = (() => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        host: { type: "string" },
        data: { type: "string" },
        "database-url": { type: "string" },
        migrations: { type: "string" },
        "no-migrate": { type: "boolean", default: false },
        delay: { type: "string" },
        log: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
})();
if (args.help) {
  console.log(usage);
  process.exit(0);
}
if (args.data && args["database-url"]) fail("--data and --database-url are alternatives; pass one");
if (args.migrations && args["no-migrate"]) fail("--migrations and --no-migrate contradict each other");

const databaseUrl = args["database-url"];
const endpoint = await startSqlEndpoint({
  port: nonNegativeInteger("port", args.port, 4444),
  host: args.host,
  dataDir: args.data,
  databaseUrl,
  migrationsDir: args["no-migrate"] ? false : args.migrations,
  delayMs: nonNegativeInteger("delay", args.delay, 0),
  log: args.log,
}).catch((error: Error) => {
  console.error(`sql-endpoint: could not start: ${error.message}`);
  process.exit(1);
});

const backend = databaseUrl
  ? `PostgreSQL ${redact(databaseUrl)}`
  : args.data
    ? `PGlite in ${args.data}`
    : "PGlite in memory";
console.log(`sql-endpoint ready: ${endpoint.sqlUrl} (${backend})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  // A second Ctrl-C means the user does not want to wait for a clean close.
  if (stopping) process.exit(130);
  stopping = true;
  console.log(`sql-endpoint: ${signal}, closing`);
  await endpoint.close();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
