// The load test's model of the app's state: which todos each user has, as far as the responses tell,
// which requests are in flight, and every id created and deleted (what the lost-write audit checks).
// It also plans the next request of the mix. Ops on one todo never overlap (the todo is reserved
// until its answer arrives), so a toggle's If-Match always names the current version and no request
// races a delete of its todo: every answer other than 2xx is a real failure, not a race the test
// provoked. Pure (no I/O); randomness is injected so tests can replay a sequence.

export const OP_KINDS = ["list", "get", "create", "toggle", "delete", "refresh"] as const;
export type OpKind = (typeof OP_KINDS)[number];

/** Share of each kind in the mix (weights, any scale): half reads, half writes, a few refreshes. */
export const DEFAULT_MIX: Readonly<Record<OpKind, number>> = {
  list: 35,
  get: 12,
  create: 22,
  toggle: 18,
  delete: 10,
  refresh: 3,
};

export interface LoadUser {
  userId: string;
  /** Session cookie (for token refreshes). */
  cookie: string;
  /** Current access token; replaced by each refresh's answer. */
  token: string;
}

export interface PlannedOp {
  seq: number;
  kind: OpKind;
  user: number;
  todoId?: string;
  /** create: its Idempotency-Key and title (kept so an unanswered create can be replayed). */
  idempotencyKey?: string;
  title?: string;
  /** toggle: the value it sets. */
  completed?: boolean;
  /** toggle, delete: the If-Match version sent, if any. */
  ifMatch?: number;
  /** list: the status filter. */
  status?: "all" | "active" | "completed";
}

export interface HttpRequestSpec {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string | string[] | undefined>;
}

interface TodoState {
  version: number;
  completed: boolean;
}

interface UserState {
  /** Live todos this user may be sent requests for, as an array for O(1) random picks. */
  live: string[];
  position: Map<string, number>;
  state: Map<string, TodoState>;
  busy: Set<string>;
  pendingCreates: number;
}

export interface LedgerOptions {
  mix?: Readonly<Record<OpKind, number>>;
  /** Creates turn into deletes once a user has this many todos (live + being created). */
  maxLivePerUser: number;
  /** Prefix of every Idempotency-Key, unique per run. */
  runId: string;
  random?: () => number;
}

export class TodoLedger {
  readonly users: LoadUser[];
  /** Every id a 201 returned, with the index of the user who created it. */
  readonly created = new Map<string, number>();
  /** Every id a DELETE answered 204 for (or that a replayed delete confirmed gone). */
  readonly deleted = new Set<string>();
  /** Things the answers showed that must never happen (a duplicate id, another user's todo listed, …). */
  readonly anomalies: string[] = [];
  private readonly states: UserState[];
  private readonly pending = new Map<number, PlannedOp>();
  private readonly mix: [OpKind, number][];
  private readonly mixTotal: number;
  private readonly random: () => number;
  private readonly options: LedgerOptions;
  private seq = 0;

  constructor(users: LoadUser[], options: LedgerOptions) {
    this.options = options;
    if (users.length === 0) throw new Error("the load needs at least one user");
    this.users = users.map((u) => ({ ...u }));
    this.states = users.map(() => ({
      live: [],
      position: new Map(),
      state: new Map(),
      busy: new Set(),
      pendingCreates: 0,
    }));
    this.mix = Object.entries(options.mix ?? DEFAULT_MIX) as [OpKind, number][];
    this.mixTotal = this.mix.reduce((sum, [, weight]) => sum + weight, 0);
    if (!(this.mixTotal > 0)) throw new Error("the op mix needs a positive weight");
    this.random = options.random ?? Math.random;
  }

  /** Ops sent and not answered yet (at the end of a run: the ones that never got an answer). */
  unanswered(): PlannedOp[] {
    return [...this.pending.values()];
  }

  /** How many todos a user has as far as the answers tell (created − deleted). */
  liveCount(user: number): number {
    return this.states[user]?.live.length ?? 0;
  }

