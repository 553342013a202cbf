FROM node:20-bookworm-slim
WORKDIR /app
COPY . .
RUN npm install --no-audit --no-fund && npm run build && (npm run build:h5 || true)
ENV NODE_ENV=production
EXPOSE 3000
CMD ["node", "server/dist/server/src/boot.js"]
