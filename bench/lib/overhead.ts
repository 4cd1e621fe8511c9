// Phase 3: auth overhead — requests/s of the same handler with the JWT check and with it bypassed,
// in the same workerd. Measured in pairs, back to back, the order alternating round by round; the
// figure is the median of the per-round ratios, which cancels drift on a shared machine.
// Phase 4: JWT verification cost inside workerd, cached key set vs a key import per verification.
import { authHeaders, type BenchClient, type Identity, VARIANT_PREFIX, type Variant } from "./api.ts";
import { runLoad } from "./load.ts";
import { median, pairedRatios, perIteration, ratio } from "./stats.ts";

interface Target {
  label: string;
  variant: Variant;
  path: string;
}

const PAIRS = {
  /** The handler the budget is about: one DB round trip per request. */
  list: {
    withJwt: { label: "GET todos, requireJwt", variant: "benchJwt", path: "/todos" },
    bypassed: { label: "GET todos, check bypassed", variant: "bypass", path: "/todos" },
  },
  /** No database in the loop: the check's CPU cost alone, the worst case for the ratio. */
  me: {
    withJwt: { label: "GET me (no DB), requireJwt", variant: "benchJwt", path: "/me" },
    bypassed: { label: "GET me (no DB), check bypassed", variant: "bypass", path: "/me" },
  },
} satisfies Record<string, { withJwt: Target; bypassed: Target }>;

const PRODUCTION: Target = { label: "GET /api/todos (production app)", variant: "jwt", path: "/todos" };

export interface PairResult {
  withJwtRps: number[];
  bypassedRps: number[];
  ratios: number[];
  /** Median of the per-round ratios. */
  ratio: number;
  min: number;
  max: number;
}

export interface OverheadResult {
  connections: number;
  /** Per run of the GET todos pair; the other runs take half of it. */
  seconds: number;
  rounds: number;
  list: PairResult;
  me: PairResult;
  /** The production route, for reference (its chain adds CORS and the body limit). */
  productionRps: number[];
  failures: number;
  /** list.ratio: the figure with a target (≥ 0.9). */
  ratio: number;
}

export async function measureAuthOverhead(
  client: BenchClient,
  who: Identity,
  options: { connections: number; seconds: number; rounds: number; log: (m: string) => void },
): Promise<OverheadResult> {
  let failures = 0;
  // The figure with a target gets the full run time; the reference figures half of it.
  const seconds = (target: Target) =>
    target.path === "/todos" && target.variant !== "jwt" ? options.seconds : Math.max(1, options.seconds / 2);
  const rps = async (target: Target, round: number): Promise<number> => {
    const result = await runLoad({
      url: client.baseUrl,
      connections: options.connections,
      durationSeconds: seconds(target),
      path: `${VARIANT_PREFIX[target.variant]}${target.path}`,
      headers: authHeaders(target.variant, who),
    });
    failures += result.failures;
    options.log(
      `  round ${round + 1} ${target.label.padEnd(32)} ${result.rps.toFixed(0)} req/s${result.failures ? ` ${result.failures} FAILED` : ""}`,
    );
    return result.rps;
  };
  const samples = { list: { a: [] as number[], b: [] as number[] }, me: { a: [] as number[], b: [] as number[] } };
  const productionRps: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const name of ["list", "me"] as const) {
      const pair = PAIRS[name];
      if (round % 2 === 0) {
        samples[name].a.push(await rps(pair.withJwt, round));
        samples[name].b.push(await rps(pair.bypassed, round));
      } else {
        samples[name].b.push(await rps(pair.bypassed, round));
        samples[name].a.push(await rps(pair.withJwt, round));
      }
    }
    productionRps.push(await rps(PRODUCTION, round));
  }
  const pairResult = (name: "list" | "me"): PairResult => {
    const { a, b } = samples[name];
    const paired = pairedRatios(a, b);
    return {
      withJwtRps: a,
      bypassedRps: b,
      ratios: paired.ratios,
      ratio: paired.median,
      min: paired.min,
      max: paired.max,
    };
  };
  const list = pairResult("list");
  return {
    connections: options.connections,
    seconds: options.seconds,
    rounds: options.rounds,
    list,
    me: pairResult("me"),
    productionRps,
    failures,
    ratio: list.ratio,
  };
}

export interface VerifyResult {
  iterations: number;
  repetitions: number;
  cachedUs: number;
  importUs: number;
  /** importUs ÷ cachedUs. */
  slowdown: number;
}

async function timeVerify(client: BenchClient, token: string, mode: "cached" | "import", n: number): Promise<number> {
  const started = performance.now();
  await client.expect(200, "GET", `/__bench/verify?mode=${mode}&n=${n}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return performance.now() - started;
}

/**
 * Each mode timed from outside workerd (whose clocks do not advance during CPU work): a run of n
 * verifications minus a run of none, over n. Repeated, modes alternating, median taken.
 */
export async function measureVerify(
  client: BenchClient,
  token: string,
  iterations = 2000,
  repetitions = 3,
): Promise<VerifyResult> {
  const perMode: Record<"cached" | "import", number[]> = { cached: [], import: [] };
  for (const mode of ["cached", "import"] as const) await timeVerify(client, token, mode, 200); // warm-up
  for (let rep = 0; rep < repetitions; rep++) {
    for (const mode of ["cached", "import"] as const) {
      const baseline = await timeVerify(client, token, mode, 0);
      const elapsed = await timeVerify(client, token, mode, iterations);
      perMode[mode].push(perIteration(elapsed, baseline, iterations) * 1000);
    }
  }
  const cachedUs = median(perMode.cached);
  const importUs = median(perMode.import);
  return { iterations, repetitions, cachedUs, importUs, slowdown: ratio(importUs, cachedUs) };
}
