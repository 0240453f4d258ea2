-- AlterTable
ALTER TABLE "task" ADD COLUMN     "unresolved" INTEGER NOT NULL DEFAULT 0;

-- Hand-written: the counter of the drives already marked before it existed.
UPDATE "task" t SET "unresolved" = c.n
  FROM (SELECT "task_id", count(*)::int AS n FROM "drive" WHERE "unresolved_at" IS NOT NULL GROUP BY "task_id") c
 WHERE t."task_id" = c."task_id";
