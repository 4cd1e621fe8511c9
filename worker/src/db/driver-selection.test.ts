// Which driver serves the Worker's requests: node-postgres over TCP when HYPERDRIVE is bound, the
// Neon HTTP driver otherwise. The expectation comes from the test project (worker-hyperdrive provides
// its Hyperdrive database, worker does not), not from the bindings the code reads, so a matrix that
// ran one mode twice would fail here.
import { env } from "cloudflare:workers";
import { describe, expect, inject, test } from "vitest";
import { call } from "../../test/client.ts";
import { getConfig } from "../config.ts";
import { createDb, dbDriver } from "./client.ts";

const expectedDriver = inject("hyperdrive") ? "node-postgres" : "neon-http";

describe(`this project's mode: ${expectedDriver}`, () => {
  test("GET /api/health is served by the expected driver (Server-Timing names it)", async () => {
    const res = await call("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("Server-Timing")).toMatch(new RegExp(`^db;desc="${expectedDriver}";dur=\\d+(\\.\\d+)?$`));
  });

  test("the HYPERDRIVE binding is there exactly when the project runs in Hyperdrive mode", () => {
    expect(Boolean(env.HYPERDRIVE)).toBe(expectedDriver === "node-postgres");
  });
});

test("createDb picks node-postgres for a HYPERDRIVE binding and the Neon HTTP driver without one", async () => {
  const config = getConfig(env);
  expect(dbDriver(await createDb(config))).toBe("neon-http");
  expect(dbDriver(await createDb(config, {}))).toBe("neon-http");
  // Never connected: the client opens its connection on the first query only.
  expect(dbDriver(await createDb(config, { HYPERDRIVE: { connectionString: "postgres://u:p@127.0.0.1:1/db" } }))).toBe(
    "node-postgres",
  );
});
