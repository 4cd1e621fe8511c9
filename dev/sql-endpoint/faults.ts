// Runtime-controllable latency and failures, so clients' resilience can be tested against the endpoint.
import type { ServerResponse } from "node:http";
import { errorJson } from "./protocol.ts";

export const faults = ["refuse", "fail", "garble", "hang"] as const;

export type Fault = (typeof faults)[number];

export type Control = {
  delayMs: number;
  fault: Fault | null;
  /** When set, the fault hits only requests whose SQL matches this case-insensitive regex. */
  match: string | null;
};

/** Whether the fault in `control` hits a request carrying this SQL. */
export function faultApplies(control: Control, sql: string): boolean {
  return control.fault !== null && (control.match === null || new RegExp(control.match, "i").test(sql));
}

/** Validates a POST /__control body; returns the settings it changes, or a message saying what is wrong. */
export function parseControl(body: unknown): Partial<Control> | string {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return "expected a JSON object";
  const update: Partial<Control> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "delayMs") {
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) return "delayMs must be a number ≥ 0";
      update.delayMs = value;
    } else if (key === "fault") {
      if (value !== null && !(faults as readonly unknown[]).includes(value)) {
        return `fault must be null or one of ${faults.join(", ")}`;
      }
      update.fault = value as Fault | null;
    } else if (key === "match") {
      if (value !== null && typeof value !== "string") return "match must be null or a regular expression";
      if (typeof value === "string") {
        try {
          new RegExp(value, "i");
        } catch {
          return "match is not a valid regular expression";
        }
      }
      update.match = value as string | null;
    } else {
      return `unknown setting: ${key}`;
    }
  }
  return update;
}

// What Neon's proxy answers when it cannot reach the compute (suspended and failing to wake, or down).
// The driver surfaces it as `NeonDbError: Server error (HTTP status 500): {"message":...}`.
const computeUnreachable = JSON.stringify(errorJson("Couldn't connect to compute node"));

// A response cut off mid-body, as a dropped connection behind a proxy leaves it.
const garbled = '{"fields":[{"name":"id","dataTypeID":23,"tableID":0,"columnID":0,"dataTyp';

/** Acts out a fault in place of a real answer. */
export function injectFault(fault: Fault, res: ServerResponse): void {
  switch (fault) {
    case "refuse":
      res.socket?.destroy();
      return;
    case "fail":
      res.writeHead(500, { "content-type": "application/json" }).end(computeUnreachable);
      return;
    case "garble":
      res.writeHead(200, { "content-type": "application/json" }).end(garbled);
      return;
    case "hang":
      // Never answered; the server's close() drops the socket.
      return;
  }
}
