// Test projects. `worker` and `worker-exclusive` run inside workerd (the real Worker, Better Auth and
// Neon driver), each against its own local SQL endpoint and database. `worker-exclusive` holds the
// files that change what every other test depends on (database faults, key and secret rotation) or
// count every round trip the endpoint serves; they run one at a time, alone on their endpoint. `node` runs the dev tooling's own tests in Node,
// `web` the web app's logic (token manager, API client).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { TEST_BINDINGS } from "./worker/test/settings.ts";

// Wrangler warns about required secrets missing from process.env while reading wrangler.toml; the
// tests pass theirs as bindings below.
process.env.BETTER_AUTH_SECRET ??= TEST_BINDINGS.BETTER_AUTH_SECRET;
process.env.DATABASE_URL ??= TEST_BINDINGS.DATABASE_URL;

const EXCLUSIVE_TESTS = [
  "worker/**/database-outage.test.ts",
  "worker/**/sign-up-atomicity.test.ts",
  "worker/**/key-rotation.test.ts",
  "worker/**/secret-rotation.test.ts",
  "worker/**/verification-cost.test.ts",
  "worker/**/round-trips.test.ts",
];

function workerProject(
  name: string,
  include: string[],
  options: { exclude?: string[]; sequential?: boolean; bindings?: Record<string, string> } = {},
): TestProjectInlineConfiguration {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ...TEST_BINDINGS,
            ...options.bindings,
            NEON_HTTP_ENDPOINT: `${inject("sqlEndpointUrl")}/sql`,
          },
        },
      })),
    ],
    test: {
      name,
      include,
      exclude: options.exclude ?? [],
      fileParallelism: !options.sequential,
      globalSetup: ["./worker/test/global-setup.ts"],
      // The first request in each file loads Better Auth into workerd, which takes seconds.
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
}

export default defineConfig({
  test: {
    // The Worker logs one line per request; in test output that is noise (headers-and-logs.test.ts checks it).
    onConsoleLog: (log) => !log.includes('"msg":"request"'),
    projects: [
      workerProject("worker", ["worker/**/*.test.ts"], { exclude: EXCLUSIVE_TESTS }),
      // A short database timeout, so the tests of a hung database finish quickly.
      workerProject("worker-exclusive", EXCLUSIVE_TESTS, { sequential: true, bindings: { DB_TIMEOUT_MS: "1500" } }),
      {
        test: {
          name: "node",
          include: ["dev/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "web",
          include: ["web/src/**/*.test.{ts,tsx}"],
          environment: "node",
        },
      },
    ],
  },
});
