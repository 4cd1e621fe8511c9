// After the load: the rows as the API shows them (every user's list, page by page, with a fresh
// token) and as the database holds them (SQL through the stack's SQL endpoint, with the Neon
// driver the Worker uses), for the write audit.
import { neon, neonConfig } from "@neondatabase/serverless";
import type { LoadUser } from "./todo-ledger.ts";
import type { FoundRow } from "./write-audit.ts";

async function json<T>(url: string, init: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Every todo of every user through GET /api/todos (limit 100, following nextCursor). */
export async function rowsViaApi(baseUrl: string, users: readonly LoadUser[]): Promise<FoundRow[]> {
  const rows: FoundRow[] = [];
  for (const user of users) {
    const { token } = await json<{ token: string }>(`${baseUrl}/api/auth/token`, { headers: { Cookie: user.cookie } });
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=100&cursor=${encodeURIComponent(cursor)}` : "?limit=100";
      const page: { items: { id: string }[]; nextCursor: string | null } = await json(`${baseUrl}/api/todos${query}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      for (const item of page.items) rows.push({ id: item.id, userId: user.userId });
      cursor = page.nextCursor;
    } while (cursor);
  }
  return rows;
}

/** Every row of the todos table (the database is the load test's own), and count(*) beside it. */
export async function rowsInDatabase(sqlUrl: string): Promise<{ rows: FoundRow[]; countStar: number }> {
  neonConfig.fetchEndpoint = sqlUrl;
  // The local endpoint serves its own database and ignores the target; the URL only has to parse.
  const sql = neon("postgres://load:load@localhost/load");
  const rows = (await sql`select id::text as id, user_id as "userId" from todos`) as FoundRow[];
  const [count] = (await sql`select count(*)::int as n from todos`) as { n: number }[];
  return { rows, countStar: count?.n ?? Number.NaN };
}
