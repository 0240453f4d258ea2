import {
  customCleanEnv,
  EnvError,
  makeExactValidator,
  type OptionalValidatorSpec,
  type RequiredValidatorSpec,
} from 'envalid';
import { ApiKeyEntry, parseApiKeys } from './api-keys';

// Parsers. Each refusal names the rule, never the value: some settings are secrets.
const int = (min: number, max: number) =>
  makeExactValidator<number>((raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new EnvError('must be a whole number');
    const value = Number(raw);
    if (value < min || value > max) throw new EnvError(`must be between ${min} and ${max}`);
    return value;
  });
const fraction = makeExactValidator<number>((raw) => {
  const value = Number(raw.trim());
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw new EnvError('must be a number from 0 to 1');
  }
  return value;
});
const flag = makeExactValidator<boolean>((raw) => {
  const word = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  throw new EnvError('must be true or false');
});
const oneOf = <T extends string>(...values: T[]) =>
  makeExactValidator<T>((raw) => {
    if (!(values as string[]).includes(raw)) throw new EnvError(`must be one of ${values.join(', ')}`);
    return raw as T;
  });
const matching = (pattern: RegExp, rule: string) =>
  makeExactValidator<string>((raw) => {
    if (!pattern.test(raw)) throw new EnvError(rule);
    return raw;
  });
const secret = (what: string) =>
  makeExactValidator<string>((raw) => {
    if (raw.length < 8) throw new EnvError(`looks too short to be ${what}`);
    if (raw.length > 256) throw new EnvError('is too long');
    return raw;
  });
const httpUrl = makeExactValidator<string>((raw) => {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol)) throw new EnvError('must be an http(s) URL');
  return raw;
});
const postgresUrl = matching(/^postgres(ql)?:\/\/\S+$/, 'must be a postgresql:// URL');
const apiKeyList = makeExactValidator<string>((raw) => {
  const { problems } = parseApiKeys(raw);
  if (problems.length) throw new EnvError(problems.join('; '));
  return raw;
});

/**
 * Every setting the service reads: one entry each, with its rule, default and meaning. The
 * configuration reference (docs/configuration.md) and `.env.example` are generated from this table
 * (`npm run config:docs`); a test fails when they drift. An empty value counts as unset.
 */
