// `npm run bench`: Rollcall under a Microsoft Entra-shaped provisioning load, measured next to a
// hello-world Fastify echo server with the same client. Both run as child processes on 127.0.0.1
// (or --url/--token target a running Rollcall); any failed request makes the run exit 1.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { Pool } from 'undici'
import { send, type Target } from './client.ts'
import { createFreshDatabase, dropDatabase, redactUrl, type FreshDatabase } from './database.ts'
import { startCpuProbe } from './cpu.ts'
import { runCycles } from './cycle.ts'
import { createOpStats, createPhase, runTimed, summarizePhase, type PhaseSummary } from './load.ts'
import {
  currentLoadAverage,
  describeMachine,
  hasFailures,
  renderFailures,
  renderMarkdown,
  type BenchReport,
} from './report.ts'
import {
  freePort,
  killAllChildrenNow,
  LOOPBACK,
  PROJECT_ROOT,
  runCli,
  startChildServer,
  stopAllChildren,
  type ChildServer,
} from './server-process.ts'

const USAGE = `Usage: npm run bench -- [options]

  --users N          users provisioned (default 10000)
  --groups N         groups (default users/100); each user joins ~2 groups
  --concurrency C    requests in flight and pool connections (default 16)
  --member-batch M   members per PATCH (default 100)
  --echo-seconds S   duration of the echo-server reference (default 5; 0 skips it)
  --database-url U   run Rollcall on PostgreSQL (postgres://…) instead of a fresh SQLite
  --no-fresh-database
                     with --database-url: use the URL's database as it is. By default the bench
                     creates rollcall_bench_<random> on that server, runs there and drops it
                     afterwards (kept for inspection when requests fail)
  --pool-size N      with --database-url: DATABASE_POOL_SIZE of the server (its default is 10)
  --url U --token T  use a running Rollcall: U is the tenant's SCIM Base URL
  --json             print the results as JSON too
  --help`

// Used with --database-url when ROLLCALL_SECRET is unset: fixed, so repeated runs on one
// benchmark database can still decrypt the signing key created by the first.
const BENCH_POSTGRES_SECRET = 'rollcall-bench-secret-for-benchmark-databases-only'

class UsageError extends Error {}

interface Options {
  readonly users: number
  readonly groups: number
  readonly concurrency: number
  readonly memberBatch: number
  readonly echoSeconds: number
  readonly databaseUrl: string | undefined
  readonly freshDatabase: boolean
  readonly poolSize: number | undefined
  readonly url: string | undefined
  readonly token: string | undefined
  readonly json: boolean
  readonly help: boolean
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new UsageError(`--${name} must be an integer ≥ ${min}, got "${value}"`)
  }
  return Number(value)
}

function parseOptions(argv: readonly string[]): Options {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        users: { type: 'string' },
        groups: { type: 'string' },
        concurrency: { type: 'string' },
        'member-batch': { type: 'string' },
        'echo-seconds': { type: 'string' },
        'database-url': { type: 'string' },
        'fresh-database': { type: 'boolean', default: true },
        'pool-size': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const users = integer('users', parsed.users, 10_000, 1)
  const echoSeconds = Number(parsed['echo-seconds'] ?? 5)
  if (!Number.isFinite(echoSeconds) || echoSeconds < 0 || echoSeconds > 600) {
    throw new UsageError(`--echo-seconds must be a number from 0 to 600`)
  }
  if ((parsed.url === undefined) !== (parsed.token === undefined)) {
    throw new UsageError('--url and --token go together')
  }
  const databaseUrl = parsed['database-url']
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError('--database-url must be a postgres:// URL')
  }
  const poolSize =
    parsed['pool-size'] === undefined ? undefined : integer('pool-size', parsed['pool-size'], 10, 1)
  if (poolSize !== undefined && (databaseUrl === undefined || parsed.url !== undefined)) {
    throw new UsageError('--pool-size needs --database-url (and no --url)')
  }
  return {
    users,
    groups: integer('groups', parsed.groups, Math.max(1, Math.round(users / 100)), 0),
    concurrency: integer('concurrency', parsed.concurrency, 16, 1),
    memberBatch: integer('member-batch', parsed['member-batch'], 100, 1),
    echoSeconds,
    databaseUrl,
    freshDatabase: parsed['fresh-database'] !== false,
    poolSize,
    url: parsed.url,
    token: parsed.token,
    json: parsed.json === true,
    help: parsed.help === true,
  }
}

