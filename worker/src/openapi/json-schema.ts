// zod schemas to OpenAPI 3.1 schemas with zod's own z.toJSONSchema (OpenAPI 3.1 schemas are JSON
// Schema 2020-12, zod's default target). Schemas named with `.meta({ id })` become
// components/schemas and are referenced, not repeated.
import * as z from "zod";

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const COMPONENT_REF = "#/components/schemas/";

export const componentRef = (id: string) => ({ $ref: `${COMPONENT_REF}${id}` });

/** Drops what makes the document noisy without saying more. */
function tidy({ jsonSchema }: { jsonSchema: JsonObject }): void {
  // zod writes both; the format is the part a reader understands (and tools check).
  if (jsonSchema.format && jsonSchema.pattern) delete jsonSchema.pattern;
  // z.int()'s safe-integer bounds: true of every JSON number a client would send.
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
}

function refsToComponents<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', `"${COMPONENT_REF}`)) as T;
}

/** Converts schemas for one document, collecting the named ones in `components`. */
export class SchemaSet {
  readonly components: Record<string, JsonObject> = {};

  /**
   * The JSON Schema of `schema`: its input side for what clients send (before defaults and
   * transforms), its output side for what the API answers.
   */
  convert(schema: z.ZodType, io: "input" | "output"): JsonObject {
    const {
      $schema: _,
      $defs,
      ...json
    } = z.toJSONSchema(schema, {
      io,
      unrepresentable: "any",
      override: tidy,
    }) as JsonObject;
    for (const [id, definition] of Object.entries(isObject($defs) ? $defs : {})) {
      this.add(id, refsToComponents(definition) as JsonObject);
    }
    return refsToComponents(json);
  }

  /** Adds a component; one name may stand for one schema only. */
  add(id: string, definition: JsonObject): void {
    const existing = this.components[id];
    if (existing && JSON.stringify(existing) !== JSON.stringify(definition)) {
      throw new Error(`OpenAPI: two different schemas are named "${id}"`);
    }
    this.components[id] = definition;
  }
}