// (A table, one line per variable: left as written.)
// prettier-ignore
export const SETTINGS = {
  PORT: int(0, 65535)({ default: 3000, desc: 'HTTP port.' }),
  NODE_ENV: oneOf('development', 'production', 'test')({ default: 'development', desc: '`production` refuses to start without `API_KEYS` (or `API_OPEN=true`), even in demo mode.' }),
  DATABASE_URL: postgresUrl({ default: undefined, desc: 'PostgreSQL URL. Unset: an embedded PostgreSQL with its data under `DATA_DIR`.' }),
  DATABASE_READ_URL: postgresUrl({ default: undefined, desc: 'A streaming replica of `DATABASE_URL`: REST reads and reports go there; writes and the lease stay on the primary.' }),
  DATABASE_POOL_SIZE: int(5, 200)({ default: 20, desc: 'Connections in the pool (and in the read replica pool). Must leave 4 beyond `GROUP_COMMIT_CONCURRENCY` + `REPORT_CONCURRENCY`, for polls, tracking and the background duties.' }),
  DATA_DIR: matching(/./, 'must not be empty')({ default: '.data', desc: 'Where the embedded PostgreSQL keeps its cluster.' }),
  ZEGO_API_URL: httpUrl({ default: 'https://aigc-digitalhuman-api.zegotech.cn', desc: "ZEGO's server API (overseas accounts get another host from ZEGO)." }),
  ZEGO_APP_ID: matching(/^\d{1,10}$/, 'must be the numeric AppId')({ default: undefined, desc: 'Credentials, both or neither. Neither: demo mode with the built-in simulator.' }),
  ZEGO_SERVER_SECRET: secret('a ServerSecret')({ default: undefined, desc: 'The ServerSecret of `ZEGO_APP_ID` (secret).' }),
  ZEGO_RATE_LIMIT: int(1, 1000)({ default: 10, desc: 'Upstream requests per second, every action and retry together; never exceeded.' }),
  ZEGO_TIMEOUT_MS: int(100, 120_000)({ default: 5000, desc: 'Time-out of one upstream call, ms.' }),
  ZEGO_CALLBACK_SECRET: secret('a callback secret')({ default: undefined, desc: 'The secret ZEGO signs its callbacks with (secret). Unset: `POST /callbacks/zego` answers 404.' }),
  DISCOVERY_INTERVAL_S: int(0, 86_400)({ default: 30, desc: "How often to list the account's running tasks and track new ones, seconds; 0 turns discovery off." }),
  API_KEYS: apiKeyList({ default: undefined, desc: 'Comma-separated API keys, each `scope:key` with a key of 16+ characters (secret). Scopes: `metrics` (GET /metrics), `read` (every GET), `write` (read, tracking, producer registration and other ingest), `admin` (write, alert rules, webhooks, silences); a bare key is `admin`. See [Security](security.md). Set: every route but `/health/*` and the signed callbacks needs `Authorization: Bearer <key>` or `X-API-Key: <key>`. Unset: the service refuses to start with ZEGO credentials or in production unless `API_OPEN=true`.' }),
  API_OPEN: flag({ default: false, desc: '`true`: serve the API without keys on purpose (behind a gateway that authenticates, say); logged as a warning.' }),
  SYNC_ENABLED: flag({ default: true, desc: '`false`: nothing calls ZEGO in the background (no polling, no discovery); callbacks, alerts, webhooks and housekeeping still run, on the fleet lease holder.' }),
  DRIVE_STATUS_SOURCE: oneOf('auto', 'poll', 'callbacks')({ default: 'auto', desc: '`poll`, `callbacks` or `auto`: where drive statuses come from (see [Drive status source](status-sources.md#drive-status-source)).' }),
  DRIVE_STALE_AFTER_S: int(5, 7 * 86_400)({ default: 600, desc: 'A drive still queued or playing with no news for this long, seconds, is marked unresolved; so is one left running by a task that ended.' }),
  DRIVE_SOURCE_PROBE_S: int(5, 86_400)({ default: 3600, desc: '`auto` running on callbacks: how often `GetDriveStatus` is tried again, seconds.' }),
  POLL_INTERVAL_MS: int(100, 3_600_000)({ default: 1000, desc: 'Poll interval of a task with drives queued or playing (or none yet), ms.' }),
  IDLE_POLL_INTERVAL_MS: int(100, 3_600_000)({ default: 10_000, desc: 'Poll interval of a task whose drives are all terminal, ms.' }),
  MAX_RETRY_DELAY_MS: int(1000, 3_600_000)({ default: 60_000, desc: 'Longest wait before retrying a task whose polls fail, ms.' }),
  SYNC_LAG_THRESHOLD_S: int(1, 86_400)({ default: 60, desc: 'Sync lag, seconds, that `/status` shows as the threshold. Readiness ignores the lag (a ZEGO outage must not empty the fleet): use a `sync_lag` alert rule to be told.' }),
  CIRCUIT_THRESHOLD: int(1, 10_000)({ default: 10, desc: 'Consecutive transient upstream failures that open the circuit breaker.' }),
  CIRCUIT_HALF_OPEN_S: int(1, 3600)({ default: 10, desc: 'How long an open circuit waits before letting a probe call through, seconds.' }),
  LOG_LEVEL: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')({ default: 'info', desc: 'The lowest level logged.' }),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000)({ default: 1200, desc: 'Requests per minute per client (API key, or address without one); 0 turns the limit off.' }),
  DEMO_FAILURE_RATE: fraction({ default: 0.1, desc: 'Demo mode: share of simulated drives that fail.' }),
  REPORT_CONCURRENCY: int(1, 16)({ default: 4, desc: 'Reports and history pages running at once, each holding a pool connection; up to twice as many more wait their turn, the rest get 503 with `Retry-After`.' }),
  PAGE_CACHE_MB: int(0, 4096)({ default: 16, desc: 'Memory for rendered drive pages, MB; a kept page is sent again only after a version check shows none of its rows changed (see [Performance](performance.md)). 0 turns it off.' }),
  HISTORY_RETENTION_DAYS: int(1, 36_500)({ default: undefined, desc: 'Drop drive history older than this many days, a whole month partition at a time (unset: keep all); drives, their status and every aggregate are kept.' }),
  MINUTE_RETENTION_DAYS: int(2, 90)({ default: 7, desc: 'Keep the per-minute aggregates (`interval=minute` and `5m` reports) this many days; the hourly ones are kept regardless. At least 2: minute reports reach 48 hours back.' }),
  GROUP_COMMIT_MAX: int(1, 60)({ default: 32, desc: 'Callbacks arriving together are written in one transaction of at most this many (1 writes each alone).' }),
  GROUP_COMMIT_WINDOW_MS: int(0, 100)({ default: 2, desc: 'How long a batch stays open for more callbacks after its first, ms.' }),
  GROUP_COMMIT_CONCURRENCY: int(1, 16)({ default: 4, desc: 'Batches written at once, each on one pool connection; a batch waiting for its turn keeps filling.' }),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000)({ default: 5000, desc: 'One webhook delivery attempt may take this long, ms; slower counts as failed and is retried.' }),
  WEBHOOK_RETRY_BASE_MS: int(100, 3_600_000)({ default: 5000, desc: 'Wait before the first retry of a failed delivery, ms; doubles with each retry (at most 1 h), for 24 h.' }),
  WEBHOOK_ALLOW_PRIVATE: flag({ default: false, desc: '`true`: webhooks may reach loopback and private addresses (RFC 1918, CGNAT, unique-local). Link-local addresses (cloud metadata: 169.254.0.0/16, fe80::/10) are refused whatever this says.' }),
  ALERT_RULES_MAX: int(1, 100_000)({ default: 500, desc: 'At most this many alert rules; one more is a 409.' }),
  PUBLIC_URL: httpUrl({ default: undefined, desc: 'Where people reach this service (e.g. `https://drive-status.example.com`): Slack, Teams, PagerDuty and Alertmanager notifications link to the dashboard page of the task or alert there. Unset: no links.' }),
  WEBHOOKS_MAX: int(1, 1000)({ default: 50, desc: 'At most this many webhook endpoints; one more is a 409.' }),
  SLOS_MAX: int(1, 10_000)({ default: 200, desc: 'At most this many SLOs; one more is a 409.' }),
  SILENCES_MAX: int(1, 100_000)({ default: 200, desc: 'At most this many silences not yet over; one more is a 409.' }),
  ALERT_RETENTION_DAYS: int(1, 3650)({ default: 90, desc: 'Delivered and given-up webhook deliveries (with their attempts), resolved alerts and expired silences are deleted after this many days.' }),
  ALERT_EVAL_INTERVAL_MS: int(200, 600_000)({ default: 2000, desc: 'How often the lease holder evaluates alert rules, ms (also soon after each recorded change).' }),
  SHUTDOWN_TIMEOUT_MS: int(1000, 600_000)({ default: 10_000, desc: 'How long a SIGTERM may take, ms: requests in progress finish, duties stop, the lease is released; the process is forced to exit after this.' }),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl({ default: undefined, desc: 'OpenTelemetry tracing is on when this is set (an OTLP/HTTP collector, e.g. `http://otel-collector:4318`); the SDK reads it and every other standard `OTEL_*` variable itself. Unset: the SDK is not even loaded.' }),
  OTEL_SERVICE_NAME: matching(/^\S{1,128}$/, 'must be 1-128 characters without spaces')({ default: 'drive-status', desc: 'The service name traces carry (`service.name`).' }),
};

