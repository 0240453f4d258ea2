import { plainToInstance, Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string' || value === '') return value === '' ? undefined : value;
  const word = value.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(word)) return true;
  if (['0', 'false', 'no', 'off'].includes(word)) return false;
  return value;
};

/**
 * Every setting the service reads, with its default. Validated once at start-up; a bad value
 * stops the start with a message that names the variable (never its value when it is secret).
 */
export class AppConfig {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgresql:// URL' })
  DATABASE_URL?: string;

  /** A PostgreSQL replica for the REST reads and reports (writes and the sync lease stay on DATABASE_URL). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_READ_URL must be a postgresql:// URL' })
  DATABASE_READ_URL?: string;

  @IsString()
  @MinLength(1)
  DATA_DIR = '.data';

  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'ZEGO_API_URL must be an http(s) URL' },
  )
  ZEGO_API_URL = 'https://aigc-digitalhuman-api.zegotech.cn';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^\d{1,10}$/, { message: 'ZEGO_APP_ID must be the numeric AppId' })
  ZEGO_APP_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ZEGO_SERVER_SECRET looks too short to be a ServerSecret' })
  @MaxLength(256, { message: 'ZEGO_SERVER_SECRET is too long' })
  ZEGO_SERVER_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  ZEGO_RATE_LIMIT = 10;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  ZEGO_TIMEOUT_MS = 5000;

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[^,\s]{16,}(,[^,\s]{16,})*$/, {
    message: 'API_KEYS must be a comma-separated list of keys, each at least 16 characters without spaces',
  })
  API_KEYS?: string;

  /** Serve the API without keys on purpose (behind a gateway that authenticates, say). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'API_OPEN must be true or false' })
  API_OPEN = false;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(8, { message: 'ZEGO_CALLBACK_SECRET looks too short to be a callback secret' })
  @MaxLength(256, { message: 'ZEGO_CALLBACK_SECRET is too long' })
  ZEGO_CALLBACK_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(86_400)
  DISCOVERY_INTERVAL_S = 30;

  @Transform(toBool)
  @IsIn([true, false], { message: 'SYNC_ENABLED must be true or false' })
  SYNC_ENABLED = true;

  /**
   * Where drive statuses come from: `poll` (GetDriveStatus, plus callbacks), `callbacks` (never
   * GetDriveStatus), or `auto` (poll; switch to callbacks while GetDriveStatus is refused as unsupported).
   */
  @IsIn(['auto', 'poll', 'callbacks'], { message: 'DRIVE_STATUS_SOURCE must be auto, poll or callbacks' })
  DRIVE_STATUS_SOURCE: 'auto' | 'poll' | 'callbacks' = 'auto';

  /** A queued or playing drive without news for this long is marked unresolved. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(7 * 86_400)
  DRIVE_STALE_AFTER_S = 600;

  /** In `auto` mode, after switching to callbacks: how often GetDriveStatus is tried again. */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  @Max(86_400)
  DRIVE_SOURCE_PROBE_S = 3600;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  POLL_INTERVAL_MS = 1000;

  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  IDLE_POLL_INTERVAL_MS = 10_000;

  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  MAX_RETRY_DELAY_MS = 60_000;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SYNC_LAG_THRESHOLD_S = 60;

  /** Consecutive transient upstream failures that open the circuit breaker. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(10_000)
  CIRCUIT_THRESHOLD = 10;

  /** How long an open circuit waits before a probe call. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  CIRCUIT_HALF_OPEN_S = 10;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent' = 'info';

  /** Requests per minute one client (API key, or address without one) may make; 0 turns the limit off. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  RATE_LIMIT_PER_MINUTE = 1200;

  /**
   * Keep drive history this many days (unset: for ever). Whole months are dropped, once all of a
   * month is older than this; drives, their current status and every aggregate are kept.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36_500)
  HISTORY_RETENTION_DAYS?: number;

  /**
   * Group commit: callbacks arriving together are written in one transaction of at most this many
   * (1 writes each in its own). Each answer still waits for the commit that holds its event.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(60)
  GROUP_COMMIT_MAX = 32;

  /** How long the first callback of a batch waits for others (ms); a full batch goes at once. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(100)
  GROUP_COMMIT_WINDOW_MS = 2;

  /** Batches being written at once (each holds one database connection of the 20). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  GROUP_COMMIT_CONCURRENCY = 4;

  /** Reports and history pages running at once (each holds a database connection of the 20). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(16)
  REPORT_CONCURRENCY = 4;

  /** How long one webhook delivery attempt may take before it counts as failed. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 5000;

  /** Wait before the first retry of a failed delivery; each retry doubles it (at most 1 h). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  WEBHOOK_RETRY_BASE_MS = 5000;

  /** How often the lease holder evaluates the alert rules (also right after each recorded change). */
  @Transform(toInt)
  @IsInt()
  @Min(200)
  @Max(600_000)
  ALERT_EVAL_INTERVAL_MS = 2000;

  /** How long a SIGTERM may take: requests in progress finish, then the process exits (forced after this). */
  @Transform(toInt)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * OpenTelemetry tracing is on when this is set (an OTLP/HTTP collector, e.g. http://otel-collector:4318);
   * the SDK reads it and every other standard OTEL_* variable itself (see src/tracing/tracing.ts).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsUrl(
    { require_tld: false, require_protocol: true, protocols: ['http', 'https'] },
    { message: 'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL' },
  )
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** The service name traces carry (service.name). */
  @IsString()
  @Matches(/^\S{1,128}$/, { message: 'OTEL_SERVICE_NAME must be 1-128 characters without spaces' })
  OTEL_SERVICE_NAME = 'drive-status';

  @Transform(({ value }) => (value === undefined || value === '' ? undefined : Number(value)))
  @IsNumber()
  @Min(0)
  @Max(1)
  DEMO_FAILURE_RATE = 0.1;

  get apiKeys(): string[] {
    return this.API_KEYS ? this.API_KEYS.split(',') : [];
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

/** Builds the configuration from an environment, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const input: Record<string, string> = {};
  for (const key of known) {
    const value = env[key];
    if (value !== undefined) input[key] = value;
  }
  const config = plainToInstance(AppConfig, input, { exposeDefaultValues: true });
  const problems = validateSync(config, { forbidUnknownValues: true }).map((error) => {
    const message = Object.values(error.constraints ?? {})[0] ?? 'is not valid';
    return message.startsWith(error.property) ? message : `${error.property} ${message}`;
  });
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
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return config;
}
