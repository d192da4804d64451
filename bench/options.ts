// The command line of `npm run bench`: every flag, its default and its checks.
import { execFileSync } from 'node:child_process'
import { parseArgs } from 'node:util'

export const WORKLOADS = [
  'users',
  'groups',
  'incremental',
  'lookups',
  'pages',
  'member-patches',
  'creates',
  'big-group',
] as const
export type WorkloadName = (typeof WORKLOADS)[number]
/** The workloads of the size table, in the order they run at each size. */
export const SIZE_WORKLOADS = ['lookups', 'pages', 'member-patches', 'creates'] as const
/** The Entra cycle's steps (cycle.ts). */
export const CYCLE_WORKLOADS = ['users', 'groups', 'incremental'] as const

export const USAGE = `Usage: npm run bench -- [options]

Workloads (--workload a,b,…; default: every one that fits the other flags):
  users            Entra initial cycle, users phase: lookup + create of --users users, Entra's full
                   body with the enterprise extension; users/s and × echo
  groups           Entra initial cycle, groups phase: --groups groups, members added by PATCHes of
                   --member-batch; groups/s and the PATCH add p50
  incremental      Entra incremental cycle: attribute replaces, deactivations, member removals,
                   deletes
  lookups          GET /Users?filter=userName eq "<random existing user>"
  pages            GET /Users?startIndex=<random>&count=100; every totalResults must be the
                   tenant's user count
  member-patches   PATCH add one member then PATCH remove it, on a group of the run
  creates          POST /Users, one user each (the tenant grows)
  big-group        a group of --big-group-members members and one of 10 (bulk-loaded): PATCH remove
                   + add one member and GET ?excludedAttributes=members, one request at a time,
                   p50/p99 and the ratio to the 10-member group; then one full GET of the big group
                   with the server's peak RSS during it (needs a server the bench starts)
  Without "users", the tenant is bulk-loaded with --users users (bench/bulk-load.ts) before the
  timed workloads; with it, they run on the users it created.

Size and time:
  --users N          users in the tenant (default 10000)
  --groups N         groups of the groups phase (default users/100); each user joins ~2 groups
  --member-batch M   members per PATCH in the groups phase (default 100)
  --big-group-members M
                     members of the big group (default: the tenant's size, at most 1000000;
                     more than the tenant has are bulk-loaded first)
  --seconds S        duration of each timed workload after a warm-up of min(1, S/5) s (default 5)
  --concurrency C    requests in flight and pool connections (default 16)
  --runs R           repeat everything R times (each normal run on a fresh tenant; with --sizes,
                     the workloads at each size) and print the medians (default 1)
  --sizes A,B,…      instead of the workloads above: for each tenant size, ascending, bulk-load
                     the tenant to that size, restart the server, run lookups, pages,
                     member-patches and creates (those of --workload, if given), and print the
                     per-request cost by tenant size with the server's RSS
  --plot FILE        with --sizes: write an SVG chart of p50 latency against tenant size to FILE
                     (e.g. bench/results/latency-by-size.svg)
  --short            CI mode: every workload tiny (300 users, 3 groups, 1 s each, echo 1 s, then
                     --sizes 200,1000); checks it works, not its speed; exits 1 on any failure
  --echo-seconds S   duration of the echo-server reference, run in the same process run
                     (default 5; 0 skips it and the × echo ratios)

Where:
  --database-url U   run Rollcall on PostgreSQL (postgres://…) instead of a fresh SQLite
  --no-fresh-database
                     with --database-url: use the URL's database as it is. By default the bench
                     creates rollcall_bench_<random> on that server, runs there and drops it
                     afterwards (kept for inspection when requests fail)
  --pool-size N      with --database-url: DATABASE_POOL_SIZE of the server (its default is 10)
  --url U --token T  use a running Rollcall: U is the tenant's SCIM Base URL (no bulk load: the
                     timed workloads need "users" in the same run; no big-group, no --sizes)
  --pin / --no-pin   run Rollcall (and the echo server) on CPU 0 and the load generator on CPU 1
                     with taskset (default: on when taskset exists and there are 2+ CPUs)

Output:
  --json             print the results as JSON too
  --help

Any failed request or read-back check makes the run exit 1.`

export class UsageError extends Error {}

