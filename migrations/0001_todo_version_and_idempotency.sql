ALTER TABLE "todos" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "todos" ADD COLUMN "idempotency_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "todos_user_idempotency_key_idx" ON "todos" USING btree ("user_id","idempotency_key") WHERE "todos"."idempotency_key" is not null;