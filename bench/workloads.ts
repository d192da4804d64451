// The timed workloads of `npm run bench -- --workload …` besides the Entra cycle: each keeps
// `concurrency` requests in flight for a fixed time over a tenant whose users the bench knows
// (bulk-loaded or created), checks every answer, and reports its rate, latencies and the server's
// CPU per request.
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'undici'
import { listOf, parseObject, send, totalResultsOf, type BodyCheck, type Target } from './client.ts'
import type { Check } from './cycle.ts'
import {
  createOpStats,
  createPhase,
  runTimed,
  summarizePhase,
  type CpuMs,
  type OpStats,
  type PhaseSummary,
} from './load.ts'
import {
  addMembersPatch,
  benchGroup,
  benchUser,
  removeMembersPatch,
  userByUserNamePath,
} from './workload.ts'

/** The users of the tenant as the bench knows them: ids and userNames by position. */
export class Population {
  readonly ids: string[] = []
  readonly userNames: string[] = []
  private readonly gone = new Set<number>()
  private readonly positions = new Map<string, number>()

  add(id: string, userName: string): void {
    this.positions.set(id, this.ids.length)
    this.ids.push(id)
    this.userNames.push(userName)
  }

  remove(id: string): void {
    const position = this.positions.get(id)
    if (position !== undefined) this.gone.add(position)
  }

  /** The ids of the users that exist, in the order they were added. */
  alive(): string[] {
    return this.ids.filter((_, position) => !this.gone.has(position))
  }

  /** The users that exist: the tenant's totalResults. */
  get size(): number {
    return this.ids.length - this.gone.size
  }

  /** A random existing user's position, among those ≡ `worker` mod `workers`, if any. */
  pick(random: () => number, worker = 0, workers = 1): number | undefined {
    const slots = Math.floor((this.ids.length - worker + workers - 1) / workers)
    for (let attempt = 0; attempt < 20 && slots > 0; attempt += 1) {
      const position = worker + workers * Math.floor(random() * slots)
      if (!this.gone.has(position)) return position
    }
    return undefined
  }
}

/** One reported figure of a workload: `× echo` ratios, rates, latencies, CPU. */
export interface Metric {
  readonly name: string
  readonly value: number | undefined
}

export interface WorkloadResult {
  readonly workload: string
  readonly metrics: readonly Metric[]
  readonly phases: readonly PhaseSummary[]
  readonly checks: readonly Check[]
  readonly failedRequests: number
}

export interface WorkloadContext {
  readonly target: Target
  /** `http://127.0.0.1:<port>` of the server, for the one request outside the pool. */
  readonly origin: string
  readonly concurrency: number
  readonly seconds: number
  readonly population: Population
  /** The echo's requests per second in this run, for the ratios. */
  readonly echoOpsPerSec: number | undefined
  readonly cpu: (() => CpuMs) | undefined
  readonly progress: (line: string) => void
  /** A prefix for the users and groups a workload creates, unique to the run. */
  readonly runId: string
}

function warmupOf(seconds: number): number {
  return Math.min(1, seconds / 5)
}

function ratio(value: number | undefined, reference: number | undefined): number | undefined {
  return value === undefined || reference === undefined || reference === 0
    ? undefined
    : value / reference
}

function failuresOf(stats: readonly OpStats[]): number {
  return stats.reduce((total, s) => total + s.errors, 0)
}

/**
 * Runs `task` for ctx.seconds after a warm-up at `concurrency` and summarises the phase, with the
 * server's CPU over the measured part.
 */
async function timedPhase(
  ctx: WorkloadContext,
  name: string,
  stats: readonly OpStats[],
  concurrency: number,
  task: (measured: boolean, worker: number) => Promise<void>,
): Promise<PhaseSummary> {
  const phase = createPhase(name, stats)
  const warmup = warmupOf(ctx.seconds)
  ctx.progress(`${name}: ${warmup} s warm-up + ${ctx.seconds} s at concurrency ${concurrency}`)
  let cpuStart: CpuMs | undefined
  phase.wallMs = await runTimed(ctx.seconds, warmup, concurrency, task, () => {
    cpuStart = ctx.cpu?.()
  })
  const cpuEnd = ctx.cpu?.()
  if (cpuStart !== undefined && cpuEnd !== undefined) {
    phase.cpu = {
      serverMs: cpuEnd.serverMs - cpuStart.serverMs,
      databaseMs:
        cpuEnd.databaseMs === undefined || cpuStart.databaseMs === undefined
          ? undefined
          : cpuEnd.databaseMs - cpuStart.databaseMs,
    }
  }
  return summarizePhase(phase)
}