/** The command as typed, with the token and any database password hidden. */
function commandLine(): string {
  const args: string[] = []
  const argv = process.argv.slice(2)
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? ''
    const previous = argv[i - 1]
    if (previous === '--token') args.push('***')
    else if (arg.startsWith('--token=')) args.push('--token=***')
    else args.push(arg.replace(/(postgres(?:ql)?:\/\/[^:/@]+:)[^@]*@/, '$1***@'))
  }
  const quoted = args.map((arg) => (/^[\w./:=@*-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')
  if (process.env['npm_lifecycle_event'] === 'bench') {
    return quoted === '' ? 'npm run bench' : `npm run bench -- ${quoted}`
  }
  return `tsx bench/run.ts ${quoted}`.trim()
}

/** The code under test: HEAD and how many files under src/ differ from it (a shared tree). */
function codeRevision(): string {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: 'pipe' }).trim()
  try {
    const head = git('rev-parse', '--short', 'HEAD')
    const dirty = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length
    if (dirty === 0) return `HEAD ${head}`
    return `HEAD ${head} + uncommitted changes to ${dirty} files in src/`
  } catch {
    return 'unknown (not a git checkout)'
  }
}

function progress(line: string): void {
  const time = new Date().toISOString().slice(11, 19)
  process.stderr.write(`[bench ${time}] ${line}\n`)
}

function poolFor(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    connect: { timeout: 10_000 },
  })
}

// What must be undone on any exit: open pools, the temp DATA_DIR, the fresh PostgreSQL database,
// the children (server-process).
const pools = new Set<Pool>()
let dataDir: string | undefined
let keepDataDir = false
let freshDatabase: { readonly serverUrl: string; readonly database: FreshDatabase } | undefined
let keepDatabase = false

async function cleanup(): Promise<void> {
  await Promise.all([...pools].map((pool) => pool.destroy().catch(() => undefined)))
  pools.clear()
  // Rollcall first: it holds connections to the database dropped below.
  await stopAllChildren()
  if (dataDir !== undefined && !keepDataDir) {
    await rm(dataDir, { recursive: true, force: true }).catch(() => undefined)
  }
  if (freshDatabase !== undefined && !keepDatabase) {
    const { serverUrl, database } = freshDatabase
    try {
      await dropDatabase(serverUrl, database.name)
      progress(`dropped database ${database.name}`)
      freshDatabase = undefined
    } catch (error) {
      console.error(
        `could not drop the benchmark database ${database.name}: ${(error as Error).message}`,
      )
    }
  }
}

let interrupted = false
let interruptedAt = 0
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Ctrl-C reaches us twice (from the terminal and relayed by tsx): only a later one forces.
    if (interrupted) {
      if (performance.now() - interruptedAt < 2000) return
      killAllChildrenNow()
      if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true })
      if (freshDatabase !== undefined) {
        console.error(`benchmark database left behind: ${freshDatabase.database.name}`)
      }
      process.exit(130)
    }
    interrupted = true
    interruptedAt = performance.now()
    progress(`${signal}: stopping the child processes`)
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
}

interface RollcallTarget {
  readonly origin: string
  readonly baseUrl: string
  readonly token: string
  readonly store: string
  readonly server: ChildServer | undefined
  /** On PostgreSQL, the database Rollcall runs on (its backends' CPU is measured). */
  readonly database: string | undefined
}

/**
 * Creates the tenant and token with the CLI in a fresh DATA_DIR (and, on PostgreSQL, by default in
 * a fresh database), then starts the server.
 */
