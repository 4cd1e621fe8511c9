// Neon's JSON rendering of Postgres text values, used when a client does not ask for raw text output.
import type { Backend } from "./backends/backend.ts";

const BOOL = 16;
const INT2 = 21;
const INT4 = 23;
const FLOAT4 = 700;
const FLOAT8 = 701;
const JSON_OID = 114;
const JSONB = 3802;

/**
 * Neon converts only these types to JSON scalars and keeps everything else a string (int8 and numeric
 * included, so no precision is lost). Arrays become JSON arrays of converted elements.
 */
export function pgTextToJson(
  text: string,
  typeId: number,
  elementTypeOf: (oid: number) => number | undefined,
): unknown {
  const element = elementTypeOf(typeId);
  if (element !== undefined) return parseArray(text, element, elementTypeOf);
  switch (typeId) {
    case BOOL:
      return text === "t";
    case INT2:
    case INT4:
      return Number.parseInt(text, 10);
    case FLOAT4:
    case FLOAT8: {
      // NaN and ±Infinity have no JSON form; Neon sends them as the Postgres spelling.
      const value = Number(text);
      return Number.isFinite(value) ? value : text;
    }
    case JSON_OID:
    case JSONB:
      return JSON.parse(text);
    default:
      return text;
  }
}

/** Parses `{a,"b c",NULL,{1,2}}`; bounds decoration (`[1:2]={...}`) is dropped, as Neon drops it. */
function parseArray(text: string, elementType: number, elementTypeOf: (oid: number) => number | undefined): unknown[] {
  let i = text.startsWith("[") ? text.indexOf("=") + 1 : 0;

  function item(): unknown {
    while (text[i] === " ") i++;
    if (text[i] === "{") return list();
    if (text[i] === '"') {
      let value = "";
      for (i++; text[i] !== '"'; i++) value += text[i] === "\\" ? text[++i] : text[i];
      i++;
      return pgTextToJson(value, elementType, elementTypeOf);
    }
    const start = i;
    while (text[i] !== "," && text[i] !== "}") i++;
    const raw = text.slice(start, i).trimEnd();
    return raw === "NULL" ? null : pgTextToJson(raw, elementType, elementTypeOf);
  }

  function list(): unknown[] {
    const out: unknown[] = [];
    i++; // "{"
    while (text[i] === " ") i++;
    if (text[i] === "}") {
      i++;
      return out;
    }
    for (;;) {
      out.push(item());
      while (text[i] === " ") i++;
      if (text[i++] !== ",") return out; // consumed "}"
    }
  }

  while (text[i] === " ") i++;
  return list();
}

/**
 * Which type OIDs are arrays, read from pg_type on first need. Types created later (a migration's enum)
 * are looked up again once, so the catalog never goes stale for long.
 */
export class ArrayTypeCatalog {
  #elements = new Map<number, number>();
  #checked = new Set<number>();
  #backend: Backend;

  constructor(backend: Backend) {
    this.#backend = backend;
  }

  async ensure(typeIds: number[]): Promise<void> {
    const unknown = typeIds.filter((id) => !this.#elements.has(id) && !this.#checked.has(id));
    if (unknown.length === 0) return;
    const { rows } = await this.#backend.run({
      query: "SELECT oid, typelem FROM pg_type WHERE typcategory = 'A' AND typelem <> 0",
      params: [],
    });
    for (const [oid, elem] of rows) this.#elements.set(Number(oid), Number(elem));
    for (const id of unknown) this.#checked.add(id);
  }

  elementTypeOf = (typeId: number): number | undefined => this.#elements.get(typeId);
}
