// A small HTTP proxy on 127.0.0.1 for the download tests: forwards absolute-URI requests (http
// targets) and opens CONNECT tunnels (https targets), records what it was asked, and can demand
// Basic credentials (407 otherwise).

import http, { type IncomingMessage } from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';

/** A running proxy. */
export interface TestProxy {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** What came in: `GET http://...` or `CONNECT host:port`, with the Proxy-Authorization seen. */
  readonly log: { line: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

/** Starts a proxy; with `credentials` ("user:pass") it answers 407 to anything else. */
export async function startProxy(credentials?: string): Promise<TestProxy> {
  const log: TestProxy['log'] = [];
  const expected = credentials ? `Basic ${Buffer.from(credentials).toString('base64')}` : undefined;
  const authorized = (request: IncomingMessage): boolean => expected === undefined || request.headers['proxy-authorization'] === expected;
  const server = http.createServer((request, response) => {
    log.push({ line: `${request.method} ${request.url}`, authorization: request.headers['proxy-authorization'] });
    if (!authorized(request)) {
      response.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end();
      return;
    }
    const target = new URL(request.url ?? '');
    const headers = { ...request.headers };
    delete headers['proxy-authorization'];
    const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', () => response.destroy());
    upstream.end();
  });
  const sockets = new Set<Socket>();
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    log.push({ line: `CONNECT ${request.url}`, authorization: request.headers['proxy-authorization'] });
    sockets.add(client);
    if (!authorized(request)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (request.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
