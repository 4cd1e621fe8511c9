// HTTP layer of the local Neon-compatible SQL endpoint: routes, round-trip stats, delay and faults.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { PostgresError, type TxOptions } from "./backends/backend.ts";
import { openPglite } from "./backends/pglite.ts";
import { openPostgres } from "./backends/postgres.ts";
import { type Control, faultApplies, injectFault, parseControl } from "./faults.ts";
import { ArrayTypeCatalog } from "./pg-json.ts";
import { errorJson, parseHeaders, parsePayload, type Query, RequestError, resultJson } from "./protocol.ts";

export type SqlEndpointOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the control routes must not be reachable from other machines. */
  host?: string;
  /** PGlite data directory; omitted = in-memory. Ignored when databaseUrl is set. */
  dataDir?: string;
  /** Use this PostgreSQL instead of PGlite. */
  databaseUrl?: string;
  /** drizzle-kit migrations to apply at start; defaults to the repo's migrations/, false skips them. */
  migrationsDir?: string | false;
  /** Simulated distance to the database: added to every round trip. */
  delayMs?: number;
  /** One line per round trip on stdout (never parameters). */
  log?: boolean;
};

export type SqlEndpoint = {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + "/sql": what `neonConfig.fetchEndpoint` should be set to. */
  sqlUrl: string;
  port: number;
  close(): Promise<void>;
};

export const defaultMigrationsDir = fileURLToPath(new URL("../../migrations", import.meta.url));

// Bounds what one request can make the server buffer.
const maxBodyBytes = 10 * 1024 * 1024;

const corsPreflightHeaders = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "OPTIONS, POST",
  "access-control-allow-headers":
    "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, Neon-Pool-Opt-In, " +
    "Neon-Batch-Read-Only, Neon-Batch-Isolation-Level, Neon-Batch-Deferrable",
  "access-control-max-age": "86400",
};

