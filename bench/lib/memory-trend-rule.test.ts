import { describe, expect, it } from "vitest";
import { classify, cpuSeconds, judgeMemory, type RssSample, roleSeries, slope } from "./rss.ts";

/** One sample a second for `seconds`, MiB from f(t). */
const series = (seconds: number, f: (t: number) => number) =>
  Array.from({ length: seconds }, (_, t) => ({ t, mib: f(t) }));

describe("the memory rule (warn when a process is far above its start and still climbing)", () => {
  it("calls warm-up growth that levels off stable, even when it is large", () => {
    // 200 → 330 MiB in the first 15 s (JIT, heap sized to the load), then flat with GC sawtooth.
    const verdict = judgeMemory(series(60, (t) => (t < 15 ? 200 + (130 * t) / 15 : 330 + (t % 5) * 4)));
    expect(verdict.status).toBe("stable");
    expect(verdict.growthMiB).toBeGreaterThan(100);
    expect(verdict.reason).toMatch(/levelled off/);
    expect(verdict.peakMiB).toBe(346);
  });

  it("flags steady growth that is still going at the end", () => {
    // +3 MiB a second for a minute: 180 MiB above a 200 MiB start, climbing ~50 %/min at the end.
    const verdict = judgeMemory(series(60, (t) => 200 + 3 * t));
    expect(verdict.status).toBe("growing");
    expect(verdict.lastHalfSlopeMiBPerMin).toBeCloseTo(180, 0);
    expect(verdict.reason).toMatch(/still climbs/);
  });

  it("ignores GC sawtooth: the end is a median, the trend a least-squares fit", () => {
    const verdict = judgeMemory(series(60, (t) => 300 + (t % 7 === 6 ? 120 : 0)));
    expect(verdict.status).toBe("stable");
    expect(verdict.endMiB).toBe(300);
  });

  it("does not warn about a small process growing by less than 64 MiB, however fast in percent", () => {
    const verdict = judgeMemory(series(60, (t) => 20 + 0.8 * t));
    expect(verdict.status).toBe("stable");
  });

  it("flags a process that more than doubled even if it has stopped climbing", () => {
    const verdict = judgeMemory(series(60, (t) => (t < 20 ? 100 + 10 * t : 300)));
    expect(verdict.status).toBe("growing");
    expect(verdict.reason).toMatch(/more than 2× the start/);
  });

  it("does not judge a handful of samples", () => {
    expect(judgeMemory(series(3, () => 100)).status).toBe("not measured");
  });

  it("fits slopes by least squares", () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(slope([5], [1])).toBe(0);
  });
});

describe("finding the stack's processes", () => {
  it("tells wrangler's proxy (on the public port) from the Worker's workerd, and finds the endpoint and wrangler", () => {
    const workerd = "/x/bin/workerd serve --binary --experimental";
    expect(
      classify({ comm: "workerd", cmdline: `${workerd} --socket-addr=entry=localhost:8794 --external-addr=a` }, 8794),
    ).toBe("proxy");
    expect(
      classify({ comm: "workerd", cmdline: `${workerd} --socket-addr=entry=127.0.0.1:0 --external-addr=a` }, 8794),
    ).toBe("worker");
    expect(classify({ comm: "workerd", cmdline: `${workerd} --socket-addr=entry=localhost:87940` }, 8794)).toBe(
      "worker",
    );
    const endpoint = "/r/node_modules/.bin/node dev/sql-endpoint/main.ts --port 0 --data /tmp/x";
    expect(classify({ comm: "node", cmdline: endpoint }, 8794)).toBe("endpoint");
    expect(classify({ comm: "node", cmdline: "node /r/node_modules/.bin/wrangler dev --port 8794" }, 8794)).toBe(
      "wrangler",
    );
    expect(
      classify(
        { comm: "node", cmdline: "/r/node --no-warnings /r/wrangler/wrangler-dist/cli.js dev --port 8794" },
        8794,
      ),
    ).toBe("wrangler");
    expect(classify({ comm: "esbuild", cmdline: "/r/esbuild --service=0.28.2 --ping" }, 8794)).toBeNull();
    expect(classify({ comm: "node", cmdline: "node bench/load-test.ts" }, 8794)).toBeNull();
  });

  it("sums a role's processes and counts CPU per process, across a workerd restart", () => {
    const samples: RssSample[] = [
      {
        t: 0,
        procs: [
          { pid: 1, role: "worker", kib: 1024, cpuTicks: 100 },
          { pid: 2, role: "proxy", kib: 2048, cpuTicks: 5 },
        ],
      },
      {
        t: 1,
        procs: [
          { pid: 1, role: "worker", kib: 2048, cpuTicks: 250 },
          { pid: 2, role: "proxy", kib: 2048, cpuTicks: 6 },
        ],
      },
      // A reload: the Worker's workerd is a new process.
      { t: 2, procs: [{ pid: 3, role: "worker", kib: 3072, cpuTicks: 40 }] },
      { t: 3, procs: [{ pid: 3, role: "worker", kib: 3072, cpuTicks: 90 }] },
    ];
    expect(roleSeries(samples, "worker")).toEqual([
      { t: 0, mib: 1 },
      { t: 1, mib: 2 },
      { t: 2, mib: 3 },
      { t: 3, mib: 3 },
    ]);
    expect(roleSeries(samples, "proxy")).toHaveLength(2);
    expect(cpuSeconds(samples, "worker", 100)).toBeCloseTo(2); // 150 ticks of pid 1 + 50 of pid 3
  });
});
