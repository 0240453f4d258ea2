import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { Agent, buildConnector, request } from 'undici';
import { addressAllowed, EgressRefusedError } from './egress-policy';

/** Resolves a host name to every address it has (the default is the system resolver). */
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export interface SenderOptions {
  allowPrivate: boolean;
  timeoutMs: number;
  /** Tests answer names themselves with this (no DNS). */
  resolve?: Resolver;
  /** Opens the connection to an address already checked (tests wrap it to see what was opened). */
  connect?: buildConnector.connector;
}

/** What an attempt came to: an HTTP status, or a coarse reason that tells nothing about the network. */
export interface SendResult {
  statusCode: number | null;
  /** `address not allowed`, `TLS failed`, `no answer`; null with a status. */
  error: string | null;
  /** The precise cause, for the service's own log only (never shown to API users). */
  detail: string | null;
}

export const NOT_ALLOWED = 'address not allowed';
export const NO_ANSWER = 'no answer';
export const TLS_FAILED = 'TLS failed';

const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/**
 * Posts webhook deliveries through a connection pool whose connector checks the egress policy on
 * the address it is about to open: the name is resolved here, every address it resolves to is
 * checked, and the socket is opened to the checked address itself. So a DNS answer that changes
 * between registration and delivery (or between two lookups) cannot lead anywhere the policy
 * refuses. Literal addresses are checked the same way.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(private readonly options: SenderOptions) {
    const resolve = options.resolve ?? systemResolver;
    const open = options.connect ?? buildConnector({ timeout: options.timeoutMs });
    const allowPrivate = options.allowPrivate;
    this.agent = new Agent({
      connections: 4,
      keepAliveTimeout: 4_000,
      connect: (opts: buildConnector.Options, callback: buildConnector.Callback) => {
        checkedAddress(opts.hostname, resolve, allowPrivate).then(
          // `host` keeps the name, so TLS still sends it (SNI) and checks the certificate against it.
          (address) => open({ ...opts, hostname: address }, callback),
          (err: Error) => callback(err, null),
        );
      },
    });
  }

  /**
   * One POST. Never throws. Credentials in the URL go as HTTP Basic authentication, never in the
   * request line. The answer's body is discarded unread.
   */
  async post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
    const target = new URL(url);
    const extra: Record<string, string> = {};
    if (target.username || target.password) {
      const user = decodeURIComponent(target.username);
      const password = decodeURIComponent(target.password);
      extra.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
      target.username = '';
      target.password = '';
    }
    try {
      const res = await request(target, {
        dispatcher: this.agent,
        method: 'POST',
        body,
        headers: { ...headers, ...extra },
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await res.body.dump().catch(() => undefined);
      return { statusCode: res.statusCode, error: null, detail: null };
    } catch (err) {
      return failure(err);
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

/** Resolves and checks every address; the first one is where the connection goes. */
async function checkedAddress(hostname: string, resolve: Resolver, allowPrivate: boolean): Promise<string> {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  const addresses = isIP(bare) ? [bare] : (await resolve(bare)).map((a) => a.address);
  if (!addresses.length) throw Object.assign(new Error(`no address for ${bare}`), { code: 'ENOTFOUND' });
  if (!addresses.every((a) => addressAllowed(a, allowPrivate))) throw new EgressRefusedError();
  return addresses[0];
}

/**
 * Sorts a failure into a coarse reason. A closed port, a filtered one, an unreachable network, an
 * unknown name and a time-out all read `no answer`, so the attempts list cannot be used to map a
 * network; the precise cause goes to the log.
 */
function failure(err: unknown): SendResult {
  const chain: Array<{ name?: string; code?: string; message?: string }> = [];
  for (let e = err as { cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    chain.push(e as (typeof chain)[number]);
  }
  const detail = chain.map((e) => e.code ?? e.name ?? 'error').join(' < ');
  if (chain.some((e) => e instanceof EgressRefusedError || e.code === 'EGRESS_REFUSED')) {
    return { statusCode: null, error: NOT_ALLOWED, detail };
  }
  const tls = chain.some(
    (e) =>
      /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|HOSTNAME_MISMATCH)/.test(e.code ?? '') ||
      /certificate|SSL routines/i.test(e.message ?? ''),
  );
  return { statusCode: null, error: tls ? TLS_FAILED : NO_ANSWER, detail };
}
