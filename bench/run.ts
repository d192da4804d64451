// `npm run bench`: Rollcall under the workloads of issue #11 (the Entra-shaped provisioning cycle,
// lookups, pages, member PATCHes, creates, a big group; and with --sizes the per-request cost by
// tenant size), measured next to a hello-world Fastify echo server with the same client in the
// same run. Both run as child processes on 127.0.0.1 (or --url/--token target a running
// Rollcall); any failed request or read-back check makes the run exit 1. See --help.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname } from 'node:path'
import { Pool } from 'undici'
import { loadGroup, loadUsers } from './bulk-load.ts'
import { send, type Target } from './client.ts'
import { runCycles, type CycleResult } from './cycle.ts'
import { createOpStats, createPhase, runTimed, summarizePhase, type PhaseSummary } from './load.ts'
import {
  CYCLE_WORKLOADS,
  parseOptions,
  SIZE_WORKLOADS,
  USAGE,
  UsageError,
  type Options,
  type WorkloadName,
} from './options.ts'
import { latencyBySizeSvg } from './plot.ts'
import { benchUser } from './workload.ts'
import {
  currentLoadAverage,
  describeMachine,
  hasFailures,
  renderFailures,
  renderMarkdown,
  type BenchReport,
} from './report.ts'
import {
  medianMetrics,
  metricOf,
  renderSizes,
  renderWorkloads,
  type SizeResult,
  type WorkloadRuns,
} from './report-workloads.ts'
import {
  freePort,
  killAllChildrenNow,
  pinServersTo,
  PROJECT_ROOT,
  startChildServer,
} from './server-process.ts'
import { openSessions, RollcallSession } from './session.ts'
import {
  memoryOf,
  Population,
  runBigGroup,
  runCreates,
  runLookups,
  runMemberPatches,
  runPages,
  type LoadedGroup,
  type Metric,
  type WorkloadContext,
  type WorkloadResult,
} from './workloads.ts'

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
  const quoted = args.map((arg) => (/^[\w./:=@*,-]+$/.test(arg) ? arg : `'${arg}'`)).join(' ')
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

// Open pools, destroyed on any exit; the sessions (session.ts) clean up after themselves.
const pools = new Set<Pool>()

function poolFor(origin: string, connections: number): Pool {
  const pool = new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
    connect: { timeout: 10_000 },
  })
  pools.add(pool)
  return pool
}

async function closePool(pool: Pool): Promise<void> {
  pools.delete(pool)
  await pool.close()
}

async function cleanup(keep: boolean): Promise<void> {
  await Promise.all([...pools].map((pool) => pool.destroy().catch(() => undefined)))
  pools.clear()
  for (const session of [...openSessions]) await session.dispose(keep)
}

let interrupted = false
let interruptedAt = 0
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // Ctrl-C reaches us twice (from the terminal and relayed by tsx): only a later one forces.
    if (interrupted) {
      if (performance.now() - interruptedAt < 2000) return
      killAllChildrenNow()
      for (const session of openSessions)
        for (const line of session.leftBehind()) console.error(line)
      process.exit(130)
    }
    interrupted = true
    interruptedAt = performance.now()
    progress(`${signal}: stopping the child processes`)
    void cleanup(false).finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  })
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
    await closePool(pool)
    await echo.stop()
  }
}

function targetOf(session: RollcallSession, pool: Pool): Target {
  return {
    pool,
    basePath: new URL(session.baseUrl).pathname,
    headers: {
      authorization: `Bearer ${session.token}`,
      'content-type': 'application/scim+json',
    },
  }
}

function ratio(value: number, reference: number | undefined): number | undefined {
  return reference === undefined || reference === 0 ? undefined : value / reference
}