/** Settings never shown in logs, answers or error messages. */
export const SECRET_SETTINGS: ReadonlySet<string> = new Set(['ZEGO_SERVER_SECRET', 'ZEGO_CALLBACK_SECRET', 'API_KEYS']);

/** Pool connections kept beyond group commit and reports: polls, tracking, alerts, webhooks, maintenance. */
export const POOL_RESERVE = 4;

type Settings = typeof SETTINGS;
type Values = {
  [K in keyof Settings]: Settings[K] extends OptionalValidatorSpec<infer U>
    ? U | undefined
    : Settings[K] extends RequiredValidatorSpec<infer U>
      ? U
      : never;
};

/** The validated configuration, injected as `AppConfig`; its fields are the table's variables. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the fields come from SETTINGS
export interface AppConfig extends Values {}
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class AppConfig {
  /** The defaults, overridden by `values` (already validated). */
  constructor(values: Partial<Values> = {}) {
    const defaults = Object.fromEntries(Object.entries(SETTINGS).map(([name, spec]) => [name, spec.default]));
    Object.assign(this, defaults, values);
  }

  get apiKeys(): ApiKeyEntry[] {
    return parseApiKeys(this.API_KEYS).keys;
  }

  /** Client settings other than where and who: shared by the real account and demo mode. */
  get zegoTuning() {
    return {
      rateLimit: this.ZEGO_RATE_LIMIT,
      timeoutMs: this.ZEGO_TIMEOUT_MS,
      circuitThreshold: this.CIRCUIT_THRESHOLD,
      circuitHalfOpenAfterMs: this.CIRCUIT_HALF_OPEN_S * 1000,
    };
  }

  get demoMode(): boolean {
    return !this.ZEGO_APP_ID && !this.ZEGO_SERVER_SECRET;
  }
}