async function startRollcall(options: Options): Promise<RollcallTarget> {
  if (options.url !== undefined && options.token !== undefined) {
    if (options.databaseUrl !== undefined) progress('--database-url is ignored with --url')
    return {
      origin: new URL(options.url).origin,
      baseUrl: options.url.replace(/\/+$/, ''),
      token: options.token,
      store: 'existing server',
      server: undefined,
      database: undefined,
    }
  }
  dataDir = await mkdtemp(join(tmpdir(), 'rollcall-bench-'))
  const port = await freePort()
  const env: Record<string, string> = {
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: LOOPBACK,
    LOG_LEVEL: 'warn',
  }
  let store = 'SQLite, fresh DATA_DIR'
  let database: string | undefined
  if (options.databaseUrl !== undefined) {
    let databaseUrl = options.databaseUrl
    let where = `database of ${redactUrl(databaseUrl)}`
    if (options.freshDatabase) {
      const fresh = await createFreshDatabase(options.databaseUrl)
      freshDatabase = { serverUrl: options.databaseUrl, database: fresh }
      databaseUrl = fresh.url
      where = `fresh database ${fresh.name}`
      progress(`created database ${fresh.name} on ${redactUrl(options.databaseUrl)}`)
    }
    database = decodeURIComponent(new URL(databaseUrl).pathname.slice(1)) || undefined
    env['DATABASE_URL'] = databaseUrl
    env['ROLLCALL_SECRET'] = process.env['ROLLCALL_SECRET'] ?? BENCH_POSTGRES_SECRET
    if (options.poolSize !== undefined) env['DATABASE_POOL_SIZE'] = String(options.poolSize)
    const pool =
      options.poolSize === undefined
        ? 'DATABASE_POOL_SIZE unset (10)'
        : `DATABASE_POOL_SIZE ${options.poolSize}`
    store = `PostgreSQL, ${where}, ${pool}`
  }
  progress(`DATA_DIR ${dataDir}: creating tenant "bench" and its SCIM token`)
  try {
    await runCli(['tenant', 'create', '--slug', 'bench', '--name', 'Bench'], env)
  } catch (error) {
    // A reused PostgreSQL database may keep the tenant of a previous run (--no-fresh-database);
    // the token issue below decides.
    if (options.databaseUrl === undefined || options.freshDatabase) throw error
    progress(`tenant create failed, trying the existing tenant: ${(error as Error).message}`)
  }
  const issued = await runCli(
    ['scim-token', 'issue', '--tenant', 'bench', '--force', '--json'],
    env,
  )
  const jsonLine = [...issued.split('\n')].reverse().find((line) => line.trim().startsWith('{'))
  const credentials = JSON.parse(jsonLine ?? '{}') as { baseUrl?: unknown; token?: unknown }
  if (typeof credentials.baseUrl !== 'string' || typeof credentials.token !== 'string') {
    throw new Error(`unexpected scim-token issue output: ${issued}`)
  }
  progress(`starting Rollcall on port ${port}`)
  const server = await startChildServer('Rollcall', 'src/server.ts', port, env)
  return {
    origin: server.origin,
    baseUrl: credentials.baseUrl.replace(/\/+$/, ''),
    token: credentials.token,
    store,
    server,
    database,
  }
}

/** A JSON body of exactly 1024 bytes. */
function echoBody(): Record<string, unknown> {
  const body: Record<string, unknown> = {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName: 'ada.lovelace@bench.example',
    active: true,
    padding: '',
  }
  body['padding'] = 'x'.repeat(1024 - JSON.stringify(body).length)
  return body
}