/** The usual figures of a one-type phase: rate, × echo, p50, p99, CPU ms/req. */
function rateMetrics(phase: PhaseSummary, echo: number | undefined, unit: string): Metric[] {
  const type = phase.types[0]
  return [
    { name: `${unit}/s`, value: phase.requestsPerSec },
    { name: '× echo', value: ratio(phase.requestsPerSec, echo) },
    { name: 'p50 ms', value: type?.p50Ms },
    { name: 'p99 ms', value: type?.p99Ms },
    { name: 'CPU ms/req', value: phase.serverCpuMsPerRequest },
    ...(phase.databaseCpuMsPerRequest === undefined
      ? []
      : [{ name: 'PostgreSQL CPU ms/req', value: phase.databaseCpuMsPerRequest }]),
  ]
}

function result(
  workload: string,
  metrics: Metric[],
  phases: PhaseSummary[],
  stats: readonly OpStats[],
  checks: Check[] = [],
): WorkloadResult {
  return { workload, metrics, phases, checks, failedRequests: failuresOf(stats) }
}

/** `lookups`: Entra's matching query for a random existing user (§3.5), totalResults 1. */
export async function runLookups(ctx: WorkloadContext): Promise<WorkloadResult> {
  const stats = createOpStats('GET /Users?filter=userName eq')
  const { population } = ctx
  const phase = await timedPhase(ctx, 'lookups', [stats], ctx.concurrency, async (measured) => {
    const position = population.pick(Math.random)
    if (position === undefined) throw new Error('lookups: the tenant has no users')
    await send(ctx.target, stats, 'GET', userByUserNamePath(population.userNames[position] ?? ''), {
      expected: [200],
      check: listOf(1),
      record: measured,
    })
  })
  return result('lookups', rateMetrics(phase, ctx.echoOpsPerSec, 'req'), [phase], [stats])
}

/** A page of `count` from `startIndex` over `total` users: the totalResults and the page size. */
function pageOf(total: number, startIndex: number, count: number): BodyCheck {
  const expected = Math.max(0, Math.min(count, total - startIndex + 1))
  return (text) => {
    const body = parseObject(text)
    const resources = body?.['Resources']
    const got = Array.isArray(resources) ? resources.length : 0
    if (totalResultsOf(text) !== total) {
      return `expected totalResults ${total}, got ${String(body?.['totalResults'])}`
    }
    return got === expected ? null : `expected ${expected} Resources, got ${got}`
  }
}

/** `pages`: 100 users from a random startIndex (RFC 7644 §3.4.2.4), totalResults the tenant's. */
export async function runPages(ctx: WorkloadContext): Promise<WorkloadResult> {
  const stats = createOpStats('GET /Users?startIndex=random&count=100')
  const total = ctx.population.size
  const phase = await timedPhase(ctx, 'pages', [stats], ctx.concurrency, async (measured) => {
    const startIndex = 1 + Math.floor(Math.random() * Math.max(1, total - 99))
    await send(ctx.target, stats, 'GET', `/Users?startIndex=${startIndex}&count=100`, {
      expected: [200],
      check: pageOf(total, startIndex, 100),
      record: measured,
    })
  })
  return result('pages', rateMetrics(phase, ctx.echoOpsPerSec, 'pages'), [phase], [stats])
}

/** `creates`: POST /Users with Entra's full body (§3.3); the tenant grows by what succeeds. */
export async function runCreates(ctx: WorkloadContext): Promise<WorkloadResult> {
  const stats = createOpStats('POST /Users')
  let next = 0
  const runId = `${ctx.runId}c`
  const phase = await timedPhase(ctx, 'creates', [stats], ctx.concurrency, async (measured) => {
    const user = benchUser(runId, next)
    next += 1
    const reply = await send(ctx.target, stats, 'POST', '/Users', {
      expected: [201],
      body: user.body,
      check: (text) => (typeof parseObject(text)?.['id'] === 'string' ? null : 'no "id"'),
      record: measured,
    })
    const id = reply.ok ? parseObject(reply.text)?.['id'] : undefined
    if (typeof id === 'string') ctx.population.add(id, user.userName)
  })
  return result('creates', rateMetrics(phase, ctx.echoOpsPerSec, 'creates'), [phase], [stats])
}

