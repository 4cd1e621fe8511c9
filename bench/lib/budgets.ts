// Every budget of the project, defined here and nowhere else, and their evaluation. A budget is
// "gated" when its figure is stable (a count or a byte size, the same on every machine for the same
// code): `npm run bench:check`, which CI runs, fails on those. Timings vary with the machine and what
// else runs on it, so they are reported beside their budget, never gated.

export type Unit = "round trips" | "bytes" | "ms" | "ratio" | "yes/no" | "modules";

export interface Budget {
  id: string;
  label: string;
  unit: Unit;
  /** "max": the figure must be ≤ limit; "min": ≥ limit. */
  kind: "max" | "min";
  limit: number;
  gated: boolean;
}

export type BudgetStatus = "pass" | "fail" | "missing" | "not measured";

export interface BudgetResult extends Budget {
  value: number | null;
  status: BudgetStatus;
}

const KIB = 1024;

/** Operations whose database round trips are counted, in the order they are reported. */
export const OPERATIONS = [
  { id: "signUp", label: "sign-up", budget: 3, todo: false },
  { id: "signIn", label: "sign-in", budget: 2, todo: false },
  { id: "tokenRefresh", label: "token refresh (GET /api/auth/token)", budget: 1, todo: false },
  { id: "list", label: "list todos", budget: 1, todo: true },
  { id: "create", label: "create todo", budget: 1, todo: true },
  { id: "read", label: "read one todo", budget: 1, todo: true },
  { id: "update", label: "update todo", budget: 1, todo: true },
  { id: "delete", label: "delete todo", budget: 1, todo: true },
  { id: "completeAll", label: "complete all", budget: 1, todo: true },
  { id: "clearCompleted", label: "clear completed", budget: 1, todo: true },
  // The JWT check itself reads nothing from the database.
  { id: "me", label: "who am I (GET /api/me)", budget: 0, todo: false },
] as const;

export type OperationId = (typeof OPERATIONS)[number]["id"];

export function operationLabel(id: string): string {
  return OPERATIONS.find((op) => op.id === id)?.label ?? id;
}

export const BUDGETS: readonly Budget[] = [
  ...OPERATIONS.map(
    (op): Budget => ({
      id: `roundTrips.${op.id}`,
      label: `DB round trips: ${op.label}`,
      unit: "round trips",
      kind: "max",
      limit: op.budget,
      gated: true,
    }),
  ),
  { id: "bundle.gzipBytes", label: "Worker bundle, gzip", unit: "bytes", kind: "max", limit: 350 * KIB, gated: true },
  // Password hashing must stay on workerd's native scrypt: a JavaScript one is ~10× slower per sign-in.
  {
    id: "bundle.nativeScrypt",
    label: "node:crypto's native scrypt bundled, no JavaScript scrypt",
    unit: "yes/no",
    kind: "min",
    limit: 1,
    gated: true,
  },
  // Each module the bundle imports at its top level is loaded at every start: Node built-ins cost
  // 10–45 ms of startup CPU each group, whether or not their user ever runs (worker/src/lazy-builtins).
  {
    id: "bundle.startupImports",
    label: "modules the Worker imports at startup (besides cloudflare:workers)",
    unit: "modules",
    kind: "max",
    limit: 0,
    gated: true,
  },
  {
    id: "pageWeight.jsGzipBytes",
    label: "initial JS of the web app, gzip",
    unit: "bytes",
    kind: "max",
    limit: 40 * KIB,
    gated: true,
  },
  {
    id: "startup.activeMs",
    label: "Worker startup CPU (wrangler check startup)",
    unit: "ms",
    kind: "max",
    limit: 50,
    gated: false,
  },
  {
    id: "authOverhead.ratio",
    label: "auth overhead: req/s with JWT ÷ bypassed",
    unit: "ratio",
    kind: "min",
    limit: 0.9,
    gated: false,
  },
];

/** Judges each budget against the measured figures (keyed by budget id). */
export function evaluateBudgets(
  figures: Readonly<Record<string, number | null | undefined>>,
  budgets: readonly Budget[] = BUDGETS,
): BudgetResult[] {
  return budgets.map((budget) => {
    const value = figures[budget.id];
    if (value === undefined || value === null || Number.isNaN(value)) {
      // A gated figure that could not be measured is a failure to hold the budget, not a pass.
      return { ...budget, value: null, status: budget.gated ? "missing" : "not measured" };
    }
    const ok = budget.kind === "max" ? value <= budget.limit : value >= budget.limit;
    return { ...budget, value, status: ok ? "pass" : "fail" };
  });
}

/** The results that make `bench:check` fail: gated budgets broken or not measured. */
export function gatedFailures(results: readonly BudgetResult[]): BudgetResult[] {
  return results.filter((r) => r.gated && (r.status === "fail" || r.status === "missing"));
}

export function formatValue(value: number | null, unit: Unit): string {
  if (value === null || Number.isNaN(value)) return "—";
  switch (unit) {
    case "bytes":
      return formatBytes(value);
    case "ms":
      return `${value.toFixed(1)} ms`;
    case "ratio":
      return value.toFixed(2);
    case "round trips":
      return String(value);
    case "yes/no":
      return value ? "yes" : "no";
    case "modules":
      return String(value);
  }
}

export function formatBytes(bytes: number): string {
  return bytes < KIB ? `${bytes} B` : `${(bytes / KIB).toFixed(1)} KiB`;
}

export function formatLimit(budget: Budget): string {
  if (budget.unit === "yes/no") return formatValue(budget.limit, budget.unit);
  return `${budget.kind === "max" ? "≤" : "≥"} ${formatValue(budget.limit, budget.unit)}`;
}

/** One line saying what broke, e.g. "DB round trips: token refresh: 3, budget ≤ 2". */
export function describeResult(result: BudgetResult): string {
  const mark = { pass: "ok  ", fail: "FAIL", missing: "MISS", "not measured": "--  " }[result.status];
  const value = result.status === "missing" ? "not measured" : formatValue(result.value, result.unit);
  const gate = result.gated ? "" : " (timing: reported, not gated)";
  return `${mark} ${result.label}: ${value}, budget ${formatLimit(result)}${gate}`;
}
