import { Prisma } from '../generated/prisma/client';
import { PrismaService } from './prisma.service';

/**
 * Inserts one row unless `max` rows of its kind exist already (then null). The count and the insert
 * run in one transaction under an advisory lock named for the kind, so two requests racing for the
 * last free place cannot both take it (a unique index cannot express "at most N rows").
 */
export function insertUnderCap<T>(
  prisma: PrismaService,
  kind: string,
  max: number,
  count: (tx: Prisma.TransactionClient) => Promise<number>,
  insert: (tx: Prisma.TransactionClient) => Promise<T>,
): Promise<T | null> {
  const lock = `${kind} cap`;
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lock}))`;
    if ((await count(tx)) >= max) return null;
    return insert(tx);
  });
}