async function createGroup(ctx: WorkloadContext, index: number): Promise<string> {
  const stats = createOpStats('POST /Groups')
  const reply = await send(ctx.target, stats, 'POST', '/Groups', {
    expected: [201],
    body: benchGroup(`${ctx.runId}m`, index).body,
  })
  const id = parseObject(reply.text)?.['id']
  if (!reply.ok || typeof id !== 'string') {
    throw new Error(`POST /Groups -> ${reply.status}: ${reply.text.slice(0, 300)}`)
  }
  return id
}

/** Latency figures of add and remove, and of both together (the size table's). */
function patchMetrics(phase: PhaseSummary, add: OpStats, remove: OpStats): Metric[] {
  const both = [...add.latenciesMs, ...remove.latenciesMs].sort((a, b) => a - b)
  const at = (q: number) =>
    both.length === 0 ? undefined : both[Math.min(both.length - 1, Math.ceil(q * both.length) - 1)]
  const [addType, removeType] = phase.types
  return [
    { name: 'patches/s', value: phase.requestsPerSec },
    { name: 'p50 ms', value: at(0.5) },
    { name: 'p99 ms', value: at(0.99) },
    { name: 'add p50 ms', value: addType?.p50Ms },
    { name: 'add p99 ms', value: addType?.p99Ms },
    { name: 'remove p50 ms', value: removeType?.p50Ms },
    { name: 'remove p99 ms', value: removeType?.p99Ms },
    { name: 'CPU ms/req', value: phase.serverCpuMsPerRequest },
  ]
}

/**
 * `member-patches`: PATCH add one member then PATCH remove it (§3.15, §3.16) on a group of the
 * run, each worker on users of its own, so no two requests race on one membership.
 */
export async function runMemberPatches(
  ctx: WorkloadContext,
  groupIndex: number,
): Promise<WorkloadResult> {
  const groupId = await createGroup(ctx, groupIndex)
  const add = createOpStats('PATCH add 1 member')
  const remove = createOpStats('PATCH remove 1 member')
  const { population } = ctx
  // A worker per user at most: each works on users of its own.
  const workers = Math.min(ctx.concurrency, population.size)
  if (workers === 0) throw new Error('member-patches: the tenant has no users')
  const phase = await timedPhase(
    ctx,
    'member-patches',
    [add, remove],
    workers,
    async (measured, worker) => {
      const position = population.pick(Math.random, worker, workers)
      const id = position === undefined ? undefined : population.ids[position]
      if (id === undefined) throw new Error('member-patches: too few users for the workers')
      const options = { expected: [200, 204], record: measured }
      const added = await send(ctx.target, add, 'PATCH', `/Groups/${groupId}`, {
        ...options,
        body: addMembersPatch([id]),
      })
      if (!added.ok) return
      await send(ctx.target, remove, 'PATCH', `/Groups/${groupId}`, {
        ...options,
        body: removeMembersPatch([id]),
      })
    },
  )
  return result('member-patches', patchMetrics(phase, add, remove), [phase], [add, remove])
}

/** A group loaded with these members (bulk-load.ts). */
export interface LoadedGroup {
  readonly id: string
  readonly memberIds: readonly string[]
}

interface GroupOps {
  readonly phase: PhaseSummary
  readonly stats: readonly OpStats[]
}

/**
 * One member removed then added back, and the group read without its members, one request at a
 * time: the server's latency on that group, not queueing behind other writes to it.
 */
async function groupOps(ctx: WorkloadContext, label: string, group: LoadedGroup) {
  const remove = createOpStats(`${label}: PATCH remove 1 member`)
  const add = createOpStats(`${label}: PATCH add 1 member`)
  const get = createOpStats(`${label}: GET ?excludedAttributes=members`)
  const path = `/Groups/${group.id}`
  const phase = await timedPhase(ctx, `big-group: ${label}`, [remove, add, get], 1, async (m) => {
    const member = group.memberIds[Math.floor(Math.random() * group.memberIds.length)] ?? ''
    const options = { expected: [200, 204], record: m }
    const removed = await send(ctx.target, remove, 'PATCH', path, {
      ...options,
      body: removeMembersPatch([member]),
    })
    // Added back whatever the remove answered: the group keeps its size.
    await send(ctx.target, add, 'PATCH', path, { ...options, body: addMembersPatch([member]) })
    if (!removed.ok) return
    await send(ctx.target, get, 'GET', `${path}?excludedAttributes=members`, {
      expected: [200],
      record: m,
      check: (text) => {
        const body = parseObject(text)
        if (body?.['id'] !== group.id) return 'not the group'
        return body['members'] === undefined ? null : 'members returned though excluded'
      },
    })
  })
  return { phase, stats: [remove, add, get] } satisfies GroupOps
}

