// Settings of the `worker-hyperdrive` test project (the Worker suite in Hyperdrive mode), shared by
// vitest.config.ts, the project's global setup and the tests that differ by mode.

/**
 * The PostgreSQL server the project creates its database on, as a URL to a database there that may
 * be connected to (e.g. postgres://postgres@127.0.0.1:5432/postgres). The project runs only when it
 * is set: `npm run test:hyperdrive` sets it, so plain `npm test` needs no PostgreSQL server.
 */
export const HYPERDRIVE_SERVER_VARIABLE = "TEST_HYPERDRIVE_SERVER";

/** Most connections the stand-in for Hyperdrive's pool keeps open to the server at once. */
export const HYPERDRIVE_POOL_SIZE = 20;

export interface HyperdriveTestSetup {
  /** The local Hyperdrive binding's origin: the fresh database, behind the pool stand-in. */
  connectionString: string;
  /** A port that accepts TCP connections and never answers: a hung database. */
  silentPort: number;
}

declare module "vitest" {
  interface ProvidedContext {
    /** Set in the worker-hyperdrive project only: the Worker serves every request over TCP there. */
    hyperdrive: HyperdriveTestSetup | undefined;
  }
}