export interface Options {
  readonly workloads: readonly WorkloadName[]
  readonly users: number
  readonly groups: number
  readonly concurrency: number
  readonly memberBatch: number
  readonly bigGroupMembers: number | undefined
  readonly seconds: number
  readonly runs: number
  readonly sizes: readonly number[] | undefined
  readonly plot: string | undefined
  readonly short: boolean
  readonly echoSeconds: number
  readonly databaseUrl: string | undefined
  readonly freshDatabase: boolean
  readonly poolSize: number | undefined
  readonly url: string | undefined
  readonly token: string | undefined
  readonly pin: boolean
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

function seconds(name: string, value: string | undefined, fallback: number, min: number): number {
  const parsed = Number(value ?? fallback)
  if (value === '' || !Number.isFinite(parsed) || parsed < min || parsed > 600) {
    throw new UsageError(`--${name} must be a number from ${min} to 600`)
  }
  return parsed
}

function canPin(): boolean {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function parseOptions(argv: readonly string[], cpus: number): Options {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      allowNegative: true,
      options: {
        workload: { type: 'string' },
        users: { type: 'string' },
        groups: { type: 'string' },
        concurrency: { type: 'string' },
        'member-batch': { type: 'string' },
        'big-group-members': { type: 'string' },
        seconds: { type: 'string' },
        runs: { type: 'string' },
        sizes: { type: 'string' },
        plot: { type: 'string' },
        short: { type: 'boolean', default: false },
        'echo-seconds': { type: 'string' },
        'database-url': { type: 'string' },
        'fresh-database': { type: 'boolean', default: true },
        'pool-size': { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        pin: { type: 'boolean' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }).values
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  const short = parsed.short === true
  const users = integer('users', parsed.users, short ? 300 : 10_000, 1)
  if ((parsed.url === undefined) !== (parsed.token === undefined)) {
    throw new UsageError('--url and --token go together')
  }
  const external = parsed.url !== undefined
  const databaseUrl = parsed['database-url']
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new UsageError('--database-url must be a postgres:// URL')
  }
  const poolSize =
    parsed['pool-size'] === undefined ? undefined : integer('pool-size', parsed['pool-size'], 10, 1)
  if (poolSize !== undefined && (databaseUrl === undefined || external)) {
    throw new UsageError('--pool-size needs --database-url (and no --url)')
  }
  const sizesText = parsed.sizes ?? (short ? '200,1000' : undefined)
  const sizes = sizesText?.split(',').map((size) => integer('sizes', size.trim(), 0, 1))
  if (sizes !== undefined && external)
    throw new UsageError('--sizes needs a server the bench starts')
  if (parsed.plot !== undefined && sizes === undefined) throw new UsageError('--plot needs --sizes')
  let workloads: WorkloadName[]
  if (parsed.workload !== undefined) {
    workloads = []
    for (const name of parsed.workload.split(',').map((w) => w.trim())) {
      if (!(WORKLOADS as readonly string[]).includes(name)) {
        throw new UsageError(`unknown workload "${name}"; known: ${WORKLOADS.join(', ')}`)
      }
      if (!workloads.includes(name as WorkloadName)) workloads.push(name as WorkloadName)
    }
    if (external && workloads.includes('big-group')) {
      throw new UsageError('big-group bulk-loads its group: not with --url')
    }
    const timed = workloads.filter((w) => !(CYCLE_WORKLOADS as readonly string[]).includes(w))
    if (external && timed.length > 0 && !workloads.includes('users')) {
      throw new UsageError(`with --url, ${timed.join(', ')} need "users" in the same run`)
    }
  } else {
    workloads = WORKLOADS.filter((w) => !(external && w === 'big-group'))
  }
  const bigGroupMembers =
    parsed['big-group-members'] === undefined
      ? undefined
      : integer('big-group-members', parsed['big-group-members'], 0, 10)
  const pinWanted = parsed.pin
  const pinnable = cpus >= 2 && canPin()
  if (pinWanted === true && !pinnable) throw new UsageError('--pin needs taskset and 2 CPUs')
  return {
    workloads,
    users,
    groups: integer('groups', parsed.groups, short ? 3 : Math.max(1, Math.round(users / 100)), 0),
    concurrency: integer('concurrency', parsed.concurrency, 16, 1),
    memberBatch: integer('member-batch', parsed['member-batch'], 100, 1),
    bigGroupMembers,
    seconds: seconds('seconds', parsed.seconds, short ? 1 : 5, 0.1),
    runs: integer('runs', parsed.runs, 1, 1),
    sizes: sizes === undefined ? undefined : [...new Set(sizes)].sort((a, b) => a - b),
    plot: parsed.plot,
    short,
    echoSeconds: seconds('echo-seconds', parsed['echo-seconds'], short ? 1 : 5, 0),
    databaseUrl,
    freshDatabase: parsed['fresh-database'] !== false,
    poolSize,
    url: parsed.url,
    token: parsed.token,
    pin: pinWanted ?? pinnable,
    json: parsed.json === true,
    help: parsed.help === true,
  }
}
