# syntax=docker/dockerfile:1
# sentinel-chatops: `serve` on port 3978, data in the /data volume.
#   docker build -t sentinel-chatops .
#   docker run -p 3978:3978 -v chatops-data:/data sentinel-chatops

# --- build: all dependencies (TypeScript is a dev dependency), compile to dist/, then drop dev dependencies
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY bin ./bin
COPY src ./src
# npm ci runs `prepare`, which builds dist/.
RUN npm ci --no-audit --no-fund && npm prune --omit=dev --no-audit --no-fund

# --- runtime
FROM node:24-bookworm-slim
# The charts ship their own Latin and CJK fonts; --build-arg CJK_FONTS=true adds Debian's Noto CJK
# for anything that renders with system fonts.
ARG CJK_FONTS=false
RUN if [ "$CJK_FONTS" = "true" ]; then \
      apt-get update \
      && apt-get install -y --no-install-recommends fonts-noto-cjk \
      && rm -rf /var/lib/apt/lists/*; \
    fi
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HOST=0.0.0.0 \
    PORT=3978
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3978
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3978) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node as PID 1 gets SIGTERM from `docker stop` and drains (the CLI handles SIGINT/SIGTERM).
CMD ["node", "bin/sentinel-chatops.js", "serve"]
