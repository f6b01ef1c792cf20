# syntax=docker/dockerfile:1

# Node 24: the version of .nvmrc, the one CI runs (the README: Node 22 or 24). Every stage uses it.
ARG NODE_MAJOR=24

# Build stage: every dependency, to compile the server (esbuild) into dist/, the account page (Vite) into
# web/dist and the migrated PGlite template into node_modules/.cache/sessiongraph.
FROM node:${NODE_MAJOR}-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime dependencies only (tsx stays for `npm run db:migrate`).
FROM node:${NODE_MAJOR}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:${NODE_MAJOR}-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY src ./src
COPY prisma ./prisma
COPY scripts/db-migrate.ts ./scripts/
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/node_modules/.cache/sessiongraph ./node_modules/.cache/sessiongraph
# DATA_DIR is only written when DATABASE_URL is unset (embedded database) or SMTP_URL is unset (outbox).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The same command as `npm start`, and so as the process tests (a libuv thread per core, plus one:
# docs/deploy.md), without npm in between; `exec` makes node PID 1, so SIGTERM reaches the server and
# in-flight requests finish. test/http/compose-env.test.ts checks that it stays the same line.
CMD ["sh", "-c", "UV_THREADPOOL_SIZE=${UV_THREADPOOL_SIZE:-$(($(getconf _NPROCESSORS_ONLN) + 1))} MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2} MALLOC_MMAP_THRESHOLD_=${MALLOC_MMAP_THRESHOLD_:-131072} GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.hugetlb=1} exec node --max-semi-space-size=8 --liftoff-only dist/server.js"]
