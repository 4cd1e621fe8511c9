// Test projects. `worker` and `worker-exclusive` run inside workerd (the real Worker, Better Auth and
// Neon driver), each against its own local SQL endpoint and database. `worker-exclusive` holds the
// files that change what every other test depends on (database faults, key and secret rotation) or
// count every round trip the endpoint serves; they run one at a time, alone on their endpoint. `node` runs the dev tooling's own tests in Node,
// `web` the web app's logic (token manager, API client).
// `worker-hyperdrive` runs the `worker` project's files again with a local Hyperdrive binding, so the
// Worker serves every request over TCP with node-postgres, on a fresh database on a PostgreSQL server.
// It needs that server, so it runs only when TEST_HYPERDRIVE_SERVER names one (`npm run test:hyperdrive`).
import { fileURLToPath } from "node:url";
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { HYPERDRIVE_SERVER_VARIABLE } from "./worker/test/hyperdrive.ts";
import { propertySettings } from "./worker/test/property-settings.ts";
import { TEST_BINDINGS } from "./worker/test/settings.ts";

// Wrangler warns about required secrets missing from process.env while reading wrangler.toml; the
// tests pass theirs as bindings below.
process.env.BETTER_AUTH_SECRET ??= TEST_BINDINGS.BETTER_AUTH_SECRET;
process.env.DATABASE_URL ??= TEST_BINDINGS.DATABASE_URL;

/**
 * Time limits that stop only a hung test: a busy machine runs everything several times slower, and
 * a slow run must not fail (timings belong in `npm run bench`).
 */
const PATIENT = { testTimeout: 10 * 60_000, hookTimeout: 10 * 60_000 };

const EXCLUSIVE_TESTS = [
  "worker/**/database-outage.test.ts",
  "worker/**/sign-up-atomicity.test.ts",
  "worker/**/key-rotation.test.ts",
  "worker/**/secret-rotation.test.ts",
  "worker/**/verification-cost.test.ts",
];

function workerProject(
  name: string,
  include: string[],
  options: {
    exclude?: string[];
    sequential?: boolean;
    bindings?: Record<string, string>;
    /** Bind HYPERDRIVE to the database the global setup provides (worker/test/hyperdrive-global-setup.ts). */
    hyperdrive?: boolean;
    globalSetup?: string;
  } = {},
): TestProjectInlineConfiguration {
  return {
    plugins: [
      cloudflareTest(({ inject }) => {
        const hyperdrive = options.hyperdrive ? inject("hyperdrive") : undefined;
        if (options.hyperdrive && !hyperdrive)
          throw new Error(`${name}: its global setup provided no Hyperdrive database`);
        return {
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            bindings: {
              ...TEST_BINDINGS,
              ...options.bindings,
              NEON_HTTP_ENDPOINT: `${inject("sqlEndpointUrl")}/sql`,
            },
            ...(hyperdrive ? { hyperdrives: { HYPERDRIVE: hyperdrive.connectionString } } : {}),
          },
        };
      }),
    ],
    test: {
      name,
      include,
      exclude: options.exclude ?? [],
      fileParallelism: !options.sequential,
      globalSetup: [options.globalSetup ?? "./worker/test/global-setup.ts"],
      // The property tests' seed and size: fixed in CI, new each run elsewhere (property-settings.ts).
      provide: { properties: propertySettings(process.env) },
      ...PATIENT,
    },
  };
}

export default defineConfig({
  resolve: {
    alias: {
      // In workerd, pg opens its TCP socket with pg-cloudflare, which wrangler's bundler finds by its
      // "workerd" export condition. The test runner resolves the require() calls of CommonJS packages
      // such as pg through this root config, without that condition, and would load the package's
      // empty stand-in; point it at the real one. (No effect on the Node projects: pg requires it
      // only inside workerd.)
      "pg-cloudflare": fileURLToPath(new URL("./node_modules/pg-cloudflare/dist/index.js", import.meta.url)),
    },
  },
  test: {
    // The Worker logs one line per request; in test output that is noise (headers-and-logs.test.ts checks it).
    onConsoleLog: (log) => !log.includes('"msg":"request"'),
    projects: [
      workerProject("worker", ["worker/**/*.test.ts"], { exclude: EXCLUSIVE_TESTS }),
      // A short database timeout, so the tests of a hung database finish quickly.
      workerProject("worker-exclusive", EXCLUSIVE_TESTS, { sequential: true, bindings: { DB_TIMEOUT_MS: "1500" } }),
      // Not the exclusive files: they need the SQL endpoint's fault injection and round-trip counter,
      // which see nothing of what the Worker does over TCP.
      ...(process.env[HYPERDRIVE_SERVER_VARIABLE]
        ? [
            workerProject("worker-hyperdrive", ["worker/**/*.test.ts"], {
              exclude: EXCLUSIVE_TESTS,
              hyperdrive: true,
              globalSetup: "./worker/test/hyperdrive-global-setup.ts",
            }),
          ]
        : []),
      {
        test: {
          name: "node",
          ...PATIENT,
          include: ["contract/**/*.test.ts", "dev/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "web",
          ...PATIENT,
          include: ["web/src/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
    ],
  },
});
