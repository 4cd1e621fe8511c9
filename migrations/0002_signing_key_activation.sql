ALTER TABLE "jwks" ADD COLUMN "activates_at" timestamp with time zone;--> statement-breakpoint
-- A key whose created_at lies ahead was published ahead of signing: that time is its activates_at.
UPDATE "jwks" SET "activates_at" = "created_at", "created_at" = now() WHERE "created_at" > now();