/** The reference: POST /echo of 1 KB with the same pool settings and concurrency. */
async function measureEcho(options: Options): Promise<PhaseSummary | null> {
  if (options.echoSeconds === 0) return null
  const port = await freePort()
  progress('starting the echo server')
  const echo = await startChildServer('echo server', 'bench/echo-server.ts', port, {})
  const pool = poolFor(echo.origin, options.concurrency)
  pools.add(pool)
  try {
    const stats = createOpStats('echo')
    const phase = createPhase('reference: echo', [stats])
    const target: Target = { pool, basePath: '', headers: { 'content-type': 'application/json' } }
    const body = echoBody()
    const warmupSeconds = Math.min(1, options.echoSeconds / 5)
    progress(`reference: echo for ${warmupSeconds} s warm-up + ${options.echoSeconds} s`)
    phase.wallMs = await runTimed(
      options.echoSeconds,
      warmupSeconds,
      options.concurrency,
      async (measured) => {
        await send(target, stats, 'POST', '/echo', { expected: [200], body, record: measured })
      },
    )
    return summarizePhase(phase)
  } finally {
    pools.delete(pool)
    await pool.close()
    await echo.stop()
  }
}

async function main(): Promise<number> {
  let options: Options
  try {
    options = parseOptions(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${error.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  const command = commandLine()
  const date = new Date().toISOString()
  const machine = describeMachine()
  const revision = codeRevision()
  const runId = randomBytes(3).toString('hex')

  const rollcall = await startRollcall(options)
  const echo = await measureEcho(options)

  const pool = poolFor(rollcall.origin, options.concurrency)
  pools.add(pool)
  const target: Target = {
    pool,
    basePath: new URL(rollcall.baseUrl).pathname,
    headers: {
      authorization: `Bearer ${rollcall.token}`,
      'content-type': 'application/scim+json',
    },
  }
  progress(`Entra cycles against ${rollcall.baseUrl} (run ${runId})`)
  const cpuProbe =
    rollcall.server === undefined
      ? undefined
      : startCpuProbe(rollcall.server.pid, rollcall.database)
  const cycles = await runCycles(
    target,
    {
      runId,
      users: options.users,
      groups: options.groups,
      concurrency: options.concurrency,
      memberBatch: options.memberBatch,
      cpu: cpuProbe === undefined ? undefined : () => cpuProbe.read(),
    },
    progress,
  )
  cpuProbe?.stop()
  pools.delete(pool)
  await pool.close()
  if (interrupted) return 130
  machine.loadAverageAtEnd = currentLoadAverage()

  const phases = cycles.phases.map(summarizePhase)
  const allTypes = [...phases, ...(echo === null ? [] : [echo])].flatMap((phase) => phase.types)
  const report: BenchReport = {
    command,
    date,
    revision,
    machine,
    target: { store: rollcall.store, baseUrl: rollcall.baseUrl },
    params: {
      users: options.users,
      groups: options.groups,
      concurrency: options.concurrency,
      memberBatch: options.memberBatch,
      echoSeconds: options.echoSeconds,
    },
    initialCycleSeconds: cycles.initialCycleMs / 1000,
    phases,
    echo,
    checks: cycles.checks,
    skipped: cycles.skipped,
    failedRequests: allTypes.reduce((total, type) => total + type.errors, 0),
  }

  console.log(renderMarkdown(report))
  if (options.json) console.log(JSON.stringify(report, null, 2))
  if (!hasFailures(report)) return 0

  console.error(`\n${renderFailures(report)}`)
  if (rollcall.server !== undefined) {
    console.error(`\nLast lines of the Rollcall server log:\n${rollcall.server.logTail()}`)
  }
  if (dataDir !== undefined) {
    keepDataDir = true
    console.error(`\nDATA_DIR kept for inspection: ${dataDir}`)
  }
  if (freshDatabase !== undefined) {
    keepDatabase = true
    const { name } = freshDatabase.database
    console.error(
      `\nDatabase kept for inspection: ${name} (drop it with: ` +
        `psql … -c 'DROP DATABASE ${name} WITH (FORCE)')`,
    )
  }
  return 1
}

void main()
  .catch((error: unknown) => {
    // After SIGINT/SIGTERM the pools are destroyed under the running phase: not a failure to report.
    if (interrupted) return 130
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`)
    return 1
  })
  .then(async (code) => {
    // The signal handler cleans up and exits by itself.
    if (interrupted) return
    await cleanup()
    process.exit(code)
  })
