# One image for both halves: `npm run server` or `npm run worker`.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev
COPY common ./common
COPY database ./database
COPY schema ./schema
COPY server ./server
COPY worker ./worker
COPY web-demo ./web-demo
COPY scripts ./scripts
COPY tsconfig.json ./
ENV NODE_ENV=production
