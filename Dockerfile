# syntax=docker/dockerfile:1
#
# One image definition, two targets:
#   docker build --target ingress -t medcita-ingress .
#   docker build --target workers -t medcita-workers .
# Both run as uid 1000 under tini (PID 1 forwards SIGTERM so the services shut
# down gracefully and reaps zombies). No model weights are baked in: workers
# read them from MODEL_DIR or download once into MODEL_CACHE_DIR, a volume
# (docker-compose.yml, deploy/k8s/).
ARG NODE_IMAGE=node:20-bookworm-slim

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

# ---- runtime base: production dependencies only, non-root, tini ----
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
COPY ingress/package.json ingress/
COPY workers/package.json workers/
# onnxruntime-node ships binaries for every OS (~220 MB for darwin + win32): keep Linux only.
RUN npm ci --omit=dev --no-audit --no-fund \
  && rm -rf node_modules/onnxruntime-node/bin/napi-v*/darwin node_modules/onnxruntime-node/bin/napi-v*/win32 \
  && npm cache clean --force
COPY --from=build /app/shared/dist shared/dist
COPY --from=build /app/ingress/dist ingress/dist
COPY --from=build /app/workers/dist workers/dist
# Mount point of the model cache volume, owned by the runtime user so a fresh
# named volume starts writable. Empty in the image.
RUN mkdir -p /var/cache/medcita/models && chown -R 1000:1000 /var/cache/medcita
USER 1000:1000
ENTRYPOINT ["/usr/bin/tini", "--"]

# ---- ingress: webhook receiver, /healthz /readyz /metrics on PORT ----
FROM runtime AS ingress
ENV PORT=3000
EXPOSE 3000
CMD ["node", "ingress/dist/main.js"]

# ---- workers: turn processors, /healthz /readyz /metrics on METRICS_PORT ----
FROM runtime AS workers
ENV METRICS_PORT=9464 \
    MODEL_CACHE_DIR=/var/cache/medcita/models \
    MODEL_DIR=/models
EXPOSE 9464
CMD ["node", "workers/dist/main.js"]
