// Load phases with autocannon: fixed concurrency for a fixed time (or number of requests), every
// response's latency kept so p50/p95/p99 are exact for the sample (autocannon's own histogram has
// no p95), and every non-2xx counted so a broken phase cannot pass for a fast one.
import autocannon from "autocannon";
import { type LatencySummary, summarize } from "./stats.ts";

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Stop after this many requests instead of after durationSeconds. */
  amount?: number;
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Changes each request before it is sent (unique e-mails, a todo id from a list). `context` belongs
   * to the connection and lives until that connection's response (one request in flight at a time).
   */
  setupRequest?: (request: autocannon.Request, context: Record<string, unknown>) => autocannon.Request;
  /** Sees each response (to collect created ids), with the context its request was set up with. */
  onResponse?: (
    status: number,
    body: string,
    context: Record<string, unknown>,
    headers: Record<string, string | string[]>,
  ) => void;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  statusCounts: Record<string, number>;
  /** Non-2xx responses plus connection errors and timeouts. */
  failures: number;
  /** Connection errors (not timeouts) and timeouts; absent in results recorded before they were kept. */
  connectionErrors?: number;
  timeouts?: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const request: autocannon.Request = {
    method: options.method ?? "GET",
    path: options.path,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  };
  if (options.setupRequest) {
    request.setupRequest = (req, context) => options.setupRequest?.(req, context as Record<string, unknown>) ?? req;
  }
  if (options.onResponse) {
    request.onResponse = (status, body, context, headers) =>
      options.onResponse?.(
        status,
        body,
        context as Record<string, unknown>,
        headers as Record<string, string | string[]>,
      );
  }

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        amount: options.amount,
        timeout: 30,
        requests: [request],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
    });
  });
  const requests = latencies.length;
  const non2xx = Object.entries(statusCounts)
    .filter(([status]) => !status.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests,
    seconds: result.duration,
    rps: result.duration > 0 ? requests / result.duration : Number.NaN,
    latency: summarize(latencies),
    statusCounts,
    // autocannon counts a timeout in `errors` too.
    failures: non2xx + result.errors,
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
  };
}
