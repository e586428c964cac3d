# The API on Node 20. With DATABASE_URL it uses that PostgreSQL server; without it, the
# embedded PGlite database under /app/data (mount a volume there to keep it).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/app/data
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
# `docker compose exec api npm run key -- create --admin` when the admin key is lost.
COPY scripts/key.ts ./scripts/
# The code stays root's and read-only to the server; only the data directory is the node
# user's, so the embedded database can be created there (a fresh named volume mounted on
# /app/data takes this ownership too).
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME /app/data
EXPOSE 3000
USER node
# A 64 MiB young generation: batch ingest allocates a lot of short-lived objects, and fewer
# scavenges cut the CPU per order by about a fifth (bench/ingest).
CMD ["node", "--max-semi-space-size=64", "--import", "tsx", "src/server.ts"]
