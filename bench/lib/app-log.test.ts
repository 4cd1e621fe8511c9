import { describe, expect, it } from "vitest";
import { routeKey, scanAppLog } from "./app-log.ts";

const request = (method: string, path: string, status: number, ms: number) =>
  JSON.stringify({ level: status >= 500 ? "error" : "info", msg: "request", requestId: "r", method, path, status, ms });

describe("reading the app's output after a load run", () => {
  it("groups the Worker's request log by route, counts 5xx and reloads, and skips offline noise", () => {
    const id = "0b5e3a4c-1f2d-4e5f-8a9b-0c1d2e3f4a5b";
    const text = [
      "[wrangler:warn] Unable to fetch the `Request.cf` object! Falling back to a default placeholder...",
      "Error: getaddrinfo ENOTFOUND workers.cloudflare.com",
      "    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)",
      request("GET", "/api/todos", 200, 4),
      `[wrangler:info] GET /api/todos 200 OK (9ms)`,
      request("PATCH", `/api/todos/${id}`, 200, 6),
      request("PATCH", `/api/todos/${id.replace("0b", "ff")}`, 200, 8),
      `\x1b[31m${request("POST", "/api/todos", 503, 5001)}\x1b[0m`,
      "\x1b[2m⎔ Reloading local server...\x1b[0m",
      "✘ [ERROR] Uncaught TypeError: boom",
    ].join("\n");
    const findings = scanAppLog(text);
    expect(findings.reloads).toBe(1);
    expect(findings.serverErrors).toBe(1);
    expect(findings.statusByRoute).toEqual({
      "GET /api/todos": { 200: 1 },
      "PATCH /api/todos/:id": { 200: 2 },
      "POST /api/todos": { 503: 1 },
    });
    expect(findings.workerMs["PATCH /api/todos/:id"]).toMatchObject({ count: 2, p50Ms: 6, maxMs: 8 });
    expect(findings.errorLines).toHaveLength(2);
    expect(findings.errorLines[0]).toContain('"status":503');
    expect(findings.errorLines[1]).toContain("Uncaught TypeError");
  });

  it("names routes with ids replaced", () => {
    expect(routeKey("DELETE", "/api/todos/0B5E3A4C-1F2D-4E5F-8A9B-0C1D2E3F4A5B")).toBe("DELETE /api/todos/:id");
  });
});
