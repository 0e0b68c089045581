// Which proxy a request uses, from the environment variables every command-line tool reads:
// HTTPS_PROXY for https URLs, HTTP_PROXY for http URLs, ALL_PROXY for both (lowercase first, as
// curl does), and NO_PROXY to bypass: `*`, host names, domains (`example.com` and `.example.com`
// both match the domain and its subdomains), `host:port` entries that match one port only, and
// literal IP addresses. CIDR ranges are not supported (they are ignored).

/** Environment variables, as `process.env`. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The proxy of a request, with its credentials from the proxy URL's userinfo. */
export interface ProxyConfig {
  /** `http://host:port` of the proxy (only http proxies are supported). */
  readonly url: URL;
  /** `Basic ...` for Proxy-Authorization, when the proxy URL has a user name. */
  readonly authorization?: string;
}

function variable(env: Environment, name: string): string | undefined {
  const value = env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return value && value.trim() ? value.trim() : undefined;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** Strips IPv6 brackets and a trailing dot: `[::1]` -> `::1`, `example.com.` -> `example.com`. */
function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** `host`, `host:port`, `[v6]` or `[v6]:port` -> host and optional port. */
function splitEntry(entry: string): [string, string | undefined] {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return [bracketed[1], bracketed[2]];
  const withPort = /^([^:]+):(\d+)$/.exec(entry);
  return withPort ? [withPort[1], withPort[2]] : [entry, undefined];
}

/** One NO_PROXY entry against a host and port. */
function entryMatches(entry: string, host: string, port: string): boolean {
  const [entryHost, entryPort] = splitEntry(entry.toLowerCase());
  if (entryPort !== undefined && entryPort !== port) return false;
  const name = normalizeHost(entryHost.replace(/^\*?\./, ''));
  return name !== '' && (host === name || host.endsWith(`.${name}`));
}

/** True when NO_PROXY says that `url` must be reached directly. */
export function bypassesProxy(url: URL, env: Environment): boolean {
  const list = variable(env, 'no_proxy');
  if (!list) return false;
  const host = normalizeHost(url.hostname);
  const port = url.port || defaultPort(url.protocol);
  return list
    .split(/[\s,]+/)
    .filter((entry) => entry !== '')
    .some((entry) => entry === '*' || entryMatches(entry, host, port));
}

/** Encodes the userinfo of a proxy URL as a Basic credential. */
function basicAuthorization(url: URL): string | undefined {
  if (!url.username) return undefined;
  const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  let binary = '';
  for (const byte of new TextEncoder().encode(credentials)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * The proxy for `url` from the environment, or undefined for a direct connection.
 * @throws Error (a message naming the variable) for a proxy URL that cannot be parsed or is not http.
 */
export function proxyForUrl(url: URL, env: Environment): ProxyConfig | undefined {
  if (bypassesProxy(url, env)) return undefined;
  const name = url.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const raw = variable(env, name) ?? variable(env, 'all_proxy');
  if (!raw) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new Error(`the proxy setting "${raw}" (${name.toUpperCase()} or ALL_PROXY) is not a URL`);
  }
  if (proxy.protocol !== 'http:') {
    throw new Error(`unsupported proxy "${proxy.protocol}//${proxy.host}": only http:// proxies are supported (with CONNECT for https)`);
  }
  const authorization = basicAuthorization(proxy);
  const bare = new URL(`http://${proxy.host}`);
  return authorization ? { url: bare, authorization } : { url: bare };
}
