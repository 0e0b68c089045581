// One HTTP(S) request with node:http / node:https, through the proxy the environment names
// (proxy.ts): http URLs are sent to the proxy with their absolute URI, https URLs through a
// CONNECT tunnel in which TLS runs end to end. Resolves when the response headers arrive; a
// timeout, a cancel or a socket error rejects with a NetworkError or CancelledError. Redirects
// are the caller's business.

import http, { type ClientRequest, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { CancelledError } from '../../base/common/errors.js';
import { connectionError, NetworkError } from '../common/downloadErrors.js';
import { proxyForUrl, type Environment, type ProxyConfig } from '../common/proxy.js';

/** How to send a request. */
export interface RequestOptions {
  readonly headers: Readonly<Record<string, string>>;
  /** Proxy variables (HTTPS_PROXY, NO_PROXY, ...). */
  readonly env: Environment;
  readonly signal?: AbortSignal;
  /** Give up when no response headers arrive within this many milliseconds. */
  readonly timeoutMs: number;
  /** Certificates to trust besides the system's (PEM), e.g. a corporate TLS proxy or a test server. */
  readonly ca?: string | readonly string[];
  /** What is being done, for the message of a CancelledError ("download of <url>"). */
  readonly what: string;
}

const USER_AGENT = 'pinpoint-models/0.1 (+node)';

/** Sends `request` and settles on `event` ('response' or 'connect'), a timeout, a cancel or an error. */
function settle<T>(request: ClientRequest, event: 'response' | 'connect', label: string, options: RequestOptions): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      request.destroy(new CancelledError(options.what));
    };
    const timer = setTimeout(() => {
      request.destroy(new NetworkError(`no response from ${label} within ${options.timeoutMs / 1000} s`, true));
    }, options.timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    request.once(event, (...args: unknown[]) => {
      done();
      resolve((event === 'response' ? args[0] : args) as T);
    });
    request.once('error', (error: Error) => {
      done();
      reject(error instanceof CancelledError || error instanceof NetworkError ? error : connectionError(error, label));
    });
    request.end();
  });
}

/** `host:port` for CONNECT and Host headers, with IPv6 brackets. */
function authority(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname}:${port}`;
}

function proxyHeaders(proxy: ProxyConfig): Record<string, string> {
  return proxy.authorization ? { 'proxy-authorization': proxy.authorization } : {};
}

function proxyStatusError(proxy: ProxyConfig, status: number, target: string): NetworkError {
  if (status === 407) {
    const how = proxy.authorization ? 'rejected the user name and password in the proxy URL' : 'requires a user name and password (put them in the proxy URL: http://user:pass@host:port)';
    return new NetworkError(`proxy ${proxy.url.host} ${how} (407 Proxy Authentication Required)`, false, 407);
  }
  return new NetworkError(`proxy ${proxy.url.host} refused the connection to ${target} (HTTP ${status})`, status >= 500, status);
}

/** Opens a CONNECT tunnel to `url`'s host through `proxy`. */
async function openTunnel(proxy: ProxyConfig, url: URL, options: RequestOptions): Promise<Socket> {
  const target = authority(url);
  const request = http.request({
    host: proxy.url.hostname,
    port: proxy.url.port || 80,
    method: 'CONNECT',
    path: target,
    headers: { host: target, 'user-agent': USER_AGENT, ...proxyHeaders(proxy) },
  });
  const [response, socket, head] = await settle<[IncomingMessage, Socket, Buffer]>(request, 'connect', `proxy ${proxy.url.host}`, options);
  if (response.statusCode !== 200) {
    socket.destroy();
    throw proxyStatusError(proxy, response.statusCode ?? 0, target);
  }
  if (head.length > 0) socket.unshift(head);
  return socket;
}

function hostName(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Sends a GET of `url` through a proxy. */
async function viaProxy(url: URL, proxy: ProxyConfig, headers: Record<string, string>, options: RequestOptions): Promise<IncomingMessage> {
  const label = `${url.href} (through proxy ${proxy.url.host})`;
  let request: ClientRequest;
  if (url.protocol === 'http:') {
    request = http.request({ host: proxy.url.hostname, port: proxy.url.port || 80, path: url.href, headers: { ...headers, ...proxyHeaders(proxy) } });
  } else {
    const tunnel = await openTunnel(proxy, url, options);
    const host = hostName(url);
    const secure = tls.connect({ socket: tunnel, host, ...(isIP(host) ? {} : { servername: host }), ...(options.ca ? { ca: options.ca as string[] } : {}) });
    request = http.request({ host, port: url.port || 443, path: `${url.pathname}${url.search}`, headers, createConnection: () => secure });
  }
  const response = await settle<IncomingMessage>(request, 'response', label, options);
  if (response.statusCode === 407) {
    response.resume();
    throw proxyStatusError(proxy, 407, authority(url));
  }
  return response;
}

/**
 * Sends `GET url` with `options.headers` and resolves with the response once its headers arrive.
 * @throws NetworkError (timeout, connection failure, proxy refusal, bad proxy setting) or CancelledError.
 */
export async function sendRequest(url: URL, options: RequestOptions): Promise<IncomingMessage> {
  let proxy: ProxyConfig | undefined;
  try {
    proxy = proxyForUrl(url, options.env);
  } catch (error) {
    throw new NetworkError(error instanceof Error ? error.message : String(error), false);
  }
  const headers = { 'user-agent': USER_AGENT, host: url.host, ...options.headers };
  if (proxy) return viaProxy(url, proxy, headers, options);
  const send = url.protocol === 'https:' ? https.request : http.request;
  const request = send({
    host: hostName(url),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers,
    ...(options.ca ? { ca: options.ca as string[] } : {}),
  });
  return settle<IncomingMessage>(request, 'response', url.href, options);
}