/** The cycle's phases as the users, groups and incremental workloads' figures. */
function cycleResults(
  cycle: CycleResult,
  phases: readonly PhaseSummary[],
  wanted: readonly WorkloadName[],
  echo: number | undefined,
): WorkloadResult[] {
  const phase = (name: string) => phases.find((p) => p.name === name)
  const type = (p: PhaseSummary | undefined, name: string) => p?.types.find((t) => t.name === name)
  const errors = (p: readonly (PhaseSummary | undefined)[]) =>
    p.reduce((n, s) => n + (s?.types.reduce((m, t) => m + t.errors, 0) ?? 0), 0)
  const results: WorkloadResult[] = []
  if (wanted.includes('users')) {
    const users = phase('initial: users')
    const created = type(users, 'POST user')
    const rate = users === undefined ? 0 : (created?.count ?? 0) / users.wallSeconds
    results.push({
      workload: 'users',
      metrics: [
        { name: 'users/s', value: rate },
        { name: '× echo', value: ratio(rate, echo) },
        { name: 'GET p50 ms', value: type(users, 'GET user by userName')?.p50Ms },
        { name: 'POST p50 ms', value: created?.p50Ms },
        { name: 'POST p99 ms', value: created?.p99Ms },
        { name: 'CPU ms/req', value: users?.serverCpuMsPerRequest },
      ],
      phases: users === undefined ? [] : [users],
      checks: cycle.checks.filter((c) => c.name.includes('§3.5')),
      failedRequests: errors([users]),
    })
  }
  if (wanted.includes('groups')) {
    const groups = phase('initial: groups')
    const adds = type(groups, 'PATCH members add')
    const made = type(groups, 'POST group')?.count ?? 0
    const rate = groups === undefined || groups.wallSeconds === 0 ? 0 : made / groups.wallSeconds
    results.push({
      workload: 'groups',
      metrics: [
        { name: 'groups/s', value: rate },
        { name: 'PATCH add p50 ms', value: adds?.p50Ms },
        { name: 'PATCH add p99 ms', value: adds?.p99Ms },
        { name: 'CPU ms/req', value: groups?.serverCpuMsPerRequest },
      ],
      phases: groups === undefined ? [] : [groups],
      checks: [],
      failedRequests: errors([groups]),
    })
  }
  if (wanted.includes('incremental')) {
    const steps = phases.filter((p) => p.name.startsWith('incremental: '))
    const metrics: Metric[] = steps.flatMap((p) => {
      const name = p.name.slice('incremental: '.length)
      return [
        { name: `${name} req/s`, value: p.requestsPerSec },
        { name: `${name} p50 ms`, value: p.types[0]?.p50Ms },
      ]
    })
    results.push({
      workload: 'incremental',
      metrics,
      phases: steps,
      checks: cycle.checks.filter((c) => !c.name.includes('§3.5')),
      failedRequests: errors(steps),
    })
  }
  return results
}

interface RunOutcome {
  readonly echo: PhaseSummary | null
  readonly cycle: { readonly result: CycleResult; readonly phases: PhaseSummary[] } | undefined
  readonly workloads: WorkloadResult[]
  readonly store: string
  readonly baseUrl: string
}

const BIG_GROUP_LIMIT = 1_000_000
const SMALL_GROUP_MEMBERS = 10

/**
 * Loads the big group (adding users first when it is to have more than the tenant) and the
 * 10-member group.
 */
