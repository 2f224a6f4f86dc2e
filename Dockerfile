# syntax=docker/dockerfile:1
# The bot's image: `docker build -t kz-ru-bot .`, then see compose.yaml (bot + PostgreSQL) or
#   docker run -e BOT_TOKEN=... -v bot-data:/data -p 8080:8080 kz-ru-bot
# .ci/run proves these steps without Docker: `npm ci --omit=dev` in a copy of exactly the files
# copied below, then the app started with the CMD below and checked with the HEALTHCHECK below
# (tests/smoke/production.ts).

# --- Stage 1: production dependencies, with the tools to build better-sqlite3 ------------------
# better-sqlite3 downloads a prebuilt binary when one fits, else compiles (python3, make, g++).
# The compilers stay in this stage; only node_modules goes on.
FROM node:20-bookworm-slim AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only; tsx is one (the app runs TypeScript directly, no build step).
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- Stage 2: the runtime image ---------------------------------------------------------------
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=8080
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY locales ./locales
# The SQLite database (when DATABASE_URL is not set) lives in the volume, owned by the
# unprivileged user the bot runs as (node, uid 1000, from the base image).
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
EXPOSE 8080
# GET /healthz on PORT: 200 once the knowledge base is loaded and the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "src/ops/healthcheck.mjs"]
# node itself is PID 1 (not npm, not the tsx CLI), so it receives SIGTERM from `docker stop` and
# shuts down gracefully. Give it time: `docker stop -t 30`, or stop_grace_period in compose.yaml.
CMD ["node", "--import", "tsx", "src/main.ts"]
