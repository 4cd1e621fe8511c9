// Every budget of the project, defined here and nowhere else, and their evaluation. A budget is
// "gated" when its figure is stable (a count or a byte size, the same on every machine for the same
// code): `npm run bench:check`, which CI runs, fails on those. Timings vary with the machine and what
// else runs on it, so they are reported beside their budget, never gated.

const KIB = 1024;

/** Operations whose database round trips are counted, in report order, with their budget. */
export const OPERATIONS = [
  { id: "signUp", label: "sign-up", budget: 2 },
  { id: "signIn", label: "sign-in", budget: 2 },
  { id: "tokenRefresh", label: "token refresh (GET /api/auth/token)", budget: 1 },
  { id: "list", label: "list todos", budget: 1 },
  { id: "create", label: "create todo", budget: 1 },
  { id: "read", label: "read one todo", budget: 1 },
  { id: "update", label: "update todo", budget: 1 },
  { id: "delete", label: "delete todo", budget: 1 },
  { id: "completeAll", label: "complete all", budget: 1 },
  { id: "clearCompleted", label: "clear completed", budget: 1 },
  // The JWT check itself reads nothing from the database.
  { id: "me", label: "who am I (GET /api/me)", budget: 0 },
] as const;

export type OperationId = (typeof OPERATIONS)[number]["id"];

export const operationLabel = (id: OperationId) => OPERATIONS.find((op) => op.id === id)!.label;

export type Unit = "count" | "bytes" | "ms" | "ratio" | "yes/no";

export interface Budget {
  id: string;
  label: string;
  unit: Unit;
  limit: number;
  /** The figure must be at least the limit (otherwise at most). */
  min?: true;
  gated: boolean;
}

export const BUDGETS: readonly Budget[] = [
  ...OPERATIONS.map((op) => ({
    id: `roundTrips.${op.id}`,
    label: `DB round trips: ${op.label}`,
    unit: "count" as const,
    limit: op.budget,
    gated: true,
  })),
  { id: "bundle.gzipBytes", label: "Worker bundle, gzip", unit: "bytes", limit: 350 * KIB, gated: true },
  // Password hashing must stay on workerd's native scrypt: a JavaScript one is ~10× slower per sign-in.
  {
    id: "bundle.nativeScrypt",
    label: "node:crypto's native scrypt bundled, no JavaScript scrypt",
    unit: "yes/no",
    limit: 1,
    min: true,
    gated: true,
  },
  // workerd loads each module a bundle imports at its top level at every start, whether or not the
  // code that uses it ever runs: Node built-ins cost 10–45 ms of startup CPU each group.
  {
    id: "bundle.startupImports",
    label: "modules the Worker imports at startup (besides cloudflare:workers)",
    unit: "count",
    limit: 0,
    gated: true,
  },
  {
    id: "pageWeight.jsGzipBytes",
    label: "initial JS of the web app, gzip",
    unit: "bytes",
    limit: 40 * KIB,
    gated: true,
  },
  { id: "startup.activeMs", label: "Worker startup CPU (wrangler check startup)", unit: "ms", limit: 50, gated: false },
  {
    id: "authOverhead.ratio",
    label: "auth overhead: req/s with JWT ÷ bypassed",
    unit: "ratio",
    limit: 0.9,
    min: true,
    gated: false,
  },
];

/** "missing": a gated figure that could not be measured, which breaks its budget as surely as a bad one. */
export type Status = "pass" | "fail" | "missing" | "not measured";

export interface BudgetResult extends Budget {
  value: number | null;
  status: Status;
}

/** Judges each budget against the measured figures (keyed by budget id). */
export function evaluateBudgets(figures: Readonly<Record<string, number | null | undefined>>): BudgetResult[] {
  return BUDGETS.map((budget) => {
    const value = figures[budget.id];
    if (value === undefined || value === null || Number.isNaN(value))
      return { ...budget, value: null, status: budget.gated ? "missing" : "not measured" };
    const ok = budget.min ? value >= budget.limit : value <= budget.limit;
    return { ...budget, value, status: ok ? "pass" : "fail" };
  });
}

/** The results that make `bench:check` fail: gated budgets broken or not measured, never a timing. */
export const broken = (results: readonly BudgetResult[]) => results.filter((r) => r.gated && r.status !== "pass");