async function loadBigGroups(
  session: RollcallSession,
  population: Population,
  options: Options,
  runId: string,
): Promise<{ big: LoadedGroup; small: LoadedGroup }> {
  return session.load(async (db, tenantId) => {
    const members = Math.min(options.bigGroupMembers ?? population.size, BIG_GROUP_LIMIT)
    if (members > population.size) {
      progress(`bulk-loading ${members - population.size} more users for the big group`)
      const loaded = await loadUsers(
        db,
        tenantId,
        `l${runId}`,
        population.ids.length,
        members - population.size,
      )
      loaded.ids.forEach((id, i) => population.add(id, loaded.userNames[i] ?? ''))
    }
    const alive = population.alive()
    const started = performance.now()
    const bigIds = alive.slice(0, members)
    const smallIds = alive.slice(0, SMALL_GROUP_MEMBERS)
    const big = await loadGroup(db, tenantId, `g${runId}`, 0, bigIds)
    const small = await loadGroup(db, tenantId, `g${runId}`, 1, smallIds)
    progress(
      `bulk-loaded a group of ${bigIds.length} members and one of ${smallIds.length} in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    return { big: { id: big, memberIds: bigIds }, small: { id: small, memberIds: smallIds } }
  })
}

async function bulkLoadUsers(
  session: RollcallSession,
  population: Population,
  count: number,
  runId: string,
): Promise<void> {
  if (count <= 0) return
  const started = performance.now()
  progress(`bulk-loading ${count} users (${session.engine})`)
  await session.load(async (db, tenantId) => {
    const loaded = await loadUsers(db, tenantId, `l${runId}`, population.ids.length, count)
    loaded.ids.forEach((id, i) => population.add(id, loaded.userNames[i] ?? ''))
  })
  const seconds = (performance.now() - started) / 1000
  progress(`  ${count} users in ${seconds.toFixed(1)} s (${(count / seconds).toFixed(0)} users/s)`)
}

/** One normal run: a fresh tenant, the echo, the cycle's steps, then the timed workloads. */
async function runOnce(options: Options, runId: string): Promise<RunOutcome> {
  const wants = (name: WorkloadName) => options.workloads.includes(name)
  const session = await RollcallSession.create(options, progress)
  const population = new Population()
  const timed = options.workloads.filter((w) => !(CYCLE_WORKLOADS as readonly string[]).includes(w))
  let groups: { big: LoadedGroup; small: LoadedGroup } | undefined
  if (!wants('users') && session.managed) {
    await bulkLoadUsers(session, population, options.users, runId)
    if (wants('big-group')) groups = await loadBigGroups(session, population, options, runId)
  }
  // The echo first, while nothing else of the bench runs (a server just started still settles).
  const echo = await measureEcho(options)
  await session.start()
  const echoOps = echo?.types[0]?.opsPerSec
  const cpu = session.managed ? () => session.cpu() : undefined

  let cycle: RunOutcome['cycle']
  const steps = {
    users: wants('users'),
    groups: wants('groups'),
    incremental: wants('incremental'),
  }
  if (steps.users || steps.groups || steps.incremental) {
    const pool = poolFor(session.origin, options.concurrency)
    progress(`Entra cycle steps against ${session.baseUrl} (run ${runId})`)
    const result = await runCycles(
      targetOf(session, pool),
      {
        runId,
        users: options.users,
        groups: options.groups,
        concurrency: options.concurrency,
        memberBatch: options.memberBatch,
        cpu,
        steps,
        existingUserIds: population.ids,
      },
      progress,
    )
    await closePool(pool)
    if (steps.users) {
      result.userIds.forEach((id, i) => {
        if (id !== undefined) population.add(id, benchUser(runId, i).userName)
      })
    }
    for (const id of result.deletedIds) population.remove(id)
    cycle = { result, phases: result.phases.map(summarizePhase) }
  }
  if (wants('big-group') && groups === undefined) {
    groups = await loadBigGroups(session, population, options, runId)
  }

  const workloads = cycle
    ? cycleResults(cycle.result, cycle.phases, options.workloads, echoOps)
    : []
  if (timed.length > 0 && !interrupted) {
    const pool = poolFor(session.origin, options.concurrency)
    const ctx: WorkloadContext = {
      target: targetOf(session, pool),
      origin: session.origin,
      concurrency: options.concurrency,
      seconds: options.seconds,
      population,
      echoOpsPerSec: echoOps,
      cpu,
      progress,
      runId,
    }
    if (wants('lookups')) workloads.push(await runLookups(ctx))
    if (wants('pages')) workloads.push(await runPages(ctx))
    if (wants('member-patches')) workloads.push(await runMemberPatches(ctx, 0))
    if (wants('creates')) workloads.push(await runCreates(ctx))
    if (wants('big-group') && groups !== undefined) {
      workloads.push(await runBigGroup(ctx, groups.big, groups.small, session.server?.pid))
    }
    await closePool(pool)
  }
  const failed = workloads.some((w) => w.failedRequests > 0 || w.checks.some((c) => !c.ok))
  if (failed && session.server !== undefined) {
    console.error(`\nLast lines of the Rollcall server log:\n${session.server.logTail()}`)
  }
  await session.dispose(failed)
  return { echo, cycle, workloads, store: session.store, baseUrl: session.baseUrl }
}

/** --sizes: one tenant bulk-loaded size after size, the size workloads at each. */
async function runSizes(
  options: Options,
  sizes: readonly number[],
  runId: string,
): Promise<{ sizes: SizeResult[]; echo: PhaseSummary | null; store: string }> {
  const session = await RollcallSession.create(options, progress)
  const population = new Population()
  const echo = await measureEcho(options)
  const echoOps = echo?.types[0]?.opsPerSec
  const chosen = options.workloads.filter((w) => (SIZE_WORKLOADS as readonly string[]).includes(w))
  const workloads = chosen.length > 0 ? chosen : [...SIZE_WORKLOADS]
  const results: SizeResult[] = []
  let groupIndex = 0
  let failed = false
  for (const size of sizes) {
    if (interrupted) break
    await bulkLoadUsers(session, population, size - population.size, runId)
    await session.start()
    progress(`size ${size}: ${population.size} users in the tenant`)
    const pool = poolFor(session.origin, options.concurrency)
    const ctx: WorkloadContext = {
      target: targetOf(session, pool),
      origin: session.origin,
      concurrency: options.concurrency,
      seconds: options.seconds,
      population,
      echoOpsPerSec: echoOps,
      cpu: () => session.cpu(),
      progress,
      runId: `${runId}s${size}`,
    }
    const runs = new Map<string, WorkloadResult[]>(workloads.map((w) => [w, []]))
    for (let run = 0; run < options.runs; run += 1) {
      for (const workload of workloads) {
        const outcome =
          workload === 'lookups'
            ? await runLookups(ctx)
            : workload === 'pages'
              ? await runPages(ctx)
              : workload === 'member-patches'
                ? await runMemberPatches({ ...ctx, runId: `${ctx.runId}r${run}` }, groupIndex++)
                : await runCreates({ ...ctx, runId: `${ctx.runId}r${run}` })
        runs.get(workload)?.push(outcome)
        failed ||= outcome.failedRequests > 0
      }
    }
    await closePool(pool)
    const pid = session.server?.pid
    results.push({
      size,
      workloads: [...runs].map(([workload, list]) => ({ workload, runs: list })),
      rssMb: pid === undefined ? undefined : memoryOf(pid)?.rssMb,
    })
  }
  if (failed && session.server !== undefined) {
    console.error(`\nLast lines of the Rollcall server log:\n${session.server.logTail()}`)
  }
  await session.dispose(failed)
  return { sizes: results, echo, store: session.store }
}

/** Every phase and check, as one report for renderFailures. */
function failureReport(
  base: Omit<BenchReport, 'phases' | 'checks' | 'failedRequests' | 'echo'>,
  workloads: readonly WorkloadResult[],
  cycles: readonly CycleResult[],
  echoes: readonly (PhaseSummary | null)[],
): BenchReport {
  const phases = workloads.flatMap((w) => w.phases)
  const echoErrors = echoes.reduce(
    (n, e) => n + (e?.types.reduce((m, t) => m + t.errors, 0) ?? 0),
    0,
  )
  return {
    ...base,
    phases: [...phases, ...echoes.filter((e): e is PhaseSummary => e !== null)],
    echo: null,
    checks: [...workloads.flatMap((w) => w.checks), ...cycles.flatMap((c) => c.checks)].filter(
      (check, i, all) => all.indexOf(check) === i,
    ),
    failedRequests: workloads.reduce((n, w) => n + w.failedRequests, 0) + echoErrors,
  }
}

function pinLoadGenerator(): void {
  // -a: every thread of this process, the libuv pool included.
  execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' })
  pinServersTo(0)
}

function groupByWorkload(runs: readonly WorkloadResult[][]): WorkloadRuns[] {
  const names = [...new Set(runs.flatMap((r) => r.map((w) => w.workload)))]
  return names.map((workload) => ({
    workload,
    runs: runs.flatMap((r) => r.filter((w) => w.workload === workload)),
  }))
}

async function main(): Promise<number> {
  let options: Options
  try {
    options = parseOptions(process.argv.slice(2), cpus().length)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    console.error(`${error.message}\n\n${USAGE}`)
    return 2
  }
  if (options.help) {
    console.log(USAGE)
    return 0
  }
  if (options.pin) pinLoadGenerator()
  const command = commandLine()
  const date = new Date().toISOString()
  const machine = describeMachine()
  const revision = codeRevision()
  const runId = randomBytes(3).toString('hex')

  const normal = options.sizes === undefined || options.short
  const outcomes: RunOutcome[] = []
  for (let run = 0; normal && run < options.runs && !interrupted; run += 1) {
    if (options.runs > 1) progress(`run ${run + 1} of ${options.runs}`)
    outcomes.push(await runOnce(options, options.runs > 1 ? `${runId}r${run}` : runId))
  }
  const sized =
    options.sizes === undefined || interrupted
      ? undefined
      : await runSizes(options, options.sizes, `${runId}z`)
  if (interrupted) return 130
  machine.loadAverageAtEnd = currentLoadAverage()

  const last = outcomes.at(-1)
  const target = {
    store: last?.store ?? sized?.store ?? 'n/a',
    baseUrl: last?.baseUrl ?? options.url ?? 'fresh server',
  }
  const params = {
    users: options.users,
    groups: options.groups,
    concurrency: options.concurrency,
    memberBatch: options.memberBatch,
    echoSeconds: options.echoSeconds,
  }
  const base = { command, date, revision, machine, target, params, skipped: 0 }
  const workloads = groupByWorkload(outcomes.map((o) => o.workloads))
  const out: string[] = []
  if (last?.cycle !== undefined) {
    // The cycle's detailed tables, as `npm run bench` has always printed them (the last run).
    const cycle = last.cycle
    out.push(
      renderMarkdown({
        ...base,
        initialCycleSeconds: cycle.result.initialCycleMs / 1000,
        phases: cycle.phases,
        echo: last.echo,
        checks: cycle.result.checks,
        skipped: cycle.result.skipped,
        failedRequests: cycle.phases.flatMap((p) => p.types).reduce((n, t) => n + t.errors, 0),
      }),
      '',
    )
  } else {
    out.push(
      `- Command: \`${command}\``,
      `- Date: ${date}`,
      `- Code: ${revision}`,
      `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
        `${machine.os}, Node.js ${machine.node}; load average at start ` +
        `${machine.loadAverage.join(' ')}, at end ${machine.loadAverageAtEnd.join(' ')}`,
      `- Target: ${target.baseUrl} (${target.store})`,
      '',
    )
  }
  const echoes = [...outcomes.map((o) => o.echo), sized?.echo ?? null]
  out.push(
    `- Server pinned to CPU 0 and load generator to CPU 1 (taskset): ${options.pin ? 'yes' : 'no'}`,
    `- Echo (POST 1 KB, concurrency ${options.concurrency}), req/s per run: ` +
      (echoes
        .filter((e): e is PhaseSummary => e !== null)
        .map((e) => (e.types[0]?.opsPerSec ?? 0).toFixed(0))
        .join(', ') || 'not run'),
    `- Timed workloads: ${options.seconds} s each after a warm-up, concurrency ` +
      `${options.concurrency} (big-group: 1); ${options.runs} run(s), medians over runs`,
    '',
  )
  if (workloads.length > 0) out.push(renderWorkloads(workloads))
  if (sized !== undefined) {
    out.push(renderSizes(sized.sizes), '')
    for (const size of sized.sizes) {
      out.push(`Tenant of ${size.size.toLocaleString('en')} users:`, '')
      out.push(renderWorkloads(size.workloads))
    }
    if (options.plot !== undefined) {
      const series = (sized.sizes[0]?.workloads ?? []).map(({ workload }) => ({
        name: workload,
        points: sized.sizes.flatMap((s): [number, number][] => {
          const runs = s.workloads.find((w) => w.workload === workload)?.runs ?? []
          const p50 = metricOf(medianMetrics(runs), 'p50 ms')
          return p50 === undefined ? [] : [[s.size, p50]]
        }),
      }))
      mkdirSync(dirname(options.plot), { recursive: true })
      writeFileSync(
        options.plot,
        latencyBySizeSvg(
          `Rollcall p50 latency by tenant size (${target.store}; concurrency ${options.concurrency})`,
          series,
        ),
      )
      out.push(`Plot written to ${options.plot}`)
    }
  }
  const allWorkloads = [
    ...outcomes.flatMap((o) => o.workloads),
    ...(sized?.sizes.flatMap((s) => s.workloads.flatMap((w) => w.runs)) ?? []),
  ]
  const cycles = outcomes.flatMap((o) => (o.cycle === undefined ? [] : [o.cycle.result]))
  const failures = failureReport({ ...base, initialCycleSeconds: 0 }, allWorkloads, cycles, echoes)
  const skipped = cycles.reduce((n, c) => n + c.skipped, 0)
  console.log(out.join('\n'))
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          command,
          date,
          revision,
          machine,
          target,
          params: { ...params, ...options, token: options.token === undefined ? undefined : '***' },
          echo: echoes,
          cycles: outcomes.map((o) => o.cycle?.phases),
          workloads: workloads.map((w) => ({ ...w, median: medianMetrics(w.runs) })),
          sizes: sized?.sizes,
          skipped,
          failedRequests: failures.failedRequests,
          failedChecks: failures.checks.filter((c) => !c.ok).length,
        },
        null,
        2,
      ),
    )
  }
  if (!hasFailures(failures)) return 0
  console.error(`\n${renderFailures(failures)}`)
  return 1
}

void main()
  .catch((error: unknown) => {
    // After SIGINT/SIGTERM the pools are destroyed under the running phase: not a failure to report.
    if (interrupted) return 130
    console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`)
    return 1
  })
  .then(async (code) => {
    // The signal handler cleans up and exits by itself.
    if (interrupted) return
    await cleanup(code !== 0)
    process.exit(code)
  })