export class ConfigError extends Error {}

/** Rules that involve more than one variable; each problem names the variables concerned. */
function crossChecks(config: AppConfig): string[] {
  const problems: string[] = [];
  if (Boolean(config.ZEGO_APP_ID) !== Boolean(config.ZEGO_SERVER_SECRET)) {
    problems.push('ZEGO_APP_ID and ZEGO_SERVER_SECRET must be set together (or both left unset for demo mode)');
  }
  // Closed by default: keys are needed with a real ZEGO account (or in production), unless the
  // operator says the API is meant to be open. Demo mode, on the simulator, may run open.
  if (config.apiKeys.length === 0 && !config.API_OPEN) {
    if (config.NODE_ENV === 'production') {
      problems.push(
        'API_KEYS must be set when NODE_ENV=production (or API_OPEN=true to serve the API without keys on purpose)',
      );
    } else if (!config.demoMode) {
      problems.push(
        'API_KEYS must be set when ZEGO credentials are (or API_OPEN=true to serve the API without keys on purpose)',
      );
    }
  }
  // Group commit and reports hold their connections for as long as they run: if together they can
  // take the whole pool, polls and tracking wait behind them until the connection time-out.
  const busy = config.GROUP_COMMIT_CONCURRENCY + config.REPORT_CONCURRENCY + POOL_RESERVE;
  if (busy > config.DATABASE_POOL_SIZE) {
    problems.push(
      `DATABASE_POOL_SIZE (${config.DATABASE_POOL_SIZE}) must be at least GROUP_COMMIT_CONCURRENCY + REPORT_CONCURRENCY + ${POOL_RESERVE} (${busy}): raise it or lower those`,
    );
  }
  return problems;
}

/** Builds the configuration from an environment, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const input: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const problems: string[] = [];
  // (customCleanEnv with no middleware: a plain object, without envalid's proxy and accessors.)
  const values = customCleanEnv(input, SETTINGS, (cleaned) => ({ ...cleaned }), {
    reporter: ({ errors }) => {
      for (const [name, error] of Object.entries(errors)) {
        const message = error?.message ?? 'is not valid';
        problems.push(message.startsWith(name) ? message : `${name} ${message}`);
      }
    },
  });
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  const config = new AppConfig(values);
  problems.push(...crossChecks(config));
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config;
}
