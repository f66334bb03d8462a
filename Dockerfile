# syntax=docker/dockerfile:1
#
# One image definition, two targets, each with only its own workspace's
# production dependencies (docs/deploy.md, "Image contents"):
#   docker build --target ingress -t medcita-ingress .
#   docker build --target workers -t medcita-workers .
# Both run as uid 1000 under tini (PID 1 forwards SIGTERM so the services shut
# down gracefully and reaps zombies). No model weights are baked in: workers
# read them from MODEL_DIR or download once into MODEL_CACHE_DIR, a volume
# (docker-compose.yml, deploy/k8s/).
# Node 24, the current LTS; the code also runs on Node 20 (package.json engines, CI).
ARG NODE_IMAGE=node:24-trixie-slim

# ---- build: full install (dev dependencies for tsc), compile, copy assets ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# onnxruntime-node's postinstall would download CUDA files; CPU inference ships
# in the package. .npmrc says so too; the variable covers any npm version.
ENV ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
COPY ingress/package.json ingress/
COPY workers/package.json workers/
RUN npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/build/copy-assets.mjs tools/build/
COPY shared/tsconfig.json shared/
COPY shared/src shared/src
COPY ingress/tsconfig.json ingress/
COPY ingress/src ingress/src
COPY workers/tsconfig.json workers/
COPY workers/src workers/src
RUN npm run build

# ---- runtime base: Node, tini, the model cache mount point; no node_modules ----
FROM ${NODE_IMAGE} AS runtime
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production \
    LOG_PRETTY=0 \
    ONNXRUNTIME_NODE_INSTALL=skip
COPY package.json package-lock.json .npmrc ./
COPY shared/package.json shared/
ENTRYPOINT ["/usr/bin/tini", "--"]

# ---- ingress: webhook receiver, /healthz /readyz /metrics on PORT ----
# Only the ingress workspace's production dependencies: Express and Bull Board,
# no transformers, onnxruntime or sharp. typescript is an optional peer of
# Bull Board's validator (valibot) that npm keeps with --omit=dev; nothing
# loads it at run time.
FROM runtime AS ingress
COPY ingress/package.json ingress/
RUN npm ci --omit=dev --workspace ingress --no-audit --no-fund \
  && rm -rf node_modules/typescript \
  && npm cache clean --force
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/ingress/dist ingress/dist
USER 1000:1000
ENV PORT=3000
EXPOSE 3000
CMD ["node", "ingress/dist/main.js"]

# ---- workers: turn processors, /healthz /readyz /metrics on METRICS_PORT ----
# Only the workers workspace's production dependencies: no Express, no Bull Board.
FROM runtime AS workers
COPY workers/package.json workers/
# onnxruntime-node ships binaries for every OS (~220 MB for darwin + win32): keep
# Linux only. onnxruntime-web (145 MB of browser WebAssembly) is a dependency of
# transformers whose Node build bundles the little it uses and runs on onnxruntime-node.
RUN npm ci --omit=dev --workspace workers --no-audit --no-fund \
  && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 \
  && rm -rf node_modules/onnxruntime-web \
  && npm cache clean --force
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/workers/dist workers/dist
# Mount point of the model cache volume, owned by the runtime user so a fresh
# named volume starts writable. Empty in the image.
RUN mkdir -p /var/cache/medcita/models && chown -R 1000:1000 /var/cache/medcita
USER 1000:1000
ENV METRICS_PORT=9464 \
    MODEL_CACHE_DIR=/var/cache/medcita/models \
    MODEL_DIR=/models
EXPOSE 9464
CMD ["node", "workers/dist/main.js"]
