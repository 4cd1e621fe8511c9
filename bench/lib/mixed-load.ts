// The load test's traffic: autocannon (through runLoad) at a fixed concurrency, each request planned
// by the ledger from the app's current state (list, get, create, toggle, delete, token refresh), each
// answer recorded in it, with latency and status counted per kind of request. Afterwards, requests
// that never got a 2xx (in flight when the clock stopped, or failed) are replayed idempotently so
// the write audit starts from a known state.
import { runLoad } from "./load.ts";
import { type LatencySummary, summarize } from "./stats.ts";
import { OP_KINDS, type OpKind, type PlannedOp, type TodoLedger } from "./todo-ledger.ts";

export interface KindStats {
  requests: number;
  statusCounts: Record<string, number>;
  latency: LatencySummary;
}

interface Context {
  op?: PlannedOp;
  sentAt?: number;
}

export async function runMixedLoad(
  ledger: TodoLedger,
  options: { baseUrl: string; connections: number; seconds: number },
) {
  const byKind = Object.fromEntries(
    OP_KINDS.map((k) => [k, { latencies: [] as number[], statusCounts: {} }]),
  ) as Record<OpKind, { latencies: number[]; statusCounts: Record<string, number> }>;
  const overall = await runLoad({
    url: options.baseUrl,
    connections: options.connections,
    seconds: options.seconds,
    path: "/api/todos",
    setupRequest: (req, context: Context) => {
      const op = ledger.next();
      const spec = ledger.request(op);
      context.op = op;
      context.sentAt = performance.now();
      return { ...req, method: spec.method, path: spec.path, headers: spec.headers, body: spec.body };
    },
    onResponse: (status, body, context: Context, headers) => {
      const { op, sentAt } = context;
      if (!op || sentAt === undefined) return;
      const kind = byKind[op.kind];
      kind.latencies.push(performance.now() - sentAt);
      kind.statusCounts[status] = (kind.statusCounts[status] ?? 0) + 1;
      try {
        ledger.settle(op, { status, body, headers });
      } catch (error) {
        // Never let a bad answer throw inside autocannon's parser: record it and go on.
        ledger.anomalies.push(
          `${op.kind} ${op.seq}: answer ${status} not readable (${error instanceof Error ? error.message : String(error)}): ${body.slice(0, 200)}`,
        );
      }
    },
  });

  const unanswered = Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number>;
  for (const op of ledger.unanswered()) unanswered[op.kind]++;
  const stats = (k: OpKind): KindStats => ({
    requests: byKind[k].latencies.length,
    statusCounts: byKind[k].statusCounts,
    latency: summarize(byKind[k].latencies),
  });
  return {
    overall,
    byKind: Object.fromEntries(OP_KINDS.map((k) => [k, stats(k)])) as Record<OpKind, KindStats>,
    /** Ops sent that got no answer before the run ended or timed out, by kind. */
    unanswered,
  };
}

export interface Resolution {
  /** Unanswered creates replayed with their Idempotency-Key: the first attempt had written the row... */
  createsWritten: number;
  /** ...or had not (the replay wrote it). */
  createsNotWritten: number;
  /** Unanswered deletes sent again (the todo is gone either way: 204 or 404). */
  deletesReplayed: number;
  /** Other unanswered ops (reads, refreshes, toggles): nothing to resolve for the row count. */
  nothingToResolve: number;
  /** Replays that did not get the expected answer: the audit cannot be exact after one. */
  failed: string[];
}

/** Replays every op that got no 2xx, one at a time, so the ledger knows every row's fate. */
export async function resolveUnanswered(ledger: TodoLedger, baseUrl: string): Promise<Resolution> {
  const resolution: Resolution = {
    createsWritten: 0,
    createsNotWritten: 0,
    deletesReplayed: 0,
    nothingToResolve: 0,
    failed: [],
  };
  for (const op of ledger.unanswered()) {
    if (op.kind !== "create" && op.kind !== "delete") {
      ledger.resolve(op);
      resolution.nothingToResolve++;
      continue;
    }
    // The original request's headers: a create replays with the same Idempotency-Key and title.
    const spec = ledger.request({ ...op, ifMatch: undefined });
    try {
      const res = await fetch(`${baseUrl}${spec.path}`, {
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
      });
      const text = await res.text();
      if (op.kind === "create" && res.status === 201) {
        const body = JSON.parse(text) as { id: string; version: number; completed: boolean };
        ledger.resolve(op);
        ledger.recordCreated(op.user, body.id, body.version, body.completed);
        if (res.headers.get("Idempotent-Replayed") === "true") resolution.createsWritten++;
        else resolution.createsNotWritten++;
      } else if (op.kind === "delete" && (res.status === 204 || res.status === 404)) {
        ledger.resolve(op);
        ledger.recordDeleted(op.user, op.todoId as string);
        resolution.deletesReplayed++;
      } else {
        resolution.failed.push(`${op.kind} ${op.seq}: replay answered ${res.status} ${text.slice(0, 200)}`);
      }
    } catch (error) {
      resolution.failed.push(
        `${op.kind} ${op.seq}: replay failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return resolution;
}
