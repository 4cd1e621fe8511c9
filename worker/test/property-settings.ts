// How the property-based tests (fast-check) choose their inputs, decided in Node by vitest.config.ts
// and handed to the tests in workerd, which cannot read the runner's environment.
//
// - In CI (CI=true): one fixed seed, so every run explores the same inputs and a failure replays.
// - Elsewhere: a new seed each run, so local runs keep exploring; fast-check prints the seed of a
//   failure, and PROPERTY_SEED=<seed> replays it.
// - PROPERTY_RUNS=<factor> multiplies every property's number of runs, for a longer search.

export interface PropertySettings {
  /** undefined: fast-check picks one and prints it with any failure. */
  seed: number | undefined;
  runsFactor: number;
}

/** The seed CI uses. Any fixed value will do; changing it explores other inputs. */
const CI_SEED = 20_261_202;

export function propertySettings(env: Record<string, string | undefined>): PropertySettings {
  const seed = env.PROPERTY_SEED ? Number(env.PROPERTY_SEED) : env.CI === "true" ? CI_SEED : undefined;
  if (seed !== undefined && !Number.isSafeInteger(seed)) throw new Error(`PROPERTY_SEED must be an integer: ${seed}`);
  const runsFactor = env.PROPERTY_RUNS ? Number(env.PROPERTY_RUNS) : 1;
  if (!(runsFactor > 0)) throw new Error(`PROPERTY_RUNS must be a positive number: ${env.PROPERTY_RUNS}`);
  return { seed, runsFactor };
}

declare module "vitest" {
  interface ProvidedContext {
    properties: PropertySettings;
  }
}
