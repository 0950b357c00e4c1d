# Hearth: a forum for peer-run groups. Multi-stage: build with dev tools, run
# with production dependencies only, as an unprivileged user.
# NODE_IMAGE defaults to the current Node.js LTS; pin a major (e.g. node:24-bookworm-slim) if you prefer.
ARG NODE_IMAGE=node:lts-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
# Everything else (.dockerignore leaves out node_modules, dist and data).
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS run
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: argon2 ships prebuilt binaries inside its package.
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/dist/moderation ./dist/moderation
COPY bin ./bin
COPY src/storage/migrations ./src/storage/migrations
COPY views ./views
COPY static ./static
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Heap settings as `npm start` (README, "Memory").
CMD ["node", "--max-semi-space-size=4", "--max-old-space-size=256", "dist/src/server.js"]