export async function startSqlEndpoint(opts: SqlEndpointOptions = {}): Promise<SqlEndpoint> {
  const host = opts.host ?? "127.0.0.1";
  const backend = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      console.error("[sql-endpoint] request failed:", error);
      if (!res.headersSent) sendJson(res, 500, { message: "internal error" });
    });
  });
  // Clients (workerd, the driver) reuse keep-alive connections. With Node's 5 s default, a busy
  // client reuses one just as the server closes it and sees "Network connection lost" instead of
  // an answer; an idle minute is what proxies such as Neon's allow.
  server.keepAliveTimeout = 60_000;
  server.headersTimeout = 65_000;
  try {
    const migrationsDir = opts.migrationsDir ?? defaultMigrationsDir;
    if (migrationsDir !== false) {
      const applied = await backend.migrate(migrationsDir);
      if (opts.log) {
        console.log(`[sql-endpoint] ${applied ? "migrations up to date:" : "no migrations in"} ${migrationsDir}`);
      }
    }
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (error) {
    await backend.close();
    throw error;
  }

  const catalog = new ArrayTypeCatalog(backend);
  const control: Control = { delayMs: opts.delayMs ?? 0, fault: null, match: null };
  const stats = { roundTrips: 0, statements: 0, errors: 0 };

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? "/", "http://localhost");
    switch (`${req.method} ${pathname}`) {
      case "POST /sql":
        return handleSql(req, res);
      case "OPTIONS /sql":
        res.writeHead(200, corsPreflightHeaders).end();
        return;
      case "GET /__health":
        return sendJson(res, 200, { ok: true });
      case "GET /__stats":
        return sendJson(res, 200, stats);
      case "POST /__stats/reset":
        Object.assign(stats, { roundTrips: 0, statements: 0, errors: 0 });
        return sendJson(res, 200, stats);
      case "GET /__control":
        return sendJson(res, 200, control);
      case "POST /__control": {
        let update: ReturnType<typeof parseControl>;
        try {
          update = parseControl(JSON.parse(await readBody(req)));
        } catch (error) {
          update = error instanceof RequestError ? error.message : "body must be JSON";
        }
        if (typeof update === "string") return sendJson(res, 400, { message: update });
        Object.assign(control, update);
        return sendJson(res, 200, control);
      }
      default:
        return sendJson(res, 404, { message: `no route for ${req.method} ${pathname}` });
    }
  }

  async function handleSql(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const roundTrip = ++stats.roundTrips;
    const started = performance.now();
    // Settings as they were when the request arrived, so a change mid-request cannot split it.
    const settings = { ...control };
    const { delayMs, fault } = settings;
    let outcome: string | number = 200;
    let queries: Query[] = [];
    try {
      const body = await readBody(req);
      const faulty = fault !== null && faultApplies(settings, sqlOf(body));
      if (faulty && fault === "refuse") {
        outcome = "fault:refuse";
        stats.errors++;
        return injectFault(fault, res);
      }
      if (delayMs > 0) await sleep(delayMs);
      if (faulty && fault) {
        outcome = `fault:${fault}`;
        stats.errors++;
        return injectFault(fault, res);
      }

      const options = parseHeaders(req.headers);
      const payload = parsePayload(body);
      queries = payload.queries;
      stats.statements += queries.length;
      const results = payload.batch
        ? await backend.runBatch(payload.queries, options.tx)
        : [await backend.run(payload.queries[0])];
      if (!options.rawText) await catalog.ensure(results.flatMap((r) => r.fields.map((f) => f.dataTypeID)));
      const json = results.map((result, i) => {
        const mode = { arrayMode: queries[i]?.arrayMode ?? options.arrayMode, rawText: options.rawText };
        return resultJson(result, mode, catalog.elementTypeOf);
      });
      if (payload.batch) sendJson(res, 200, { results: json }, batchHeaders(options.tx));
      else sendJson(res, 200, json[0]);
    } catch (error) {
      stats.errors++;
      if (error instanceof PostgresError) {
        outcome = 400;
        sendJson(res, 400, errorJson(error.message, error.fields));
      } else if (error instanceof RequestError) {
        outcome = error.status;
        sendJson(res, error.status, errorJson(error.message));
      } else {
        // Neon reports a compute it cannot use this way, without details; the details go to our log.
        outcome = 500;
        console.error(`[sql-endpoint] #${roundTrip} database failure:`, error);
        sendJson(res, 500, errorJson("Couldn't connect to compute node"));
      }
    } finally {
      if (opts.log) {
        const ms = Math.round(performance.now() - started);
        const sql = queries
          .map((q) => q.query)
          .join("; ")
          .replace(/\s+/g, " ")
          .trim()
          .slice(0, 80);
        console.log(`[sql-endpoint] #${roundTrip} ${outcome} ${ms}ms ${queries.length} stmt ${sql}`);
      }
    }
  }

  const { port } = server.address() as AddressInfo;
  const url = `http://${urlHost(host)}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    sqlUrl: `${url}/sql`,
    port,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Keep-alive sockets and hung requests would otherwise hold close() open.
        server.closeAllConnections();
        await closed;
        await backend.close();
      })();
      return closing;
    },
  };
}

/** The statements a request body carries, for matching faults; the raw body if it is not Neon's JSON. */
function sqlOf(body: string): string {
  try {
    return parsePayload(body)
      .queries.map((query) => query.query)
      .join(";\n");
  } catch {
    return body;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { "content-type": "application/json", "access-control-allow-origin": "*", ...headers })
    .end(JSON.stringify(body));
}

/** Neon echoes the transaction options it applied to a batch. */
function batchHeaders(tx: TxOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  if (tx.readOnly) headers["neon-batch-read-only"] = "true";
  if (tx.deferrable) headers["neon-batch-deferrable"] = "true";
  if (tx.isolationLevel) headers["neon-batch-isolation-level"] = tx.isolationLevel;
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > maxBodyBytes) throw new RequestError(413, `request is too large (max is ${maxBodyBytes} bytes)`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A wildcard bind address is not something a client can connect to. */
function urlHost(host: string): string {
  const reachable = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return reachable.includes(":") ? `[${reachable}]` : reachable;
}
