import { defineConfig } from 'prisma/config';

// Used by the ordinary `prisma` CLI (generate, and migrate on machines that can run it).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/drive_status' },
});
