import { describe, expect, it } from "vitest";
import { scanAppLog } from "./app-log.ts";

const request = (method: string, path: string, status: number, ms: number) =>
  JSON.stringify({ level: status >= 500 ? "error" : "info", msg: "request", requestId: "r", method, path, status, ms });

describe("reading wrangler dev's output after a load run", () => {
  it("times the Worker's request log by route, ids folded, and counts 5xx and error lines", () => {
    const id = "0b5e3a4c-1f2d-4e5f-8a9b-0c1d2e3f4a5b";
    const text = [
      request("GET", "/api/todos", 200, 4),
      "[wrangler:info] GET /api/todos 200 OK (9ms)",
      request("PATCH", `/api/todos/${id}`, 200, 6),
      request("PATCH", `/api/todos/${id.toUpperCase().replace("0B", "FF")}`, 200, 8),
      `\x1b[31m${request("POST", "/api/todos", 503, 5001)}\x1b[0m`,
      "✘ [ERROR] Uncaught TypeError: boom",
    ].join("\n");
    const findings = scanAppLog(text);
    expect(findings.serverErrors).toBe(1);
    expect(Object.keys(findings.workerMs).sort()).toEqual([
      "GET /api/todos",
      "PATCH /api/todos/:id",
      "POST /api/todos",
    ]);
    expect(findings.workerMs["PATCH /api/todos/:id"]).toMatchObject({ count: 2, p50Ms: 6, maxMs: 8 });
    expect(findings.errorLines).toHaveLength(2);
    expect(findings.errorLines[0]).toContain('"status":503');
    expect(findings.errorLines[1]).toContain("Uncaught TypeError");
  });
});
