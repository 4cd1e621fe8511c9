import { describe, expect, it } from "vitest";
import {
  bytesByPackage,
  type CpuProfile,
  nativeScrypt,
  packageOf,
  startupByPackage,
  startupImports,
} from "./bundle.ts";

const BUNDLE = [
  "var __init = () => {};", // 1: esbuild runtime
  "// node_modules/zod/v4/core/core.js", // 2
  "function build() {}", // 3
  "// node_modules/@better-auth/core/dist/index.mjs", // 4
  "var schema = build();", // 5
  'import { randomBytes, scrypt } from "node:crypto";', // 6
  "// worker/src/index.ts", // 7
  "export default {};", // 8
].join("\n");

describe("scrypt in the bundle", () => {
  it("recognizes node:crypto's scrypt, imported or loaded on first use (worker/src/lazy-builtins), minified or not", () => {
    expect(nativeScrypt(BUNDLE)).toBe(true);
    expect(nativeScrypt('import{randomBytes as xz,scrypt as Iz}from"node:crypto";')).toBe(true);
    expect(nativeScrypt('import * as nc from "node:crypto"; nc.scrypt(p, s, 64, cb)')).toBe(true);
    const unminified =
      'module.exports = process.getBuiltinModule("node:crypto");\n(0, import_node_crypto.scrypt)(password, salt, 64, {}, cb);';
    expect(nativeScrypt(unminified)).toBe(true);
    expect(nativeScrypt('a.exports=process.getBuiltinModule("node:crypto");(0,Xz.scrypt)(p,s,64,{},c)')).toBe(true);
    // The module alone is not the hash: a scrypt call must be in the bundle too.
    expect(nativeScrypt('a.exports=process.getBuiltinModule("node:crypto");(0,Xz.randomBytes)(16)')).toBe(false);
  });

  it("fails a bundle with a JavaScript scrypt, or without the native one", () => {
    const noble =
      "// node_modules/@noble/hashes/scrypt.js\nthrow new Error('\"N\" expected a power of 2, and 2^1 <= N <= 2^32');";
    expect(nativeScrypt(`${BUNDLE}\n${noble}`)).toBe(false);
    expect(nativeScrypt('import { randomBytes } from "node:crypto";')).toBe(false);
  });
});

describe("modules imported at startup", () => {
  it("lists top-level imports but the runtime's own, minified or not, and not dynamic import()", () => {
    expect(startupImports(BUNDLE)).toEqual(["node:crypto"]);
    const minified =
      'import{DurableObject as a}from"cloudflare:workers";import b from"events";import*as c from"tls";var d=()=>import("./x.js");';
    expect(startupImports(minified)).toEqual(["events", "tls"]);
    expect(startupImports('import { DurableObject } from "cloudflare:workers";\nexport default {};')).toEqual([]);
  });
});

describe("attribution by package", () => {
  it("names packages, scoped ones included, and the app itself", () => {
    expect(packageOf("node_modules/@better-auth/core/dist/index.mjs")).toBe("@better-auth/core");
    expect(packageOf("node_modules/a/node_modules/b/x.js")).toBe("b");
    expect(packageOf("worker/src/index.ts")).toBe("worker/src (this app)");
  });

  it("counts each module's bytes towards its package", () => {
    const shares = Object.fromEntries(bytesByPackage(BUNDLE).map((s) => [s.name, s.value]));
    expect(shares["(bundler runtime)"]).toBe("var __init = () => {};\n".length);
    expect(shares.zod).toBe("// node_modules/zod/v4/core/core.js\nfunction build() {}\n".length);
    expect(Object.keys(shares)).toHaveLength(4);
  });

  it("charges startup samples to the package of the line that ran, helpers to their caller", () => {
    const url = "work/main/index.js";
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: -1 }, children: [2, 5, 6, 8] },
        // top level of the bundle, executing line 5 (a @better-auth/core statement)
        {
          id: 2,
          callFrame: { functionName: "", url, lineNumber: -1 },
          children: [3],
          positionTicks: [{ line: 5, ticks: 1 }],
        },
        // zod's build() (0-based line 2 = bundle line 3), called from there
        { id: 3, callFrame: { functionName: "build", url, lineNumber: 2 }, children: [4, 7] },
        // esbuild's __init helper (line 1) called by build(): charged to zod, its caller
        { id: 4, callFrame: { functionName: "__init", url, lineNumber: 0 } },
        { id: 5, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: -1 } },
        { id: 6, callFrame: { functionName: "(idle)", url: "", lineNumber: -1 } },
        // workerd's node:process, called by zod's build(); and once straight from the runtime
        { id: 7, callFrame: { functionName: "getStdio", url: "node-internal:public_process", lineNumber: 241 } },
        { id: 8, callFrame: { functionName: "", url: "node-internal:events", lineNumber: 10 } },
      ],
      samples: [2, 3, 3, 4, 5, 6, 6, 7, 8],
      timeDeltas: [1000, 2000, 2000, 500, 700, 9000, 9000, 300, 200],
    };
    const shares = Object.fromEntries(startupByPackage(profile, "/index.js", BUNDLE).map((s) => [s.name, s.value]));
    expect(shares).toEqual({
      zod: 4.5,
      "@better-auth/core": 1,
      "(garbage collector)": 0.7,
      "zod → workerd built-ins": 0.3,
      "(workerd built-ins)": 0.2,
    });
  });
});
