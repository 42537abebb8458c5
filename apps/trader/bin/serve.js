#!/usr/bin/env node
// Serves the built portal (after `next build`): Next.js behind a plain Node HTTP server, so the client's address
// comes from the socket. The server overwrites x-exbox-client-ip on every request (a client cannot set it), and the
// account API uses it for login history and the per-address lockout. Behind a reverse proxy, set
// EXBOX_TRUST_PROXY=1 and the proxy's X-Forwarded-For is used instead.
//
//   node apps/trader/bin/serve.js [--port 3000] [--host 127.0.0.1]
// (PORT and HOST work too.) Other settings: see src/env.ts.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import next from 'next';

process.env.NEXT_TELEMETRY_DISABLED = '1';
const { values } = parseArgs({
  options: { port: { type: 'string' }, host: { type: 'string' } },
});
const port = Number(values.port ?? process.env.PORT ?? 3000);
const host = values.host ?? process.env.HOST ?? '127.0.0.1';
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`serve: --port must be 0..65535, got ${values.port ?? process.env.PORT}`);
  process.exit(2);
}

const dir = fileURLToPath(new URL('..', import.meta.url));
const app = next({ dev: false, dir, hostname: host, port });
await app.prepare();
const handle = app.getRequestHandler();
const server = createServer((request, response) => {
  request.headers['x-exbox-client-ip'] = request.socket.remoteAddress ?? '';
  handle(request, response).catch((error) => {
    console.error('[trader] request failed:', error);
    if (!response.headersSent) response.writeHead(500).end();
  });
});
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  // The line the demo and the tests wait for.
  console.log(`trader portal listening on http://${host}:${bound}`);
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
