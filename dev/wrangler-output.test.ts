// npm start's terminal: the steps, the URL, one line per request and warnings that call for action.
// The lines below are what `wrangler dev` prints for this app, start-up and two requests.
import { expect, it } from "vitest";
import { tidyWranglerLine } from "./wrangler-output.ts";

const WRANGLER_DEV = `
 ⛅️ wrangler 4.164.0
────────────────────
Using secrets defined in .dev.vars
Your Worker has access to the following bindings:
Binding                                         Resource                  Mode
env.RATE_LIMITER (RateLimiter)                  Durable Object            local
env.ASSETS                                      Assets                    local
env.PUBLIC_BASE_URL ("(hidden)")                Environment Variable      local
env.ACCESS_TOKEN_TTL_SECONDS ("900")            Environment Variable      local

⎔ Starting local server...
[wrangler:info] ✨ Parsed 2 valid header rules.
[wrangler:info] Ready on http://localhost:8798
{"level":"info","msg":"request","requestId":"e0b1","method":"GET","path":"/api/health","status":200,"ms":178}
[wrangler:info] GET /api/health 200 OK (3217ms)
{"level":"warn","msg":"database unavailable","requestId":"1cf6","error":{"description":"NeonDbError"}}
{"level":"error","msg":"request","requestId":"1cf6","method":"POST","path":"/api/todos","status":503,"ms":16}
[wrangler:info] POST /api/todos 503 Service Unavailable (329ms)
[wrangler:info] GET / 200 OK (27ms)
[wrangler:warn] The latest compatibility date supported by the installed Cloudflare Workers Runtime is "2026-11-01"`;

it("shows one line per request and every warning, and nothing of wrangler's start-up chatter", () => {
  const shown = WRANGLER_DEV.split("\n").flatMap((line) => tidyWranglerLine(line) ?? []);
  expect(shown).toEqual([
    "  GET /api/health → 200 (178 ms)",
    '{"level":"warn","msg":"database unavailable","requestId":"1cf6","error":{"description":"NeonDbError"}}',
    "  POST /api/todos → 503 (16 ms)",
    "[wrangler:info] GET / 200 OK (27ms)",
    '[wrangler:warn] The latest compatibility date supported by the installed Cloudflare Workers Runtime is "2026-11-01"',
  ]);
});
