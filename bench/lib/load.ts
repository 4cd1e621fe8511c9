// A load phase with autocannon: fixed concurrency for a fixed time (or number of requests), every
// response's latency kept so p50/p95/p99 are exact for the sample (autocannon's own histogram has
// no p95), and every non-2xx counted so a broken phase cannot pass for a fast one.
import autocannon from "autocannon";
import { type LatencySummary, summarize } from "./stats.ts";

type Context = Record<string, unknown>;

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Stop after this many requests instead of after `seconds`. */
  amount?: number;
  method?: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  headers?: Record<string, string>;
  body?: unknown;
  /**
   * Changes each request before it is sent (unique e-mails, a todo id). `context` belongs to the
   * connection and lives until that connection's response (one request in flight at a time).
   */
  setupRequest?: (request: autocannon.Request, context: Context) => autocannon.Request;
  /** Sees each response, with the context its request was set up with. */
  onResponse?: (status: number, body: string, context: Context, headers: Record<string, string | string[]>) => void;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  statusCounts: Record<string, number>;
  /** Non-2xx responses plus connection errors and timeouts. */
  failures: number;
  connectionErrors: number;
  timeouts: number;
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const { setupRequest, onResponse } = options;
  const request: autocannon.Request = {
    method: options.method ?? "GET",
    path: options.path,
    headers: { ...options.headers, ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    ...(setupRequest && { setupRequest: (req, context) => setupRequest(req, context as Context) }),
    ...(onResponse && {
      onResponse: (status, body, context, headers) =>
        onResponse(status, body, context as Context, headers as Record<string, string | string[]>),
    }),
  };
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
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
  const non2xx = Object.entries(statusCounts)
    .filter(([status]) => !status.startsWith("2"))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latencies.length,
    seconds: result.duration,
    rps: result.duration > 0 ? latencies.length / result.duration : Number.NaN,
    latency: summarize(latencies),
    statusCounts,
    // autocannon counts a timeout in `errors` too.
    failures: non2xx + result.errors,
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
  };
}
