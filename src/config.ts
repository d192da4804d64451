// The one configuration loader: environment variables -> a frozen, validated Config.
// Only server.ts and cli/main.ts call loadConfig; everything else receives what it needs.
import { z } from 'zod'

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

const portSchema = z.coerce.number().int().min(0).max(65535)
const positiveInt = z.coerce.number().int().positive()

const envSchema = z.object({
  PORT: portSchema.default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z
    .string()
    .url()
    .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// URL')
    .optional(),
  DATABASE_POOL_SIZE: positiveInt.max(1000).default(10),
  LOG_LEVEL: z.enum(logLevels).default('info'),
  ROLLCALL_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)')
    .optional(),
  SCIM_MAX_BODY_BYTES: positiveInt.default(1_048_576),
  SCIM_MAX_RESULTS: positiveInt.max(10_000).default(1000),
  SCIM_DEFAULT_PAGE_SIZE: positiveInt.default(100),
  SCIM_MAX_FILTER_LENGTH: positiveInt.default(4096),
  SCIM_BULK_MAX_OPERATIONS: positiveInt.default(1000),
  SCIM_MAX_PATCH_OPERATIONS: positiveInt.default(1000),
  SCIM_MAX_JSON_DEPTH: positiveInt.max(10_000).default(64),
  SCIM_MAX_INFLIGHT_PER_TENANT: positiveInt.default(64),
  PROVISIONING_LOG_RETENTION_DAYS: positiveInt.default(30),
  PROVISIONING_LOG_MAX_ROWS_PER_TENANT: positiveInt.default(100_000),
  PROVISIONING_LOG_MAX_BODY_BYTES: z.coerce.number().int().min(0).default(4096),
  SHUTDOWN_TIMEOUT_SECONDS: positiveInt.default(10),
  TRUST_PROXY: z
    .string()
    .regex(
      /^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/,
      'must be true, false, a hop count, or a comma-separated list of proxy addresses/CIDRs',
    )
    .default('false'),
  SESSION_IDLE_SECONDS: positiveInt.default(8 * 3600),
  SESSION_ABSOLUTE_SECONDS: positiveInt.default(7 * 24 * 3600),
  LOGIN_MAX_FAILURES_PER_ACCOUNT: positiveInt.default(5),
  LOGIN_MAX_FAILURES_PER_ADDRESS: positiveInt.default(20),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt.default(900),
  LOGIN_MAX_DELAY_SECONDS: positiveInt.default(60),
  SSO_ALLOW_PRIVATE_ISSUERS: z.enum(['true', 'false'], 'must be true or false').default('false'),
  DOMAIN_VERIFICATION_DNS_SERVERS: z
    .string()
    .regex(
      /^[0-9a-zA-Z.:[\],\s-]+$/,
      'must be a comma-separated list of DNS server addresses (host or host:port)',
    )
    .optional(),
  DOMAIN_VERIFICATION_TIMEOUT_SECONDS: positiveInt.max(60).default(5),
  EVENT_RETENTION_DAYS: positiveInt.max(3650).default(30),
  WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(15),
  WEBHOOK_RETRY_SECONDS: z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/,
      'must be a comma-separated list of seconds (fractions allowed), e.g. 5,300,1800',
    )
    .default('5,300,1800,7200,18000,36000,36000'),
  WEBHOOK_CONCURRENCY: positiveInt.max(256).default(8),
  WEBHOOK_DELIVERY_LOG_RETENTION_DAYS: positiveInt.default(30),
})

export type LogLevel = (typeof logLevels)[number]

