# syntax=docker/dockerfile:1
# CloudNotes as a container image: built here with `npm ci` + `npm run build` (next build + the server bundle),
# run from Next's standalone output on Node 24 as a non-root user, with no npm, dev dependency or compiler.
#   docker build -t cloudnotes .
# The base images are arguments so that the same file builds from local bases where no registry is reachable
# (scripts/container/base-images.sh makes them; scripts/container/test.ts builds and tests the image).
ARG BUILD_IMAGE=node:24-bookworm-slim
ARG RUNTIME_IMAGE=node:24-bookworm-slim

FROM ${BUILD_IMAGE} AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1 CI=1
# Dependencies first, in their own layer (rebuilt only when the lockfile changes). Install scripts run after the
# sources are in (the project's postinstall generates the Prisma client from prisma/).
# NPM_CACHE: where npm keeps its cache; a builder can mount a warm one there (`podman build -v ~/.npm:/npm
# --build-arg NPM_CACHE=/npm`), else BuildKit's cache mount keeps it between builds.
ARG NPM_CACHE=/root/.npm
COPY package.json package-lock.json ./
RUN --mount=type=cache,id=cloudnotes-npm,target=/root/.npm \
    npm ci --ignore-scripts --prefer-offline --no-audit --no-fund --cache "$NPM_CACHE"
COPY . .
RUN npm run postinstall --if-present && npm run build \
 && npx esbuild scripts/container/init-bucket.ts --bundle --platform=node --format=esm --target=node20 \
      --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
      --log-level=warning --outfile=.next/standalone/init-bucket.mjs \
 && cp scripts/container/healthcheck.mjs .next/standalone/healthcheck.mjs

FROM ${RUNTIME_IMAGE}
# Nothing the server does not need: no npm, npx, corepack or yarn (the base image's package managers).
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --system --gid 10001 cloudnotes \
 && useradd --system --uid 10001 --gid cloudnotes --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin cloudnotes
WORKDIR /app
# The release is owned by root and read-only to the app, which writes nothing on disk (as under systemd).
# Same layout as a build on the host, so that the command below is `npm start`'s, character for character.
COPY --from=build /app/.next/standalone ./.next/standalone
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    HOSTNAME=0.0.0.0 PORT=3000
USER cloudnotes:cloudnotes
EXPOSE 3000
# SIGTERM drains as under systemd: readiness turns false, requests in flight get SHUTDOWN_TIMEOUT_SECONDS (25 s),
# then exit 0. Give the container longer than that before SIGKILL (compose.yaml: stop_grace_period 35s).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", ".next/standalone/healthcheck.mjs"]
CMD ["node", "--max-old-space-size=224", "--max-semi-space-size=16", "--min-semi-space-size=16", ".next/standalone/server.mjs"]
