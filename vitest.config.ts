// Test projects. `worker` and `worker-db-faults` run inside workerd (the real Worker, Better Auth and
// Neon driver), each against its own local SQL endpoint, so the fault-injection tests can take their
// database down without touching the other suite. `node` runs the dev tooling's own tests in Node,
// `web` the web app's logic (token manager, API client).
import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";
import { TEST_BINDINGS } from "./worker/test/settings.ts";

// Wrangler warns about required secrets missing from process.env while reading wrangler.toml; the
// tests pass theirs as bindings below.
process.env.BETTER_AUTH_SECRET ??= TEST_BINDINGS.BETTER_AUTH_SECRET;
process.env.DATABASE_URL ??= TEST_BINDINGS.DATABASE_URL;

const FAULT_TESTS = ["worker/**/database-outage.test.ts"];

function workerProject(name: string, include: string[], exclude: string[] = []): TestProjectInlineConfiguration {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...TEST_BINDINGS, NEON_HTTP_ENDPOINT: `${inject("sqlEndpointUrl")}/sql` },
        },
      })),
    ],
    test: {
      name,
      include,
      exclude,
      globalSetup: ["./worker/test/global-setup.ts"],
      // The first request in each file loads Better Auth into workerd, which takes seconds.
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
}

export default defineConfig({
  test: {
    projects: [
      workerProject("worker", ["worker/**/*.test.ts"], FAULT_TESTS),
      workerProject("worker-db-faults", FAULT_TESTS),
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