  /** Plans the next request: a random user and a kind from the mix, feasible in the current state. */
  next(): PlannedOp {
    const user = Math.floor(this.random() * this.users.length);
    const op = this.plan(user, this.pickKind());
    this.pending.set(op.seq, op);
    return op;
  }

  private pickKind(): OpKind {
    let roll = this.random() * this.mixTotal;
    for (const [kind, weight] of this.mix) {
      roll -= weight;
      if (roll < 0) return kind;
    }
    return this.mix.at(-1)?.[0] ?? "list";
  }

  private plan(user: number, wanted: OpKind): PlannedOp {
    const s = this.states[user] as UserState;
    const seq = ++this.seq;
    const atCap = s.live.length + s.pendingCreates >= this.options.maxLivePerUser;
    let kind = wanted;
    if (kind === "create" && atCap) kind = "delete";
    let todoId: string | undefined;
    if (kind === "get" || kind === "toggle" || kind === "delete") {
      todoId = this.reserve(s);
      // Nothing free to work on: make one (or, at the cap, just read).
      if (todoId === undefined) kind = atCap ? "list" : "create";
    }
    switch (kind) {
      case "create":
        s.pendingCreates++;
        return { seq, kind, user, idempotencyKey: `${this.options.runId}-${seq}`, title: `load ${seq}` };
      case "get":
        return { seq, kind, user, todoId };
      case "toggle": {
        const state = s.state.get(todoId as string) as TodoState;
        return {
          seq,
          kind,
          user,
          todoId,
          completed: !state.completed,
          ...(this.random() < 0.5 ? { ifMatch: state.version } : {}),
        };
      }
      case "delete": {
        const state = s.state.get(todoId as string) as TodoState;
        return { seq, kind, user, todoId, ...(this.random() < 0.5 ? { ifMatch: state.version } : {}) };
      }
      case "list": {
        const roll = this.random();
        return { seq, kind, user, status: roll < 0.6 ? "all" : roll < 0.8 ? "active" : "completed" };
      }
      case "refresh":
        return { seq, kind, user };
    }
  }

  /** A random live todo of the user that no request in flight touches, now reserved; a few tries. */
  private reserve(s: UserState): string | undefined {
    for (let attempt = 0; attempt < 8 && s.live.length > 0; attempt++) {
      const id = s.live[Math.floor(this.random() * s.live.length)] as string;
      if (!s.busy.has(id)) {
        s.busy.add(id);
        return id;
      }
    }
    return undefined;
  }

  /** The HTTP request for an op, authenticated as its user. */
  request(op: PlannedOp): HttpRequestSpec {
    const who = this.users[op.user] as LoadUser;
    const auth = { Authorization: `Bearer ${who.token}` };
    const json = { ...auth, "Content-Type": "application/json" };
    const ifMatch: Record<string, string> = op.ifMatch === undefined ? {} : { "If-Match": `"${op.ifMatch}"` };
    switch (op.kind) {
      case "list":
        return { method: "GET", path: `/api/todos${op.status === "all" ? "" : `?status=${op.status}`}`, headers: auth };
      case "get":
        return { method: "GET", path: `/api/todos/${op.todoId}`, headers: auth };
      case "create":
        return {
          method: "POST",
          path: "/api/todos",
          headers: { ...json, "Idempotency-Key": op.idempotencyKey as string },
          body: JSON.stringify({ title: op.title }),
        };
      case "toggle":
        return {
          method: "PATCH",
          path: `/api/todos/${op.todoId}`,
          headers: { ...json, ...ifMatch },
          body: JSON.stringify({ completed: op.completed }),
        };
      case "delete":
        return { method: "DELETE", path: `/api/todos/${op.todoId}`, headers: { ...auth, ...ifMatch } };
      case "refresh":
        return { method: "GET", path: "/api/auth/token", headers: { Cookie: who.cookie } };
    }
  }