export interface Config {
  readonly port: number
  readonly host: string
  /** The origin used in Base URLs and Location headers, without a trailing slash. */
  readonly publicUrl: string
  readonly dataDir: string
  readonly databaseUrl: string | undefined
  /**
   * Fastify's trustProxy: whom to believe for X-Forwarded-For (the client address used by the
   * login rate limit) — false, true, a hop count, or proxy addresses/CIDRs.
   */
  readonly trustProxy: boolean | number | readonly string[]
  /** Connections per instance to PostgreSQL. */
  readonly databasePoolSize: number
  readonly logLevel: LogLevel
  /** Unset means: read or create DATA_DIR/secret (see server.ts / cli). */
  readonly secret: string | undefined
  readonly scim: {
    readonly maxBodyBytes: number
    readonly maxResults: number
    readonly defaultPageSize: number
    readonly maxFilterLength: number
    readonly bulkMaxOperations: number
    /** Operations per PATCH request (and per PATCH inside /Bulk) before 400. */
    readonly maxPatchOperations: number
    /** Nesting of [ and { in a request body before 400, checked before the body is parsed. */
    readonly maxJsonDepth: number
    /** Requests of one tenant in progress at once on this instance before 429. */
    readonly maxInFlightPerTenant: number
  }
  readonly provisioningLog: {
    readonly retentionDays: number
    readonly maxRowsPerTenant: number
    readonly maxBodyBytes: number
  }
  readonly shutdownTimeoutSeconds: number
  readonly sessions: {
    /** A session unused this long ends. */
    readonly idleSeconds: number
    /** A session ends this long after sign-in, however active. */
    readonly absoluteSeconds: number
    /** Secure cookies: PUBLIC_URL is https. */
    readonly secureCookies: boolean
  }
  /** How verified domains are looked up (DNS TXT records). */
  readonly domainVerification: {
    /** DNS servers to ask; empty means the system's resolver configuration. */
    readonly dnsServers: readonly string[]
    readonly timeoutMs: number
  }
  /** Local (password) sign-in throttling, counted in the database across instances. */
  readonly localLogin: {
    readonly maxFailuresPerAccount: number
    readonly maxFailuresPerAddress: number
    readonly windowSeconds: number
    /** Longest wait the progressive per-account delay imposes after failures from anywhere. */
    readonly maxDelaySeconds: number
  }
  readonly sso: {
    /**
     * SSO_ALLOW_PRIVATE_ISSUERS: OpenID Providers on private, loopback or link-local addresses
     * (refused by default: the issuer URL is the tenant's input), and http:// for loopback ones.
     */
    readonly allowPrivateIssuers: boolean
  }
  readonly events: {
    /** Events older than this are pruned (feeds and webhooks can replay this far back). */
    readonly retentionDays: number
  }
  /** Webhook deliveries (see docs/webhooks.md). */
  readonly webhooks: {
    readonly timeoutMs: number
    /** The wait after each failed attempt, in milliseconds; its length is the retries made. */
    readonly retryScheduleMs: readonly number[]
    /** Endpoints delivered to in parallel by one instance. */
    readonly concurrency: number
    readonly deliveryLogRetentionDays: number
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Reads and validates every variable at once; throws ConfigError listing each invalid one. */
export function loadConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): Config {
  // Empty strings mean "unset", as shells and .env files often produce them.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  )
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.')
      const value =
        name === 'ROLLCALL_SECRET' || name === 'DATABASE_URL'
          ? ''
          : ` (got "${present[name] ?? ''}")`
      return `${name}: ${issue.message}${value}`
    })
    throw new ConfigError(problems)
  }
  const e = parsed.data
  const publicUrl = (
    e.PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '')
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    databasePoolSize: e.DATABASE_POOL_SIZE,
    logLevel: e.LOG_LEVEL,
    secret: e.ROLLCALL_SECRET,
    scim: Object.freeze({
      maxBodyBytes: e.SCIM_MAX_BODY_BYTES,
      maxResults: e.SCIM_MAX_RESULTS,
      defaultPageSize: Math.min(e.SCIM_DEFAULT_PAGE_SIZE, e.SCIM_MAX_RESULTS),
      maxFilterLength: e.SCIM_MAX_FILTER_LENGTH,
      bulkMaxOperations: e.SCIM_BULK_MAX_OPERATIONS,
      maxPatchOperations: e.SCIM_MAX_PATCH_OPERATIONS,
      maxJsonDepth: e.SCIM_MAX_JSON_DEPTH,
      maxInFlightPerTenant: e.SCIM_MAX_INFLIGHT_PER_TENANT,
    }),
    provisioningLog: Object.freeze({
      retentionDays: e.PROVISIONING_LOG_RETENTION_DAYS,
      maxRowsPerTenant: e.PROVISIONING_LOG_MAX_ROWS_PER_TENANT,
      maxBodyBytes: e.PROVISIONING_LOG_MAX_BODY_BYTES,
    }),
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT_SECONDS,
    sessions: Object.freeze({
      idleSeconds: e.SESSION_IDLE_SECONDS,
      absoluteSeconds: Math.max(e.SESSION_ABSOLUTE_SECONDS, e.SESSION_IDLE_SECONDS),
      secureCookies: publicUrl.startsWith('https://'),
    }),
    domainVerification: Object.freeze({
      dnsServers: Object.freeze(
        (e.DOMAIN_VERIFICATION_DNS_SERVERS ?? '')
          .split(',')
          .map((server) => server.trim())
          .filter((server) => server !== ''),
      ),
      timeoutMs: e.DOMAIN_VERIFICATION_TIMEOUT_SECONDS * 1000,
    }),
    localLogin: Object.freeze({
      maxFailuresPerAccount: e.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      maxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
    }),
    sso: Object.freeze({ allowPrivateIssuers: e.SSO_ALLOW_PRIVATE_ISSUERS === 'true' }),
    events: Object.freeze({ retentionDays: e.EVENT_RETENTION_DAYS }),
    webhooks: Object.freeze({
      timeoutMs: Math.round(e.WEBHOOK_TIMEOUT_SECONDS * 1000),
      retryScheduleMs: Object.freeze(
        e.WEBHOOK_RETRY_SECONDS.split(',').map((step) => Math.round(Number(step.trim()) * 1000)),
      ),
      concurrency: e.WEBHOOK_CONCURRENCY,
      deliveryLogRetentionDays: e.WEBHOOK_DELIVERY_LOG_RETENTION_DAYS,
    }),
  })
}

function parseTrustProxy(value: string): boolean | number | readonly string[] {
  if (value === 'true') return true
  if (value === 'false') return false
  if (/^\d+$/.test(value)) return Number(value)
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
}
