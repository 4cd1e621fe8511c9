// Auth overhead: requests/s of the same handler with the JWT check and with it bypassed, in the same
// workerd, measured in pairs back to back with the order alternating round by round. The figure is
// the median of the per-round ratios: a round slowed by other work on the machine slows both sides.
// Also the JWT verification cost inside workerd, cached key set against a key import per call.
import { authHeaders, type BenchClient, type Identity, VARIANT_PREFIX, type Variant } from "./api.ts";
import { runLoad } from "./load.ts";
import { median } from "./stats.ts";

export interface PairResult {
  withJwtRps: number[];
  bypassedRps: number[];
  /** Per round, and their median. */
  ratios: number[];
  ratio: number;
}

export interface OverheadResult {
  connections: number;
  /** Per run of the GET todos pair; the other runs take half of it. */
  seconds: number;
  rounds: number;
  /** The handler the budget is about: one DB round trip per request. */
  list: PairResult;
  /** No database in the loop: the check's CPU alone, the worst case for the ratio. */
  me: PairResult;
  /** The production GET /api/todos, for reference (its chain adds CORS and the body limit). */
  productionRps: number[];
  failures: number;
}

export async function measureAuthOverhead(
  client: BenchClient,
  who: Identity,
  options: { connections: number; seconds: number; rounds: number; log: (message: string) => void },
): Promise<OverheadResult> {
  let failures = 0;
  const rps = async (variant: Variant, path: string, seconds: number): Promise<number> => {
    const result = await runLoad({
      url: client.baseUrl,
      connections: options.connections,
      seconds,
      path: `${VARIANT_PREFIX[variant]}${path}`,
      headers: authHeaders(variant, who),
    });
    failures += result.failures;
    options.log(`  ${variant.padEnd(8)} ${path.padEnd(6)} ${result.rps.toFixed(0)} req/s`);
    return result.rps;
  };
  // The figure with a budget (GET todos) gets the full run time; the reference figures half of it.
  const short = Math.max(1, options.seconds / 2);
  const pairs = {
    list: { path: "/todos", seconds: options.seconds, jwt: [] as number[], bypassed: [] as number[] },
    me: { path: "/me", seconds: short, jwt: [] as number[], bypassed: [] as number[] },
  };
  const productionRps: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    for (const pair of Object.values(pairs)) {
      const order = round % 2 === 0 ? (["benchJwt", "bypass"] as const) : (["bypass", "benchJwt"] as const);
      for (const variant of order)
        (variant === "benchJwt" ? pair.jwt : pair.bypassed).push(await rps(variant, pair.path, pair.seconds));
    }
    productionRps.push(await rps("jwt", "/todos", short));
  }
  const result = ({ jwt, bypassed }: { jwt: number[]; bypassed: number[] }): PairResult => {
    const ratios = jwt.map((value, i) => value / bypassed[i]!);
    return { withJwtRps: jwt, bypassedRps: bypassed, ratios, ratio: median(ratios) };
  };
  const { connections, seconds, rounds } = options;
  return { connections, seconds, rounds, list: result(pairs.list), me: result(pairs.me), productionRps, failures };
}

export interface VerifyResult {
  iterations: number;
  repetitions: number;
  cachedUs: number;
  importUs: number;
}

/**
 * Each mode timed from outside workerd (whose clocks do not advance during CPU work): a request
 * running n verifications minus one running none, over n. Repeated, modes alternating, median taken.
 */
export async function measureVerify(client: BenchClient, token: string, iterations = 2000, repetitions = 3) {
  const time = async (mode: "cached" | "import", n: number) => {
    const started = performance.now();
    await client.expect(200, "GET", `/__bench/verify?mode=${mode}&n=${n}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return performance.now() - started;
  };
  const perCall = { cached: [] as number[], import: [] as number[] };
  for (const mode of ["cached", "import"] as const) await time(mode, 200); // warm-up
  for (let rep = 0; rep < repetitions; rep++) {
    for (const mode of ["cached", "import"] as const) {
      const baseline = await time(mode, 0);
      perCall[mode].push((Math.max(0, (await time(mode, iterations)) - baseline) / iterations) * 1000);
    }
  }
  return { iterations, repetitions, cachedUs: median(perCall.cached), importUs: median(perCall.import) };
}