  /**
   * Records an op's answer. A 2xx updates the model; anything else leaves the op's outcome unknown:
   * it stays unanswered (to be replayed after the load) and its todo stays reserved, so no later
   * request depends on a state the test does not know.
   */
  settle(op: PlannedOp, answer: Answer): boolean {
    if (!this.pending.has(op.seq)) throw new Error(`op ${op.seq} settled twice`);
    if (answer.status < 200 || answer.status > 299) return false;
    this.pending.delete(op.seq);
    const s = this.states[op.user] as UserState;
    const body = answer.body ? (JSON.parse(answer.body) as Record<string, unknown>) : {};
    switch (op.kind) {
      case "create": {
        s.pendingCreates--;
        const replayed = header(answer, "idempotent-replayed") === "true";
        if (replayed) this.anomalies.push(`create ${op.seq}: answered as a replay, but it was sent once`);
        this.recordCreated(op.user, String(body.id), Number(body.version), Boolean(body.completed));
        break;
      }
      case "toggle": {
        const id = op.todoId as string;
        if (body.id !== id || body.completed !== op.completed) {
          this.anomalies.push(
            `toggle ${op.seq}: answered ${JSON.stringify({ id: body.id, completed: body.completed })} for ${id} → ${op.completed}`,
          );
        }
        s.state.set(id, { version: Number(body.version), completed: Boolean(body.completed) });
        s.busy.delete(id);
        break;
      }
      case "delete":
        this.recordDeleted(op.user, op.todoId as string);
        break;
      case "get":
        if (body.id !== op.todoId)
          this.anomalies.push(`get ${op.seq}: answered todo ${String(body.id)} for ${op.todoId}`);
        s.busy.delete(op.todoId as string);
        break;
      case "list":
        this.checkList(op, body.items);
        break;
      case "refresh":
        if (typeof body.token !== "string") this.anomalies.push(`refresh ${op.seq}: no token in the answer`);
        else (this.users[op.user] as LoadUser).token = body.token;
        break;
    }
    return true;
  }

  /** A create whose 201 (first or replayed) showed this id. */
  recordCreated(user: number, id: string, version = 1, completed = false): void {
    const owner = this.created.get(id);
    if (owner !== undefined) {
      if (owner !== user) this.anomalies.push(`todo ${id} returned to user ${user} and user ${owner}`);
      else if (this.states[user]?.position.has(id) || this.deleted.has(id))
        this.anomalies.push(`todo ${id} created twice`);
      return;
    }
    this.created.set(id, user);
    const s = this.states[user] as UserState;
    s.position.set(id, s.live.length);
    s.live.push(id);
    s.state.set(id, { version, completed });
  }

  /** The todo is gone (a 204, or a replayed delete's 204/404). */
  recordDeleted(user: number, id: string): void {
    this.deleted.add(id);
    const s = this.states[user] as UserState;
    const index = s.position.get(id);
    if (index !== undefined) {
      // Swap-remove keeps picks O(1).
      const last = s.live.pop() as string;
      if (last !== id) {
        s.live[index] = last;
        s.position.set(last, index);
      }
      s.position.delete(id);
    }
    s.state.delete(id);
    s.busy.delete(id);
  }

  /** Forgets an unanswered op once it has been resolved (replayed, or found to need nothing). */
  resolve(op: PlannedOp): void {
    if (!this.pending.delete(op.seq)) return;
    const s = this.states[op.user] as UserState;
    if (op.kind === "create") s.pendingCreates--;
    if (op.todoId !== undefined) s.busy.delete(op.todoId);
  }

  private checkList(op: PlannedOp, items: unknown): void {
    if (!Array.isArray(items)) {
      this.anomalies.push(`list ${op.seq}: no items array`);
      return;
    }
    for (const item of items as { id?: unknown }[]) {
      const owner = this.created.get(String(item.id));
      // An id not seen yet may be a create whose 201 is still on its way; another user's never is.
      if (owner !== undefined && owner !== op.user)
        this.anomalies.push(`list ${op.seq}: user ${op.user} was shown user ${owner}'s todo ${String(item.id)}`);
    }
  }
}

function header(answer: Answer, name: string): string | undefined {
  const entry = Object.entries(answer.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value[0] : value;
}
