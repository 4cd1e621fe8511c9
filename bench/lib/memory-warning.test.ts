import { describe, expect, it } from "vitest";
import { classify, cpuSeconds, memoryOf, memoryWarning, type RssSample, roleSeries } from "./rss.ts";

describe("the memory warning (the Worker's workerd against wrangler's proxy, which runs none of the app's code)", () => {
  const memory = (worker: [number, number], proxy: [number, number]) => {
    const role = ([start, end]: [number, number]) => ({ startMiB: start, peakMiB: end, endMiB: end });
    const other = role([100, 100]);
    return { worker: role(worker), proxy: role(proxy), endpoint: other, wrangler: other };
  };

  it("stays quiet when both workerd grow alike with the requests they serve", () => {
    expect(memoryWarning(memory([200, 400], [100, 280]))).toBeNull();
  });

  it("warns when the Worker grows more than 64 MiB beyond the proxy's growth", () => {
    expect(memoryWarning(memory([200, 500], [100, 200]))).toBe(
      "the Worker's workerd grew 300 MiB, 200 MiB more than wrangler's proxy (100 MiB), which runs none of the app's code",
    );
  });

  it("takes the end as a median, so one GC spike does not move it", () => {
    const series = [300, 300, 300, 420, 300, 300].map((mib, t) => ({ t, mib }));
    expect(memoryOf(series)).toEqual({ startMiB: 300, peakMiB: 420, endMiB: 300 });
    expect(memoryOf([]).endMiB).toBeNaN();
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
