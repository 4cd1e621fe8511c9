// Neon's SQL-over-HTTP wire format: request headers and bodies in, result and error JSON out.
import type { IncomingHttpHeaders } from "node:http";
import {
  type ErrorFieldName,
  errorFieldNames,
  type IsolationLevel,
  type Param,
  type RawResult,
  type Statement,
  type TxOptions,
} from "./backends/backend.ts";
import { pgTextToJson } from "./pg-json.ts";

export type Query = Statement & { arrayMode?: boolean };

export type Payload = { batch: false; queries: [Query] } | { batch: true; queries: Query[] };

export type RequestOptions = { rawText: boolean; arrayMode: boolean; tx: TxOptions };

/** A request Neon's proxy rejects before reaching Postgres; answered in the same JSON shape, code "". */
export class RequestError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "RequestError";
    this.status = status;
  }
}

const isolationLevels: readonly string[] = ["ReadUncommitted", "ReadCommitted", "RepeatableRead", "Serializable"];

/** Neon reads a flag as set only when its value is exactly "true". */
const flag = (value: string | string[] | undefined) => value === "true";

export function parseHeaders(headers: IncomingHttpHeaders): RequestOptions {
  // The target database is ignored (there is one backend), but Neon refuses a request without it.
  const connectionString = headers["neon-connection-string"];
  if (typeof connectionString !== "string") throw new RequestError(400, "invalid header: neon-connection-string");
  let protocol: string;
  try {
    protocol = new URL(connectionString).protocol;
  } catch (error) {
    throw new RequestError(400, `invalid connection string: ${(error as Error).message}`);
  }
  if (protocol !== "postgres:" && protocol !== "postgresql:") throw new RequestError(400, "incorrect scheme");

  const isolation = headers["neon-batch-isolation-level"];
  if (isolation !== undefined && (typeof isolation !== "string" || !isolationLevels.includes(isolation))) {
    throw new RequestError(400, "invalid isolation level");
  }
  return {
    rawText: flag(headers["neon-raw-text-output"]),
    arrayMode: flag(headers["neon-array-mode"]),
    tx: {
      isolationLevel: isolation as IsolationLevel | undefined,
      readOnly: flag(headers["neon-batch-read-only"]),
      deferrable: flag(headers["neon-batch-deferrable"]),
    },
  };
}

export function parsePayload(body: string): Payload {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new RequestError(400, `could not parse the HTTP request body: ${(error as Error).message}`);
  }
  // Neon tries the single-query shape first, so a body with both `query` and `queries` is a single query.
  if (isObject(json) && typeof json.query !== "string" && Array.isArray(json.queries)) {
    return { batch: true, queries: json.queries.map(parseQuery) };
  }
  return { batch: false, queries: [parseQuery(json)] };
}

function parseQuery(value: unknown): Query {
  if (!isObject(value) || typeof value.query !== "string") {
    const expected = "expected {query, params} or {queries: [...]}";
    throw new RequestError(400, `could not parse the HTTP request body: ${expected}`);
  }
  const params = value.params ?? [];
  if (!Array.isArray(params)) {
    throw new RequestError(400, "could not parse the HTTP request body: params must be an array");
  }
  const arrayMode = typeof value.arrayMode === "boolean" ? value.arrayMode : undefined;
  return { query: value.query, params: params.map(jsonToPgText), arrayMode };
}

/**
 * Neon accepts any JSON as a parameter and turns it into Postgres text: strings as they are, arrays
 * as array literals, other values as their JSON text. The Neon driver only ever sends strings and nulls.
 */
function jsonToPgText(value: unknown): Param {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return pgArrayLiteral(value);
  return JSON.stringify(value);
}

function pgArrayLiteral(value: unknown): string {
  if (value === null) return "NULL";
  if (Array.isArray(value)) return `{${value.map(pgArrayLiteral).join(",")}}`;
  // Neon quotes elements with JSON escaping, which Postgres reads alike for quotes and backslashes.
  return JSON.stringify(typeof value === "object" ? JSON.stringify(value) : value);
}

/** A result in Neon's shape, keys in Neon's order. */
export function resultJson(
  result: RawResult,
  mode: { arrayMode: boolean; rawText: boolean },
  elementTypeOf: (oid: number) => number | undefined,
) {
  const convert = (value: string | null, typeId: number) =>
    value === null || mode.rawText ? value : pgTextToJson(value, typeId, elementTypeOf);
  const rows = result.rows.map((row) => {
    const values = result.fields.map((field, i) => convert(row[i] ?? null, field.dataTypeID));
    return mode.arrayMode ? values : Object.fromEntries(result.fields.map((field, i) => [field.name, values[i]]));
  });
  return {
    rowAsArray: mode.arrayMode,
    fields: result.fields.map((f) => ({ ...f, format: "text" })),
    rows,
    command: result.command,
    rowCount: result.rowCount,
  };
}

/**
 * Neon's error body: every key present, null when Postgres did not send the field. Errors that are not
 * from Postgres carry "" for code and severity, as Neon's proxy does.
 */
export function errorJson(message: string, fields?: Partial<Record<ErrorFieldName, string | undefined>>) {
  const body: Record<string, string | null> = { message };
  for (const key of errorFieldNames) body[key] = fields?.[key] ?? null;
  if (!fields) body.code = body.severity = "";
  return body;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