/** VmRSS and VmHWM of a process in MB (Linux), undefined elsewhere. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const status = readStatus(pid)
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1])
    const rss = kb('VmRSS')
    const peak = kb('VmHWM')
    return Number.isFinite(rss) ? { rssMb: rss / 1024, peakMb: peak / 1024 } : undefined
  } catch {
    return undefined
  }
}

function readStatus(pid: number): string {
  return readFileSync(`/proc/${pid}/status`, 'utf8')
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0: clear_refs 5); false when not allowed. */
function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5')
    return true
  } catch {
    return false
  }
}

/**
 * A full GET of the big group, with the server's resident memory before and at its peak during
 * the request (VmHWM after a reset, else VmRSS sampled every 5 ms).
 */
async function fullGet(
  ctx: WorkloadContext,
  group: LoadedGroup,
  serverPid: number | undefined,
): Promise<{ metrics: Metric[]; check: Check; failed: number }> {
  const before = serverPid === undefined ? undefined : memoryOf(serverPid)
  const peakReset = serverPid !== undefined && resetPeak(serverPid)
  let sampledPeak = before?.rssMb ?? 0
  const sampler = setInterval(() => {
    const now = serverPid === undefined ? undefined : memoryOf(serverPid)
    if (now !== undefined) sampledPeak = Math.max(sampledPeak, now.rssMb)
  }, 5)
  const started = performance.now()
  let status = 0
  let count: number | undefined
  let bytes = 0
  try {
    const response = await request(`${ctx.origin}${ctx.target.basePath}/Groups/${group.id}`, {
      headers: ctx.target.headers,
      headersTimeout: 300_000,
      bodyTimeout: 300_000,
    })
    status = response.statusCode
    const text = await response.body.text()
    bytes = Buffer.byteLength(text)
    const members = parseObject(text)?.['members']
    count = Array.isArray(members) ? members.length : undefined
  } catch (error) {
    ctx.progress(`full GET of the big group failed: ${(error as Error).message}`)
  } finally {
    clearInterval(sampler)
  }
  const ms = performance.now() - started
  const after = serverPid === undefined ? undefined : memoryOf(serverPid)
  const peakMb = peakReset && after !== undefined ? after.peakMb : sampledPeak
  const ok = status === 200 && count === group.memberIds.length
  return {
    metrics: [
      { name: 'full GET ms', value: ms },
      { name: 'full GET MB', value: bytes / 2 ** 20 },
      { name: 'RSS before MB', value: before?.rssMb },
      { name: 'RSS peak MB', value: serverPid === undefined ? undefined : peakMb },
    ],
    check: {
      name: 'a full GET of the big group returns every member',
      ok,
      detail: `GET /Groups/${group.id} -> ${status}, ${count} members, expected ${group.memberIds.length}`,
    },
    failed: ok ? 0 : 1,
  }
}

/**
 * `big-group`: member add/remove and a members-excluded GET on a group of M members and on one of
 * 10, their ratio, and the server's memory over a full GET of the big one.
 */
export async function runBigGroup(
  ctx: WorkloadContext,
  big: LoadedGroup,
  small: LoadedGroup,
  serverPid: number | undefined,
): Promise<WorkloadResult> {
  const large = await groupOps(ctx, `${big.memberIds.length} members`, big)
  const little = await groupOps(ctx, `${small.memberIds.length} members`, small)
  const type = (ops: GroupOps, i: number) => ops.phase.types[i]
  const metrics: Metric[] = []
  const names = ['remove', 'add', 'GET']
  names.forEach((name, i) => {
    const b = type(large, i)
    const s = type(little, i)
    metrics.push(
      { name: `${name} p50 ms`, value: b?.p50Ms },
      { name: `${name} p99 ms`, value: b?.p99Ms },
      { name: `${name} p50 ÷ 10-member`, value: ratio(b?.p50Ms, s?.p50Ms) },
      { name: `${name} p99 ÷ 10-member`, value: ratio(b?.p99Ms, s?.p99Ms) },
    )
  })
  const cpu = large.phase.serverCpuMsPerRequest
  metrics.push(
    { name: 'CPU ms/req', value: cpu },
    { name: 'CPU ÷ 10-member', value: ratio(cpu, little.phase.serverCpuMsPerRequest) },
  )
  const full = await fullGet(ctx, big, serverPid)
  metrics.push(...full.metrics)
  return {
    workload: 'big-group',
    metrics,
    phases: [large.phase, little.phase],
    checks: [full.check],
    failedRequests: failuresOf([...large.stats, ...little.stats]) + full.failed,
  }
}
