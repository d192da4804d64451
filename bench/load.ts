// The load engine of `npm run bench`: a bounded-concurrency runner (N workers pulling from one
// counter, so exactly `concurrency` requests are in flight) and per-request-type latency stats.

/** One failed request kept for the report: what was sent, the status and the start of the body. */
export interface ErrorSample {
  readonly request: string
  readonly status: number
  readonly body: string
}

/** Everything recorded for one request type; `latenciesMs` holds every completed request. */
export interface OpStats {
  readonly name: string
  readonly latenciesMs: number[]
  errors: number
  readonly statuses: Map<number, number>
  readonly samples: ErrorSample[]
}

/** CPU ms of the processes under test (see cpu.ts); `databaseMs` only on PostgreSQL. */
export interface CpuMs {
  readonly serverMs: number
  readonly databaseMs: number | undefined
}

/** Where a phase stood when a share of its tasks was done: the first `tasks` tasks' cost. */
export interface Checkpoint {
  readonly tasks: number
  readonly wallMs: number
  /** Completed requests of each of the phase's types so far, in the order of `Phase.types`. */
  readonly counts: readonly number[]
  /** CPU used since the phase began. */
  readonly cpu: CpuMs | undefined
}

/** Requests of one or more types that ran together, with the wall time they took. */
export interface Phase {
  readonly name: string
  readonly types: readonly OpStats[]
  wallMs: number
  /** CPU used by the processes under test during the phase, when it could be read. */
  cpu?: CpuMs
  /** For phases cut into slices (the users phase): the state at the end of each slice. */
  checkpoints?: Checkpoint[]
}

export interface TypeSummary {
  readonly name: string
  readonly phase: string
  readonly count: number
  readonly errors: number
  readonly statuses: Readonly<Record<string, number>>
  /** Requests per second of the wall time this type occupied in its phase (see `summarizePhase`). */
  readonly opsPerSec: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly samples: readonly ErrorSample[]
}

/** One slice of a phase (e.g. the users phase's tasks 90,000–100,000). */
export interface SliceSummary {
  /** The phase's tasks in the slice: [fromTask, toTask). */
  readonly fromTask: number
  readonly toTask: number
  readonly requests: number
  readonly requestsPerSec: number
  readonly serverCpuMsPerRequest: number | undefined
  readonly databaseCpuMsPerRequest: number | undefined
  /** Per type, in the order of `types`: median latency of the requests completed in the slice. */
  readonly p50Ms: readonly number[]
}

export interface PhaseSummary {
  readonly name: string
  readonly requests: number
  readonly wallSeconds: number
  readonly requestsPerSec: number
  /** Average requests in flight over the phase (Little's law: Σ latency / wall time). */
  readonly meanInFlight: number
  /** CPU ms per request of the Rollcall process, and of the PostgreSQL backends (not SQLite). */
  readonly serverCpuMsPerRequest: number | undefined
  readonly databaseCpuMsPerRequest: number | undefined
  readonly types: readonly TypeSummary[]
  readonly slices?: readonly SliceSummary[]
}

const MAX_SAMPLES = 3
const SAMPLE_BODY_CHARS = 600

export function createOpStats(name: string): OpStats {
  return { name, latenciesMs: [], errors: 0, statuses: new Map(), samples: [] }
}

export function createPhase(name: string, types: readonly OpStats[]): Phase {
  return { name, types, wallMs: 0 }
}

/** Records one completed request; `error` is set when its status or body was not the expected. */
export function recordResult(
  stats: OpStats,
  latencyMs: number,
  status: number,
  error?: ErrorSample,
): void {
  stats.latenciesMs.push(latencyMs)
  stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1)
  if (error === undefined) return
  stats.errors += 1
  if (stats.samples.length < MAX_SAMPLES) {
    stats.samples.push({ ...error, body: error.body.slice(0, SAMPLE_BODY_CHARS) })
  }
}

/** Nearest-rank percentile of an ascending array (`q` in 0..1); 0 for an empty array. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)))
  return sorted[rank - 1] ?? 0
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}

/**
 * Summarises a phase. A type's ops/s is its count divided by the share of the phase's wall time
 * it occupied, the share being its Σ latency over the phase's Σ latency. For a phase with one
 * request type that is count / wall time; for interleaved types (GET then POST per user) it is
 * the rate the pool would reach on that type alone at the latencies observed under the mix.
 */
export function summarizePhase(phase: Phase): PhaseSummary {
  const wallSeconds = phase.wallMs / 1000
  const phaseLatencySum = sum(phase.types.map((type) => sum(type.latenciesMs)))
  const requests = sum(phase.types.map((type) => type.latenciesMs.length))
  const types = phase.types.map((type): TypeSummary => {
    const sorted = Float64Array.from(type.latenciesMs).sort()
    const values = Array.from(sorted)
    const typeSum = sum(values)
    const busySeconds = phaseLatencySum > 0 ? wallSeconds * (typeSum / phaseLatencySum) : 0
    return {
      name: type.name,
      phase: phase.name,
      count: values.length,
      errors: type.errors,
      statuses: Object.fromEntries([...type.statuses].map(([status, n]) => [String(status), n])),
      opsPerSec: busySeconds > 0 ? values.length / busySeconds : 0,
      meanMs: values.length > 0 ? typeSum / values.length : 0,
      p50Ms: percentile(values, 0.5),
      p95Ms: percentile(values, 0.95),
      p99Ms: percentile(values, 0.99),
      maxMs: values.at(-1) ?? 0,
      samples: type.samples,
    }
  })
  const perRequest = (ms: number | undefined, n: number) =>
    ms === undefined || n === 0 ? undefined : ms / n
  return {
    name: phase.name,
    requests,
    wallSeconds,
    requestsPerSec: wallSeconds > 0 ? requests / wallSeconds : 0,
    meanInFlight: phase.wallMs > 0 ? phaseLatencySum / phase.wallMs : 0,
    serverCpuMsPerRequest: perRequest(phase.cpu?.serverMs, requests),
    databaseCpuMsPerRequest: perRequest(phase.cpu?.databaseMs, requests),
    types,
    ...(phase.checkpoints === undefined ? {} : { slices: summarizeSlices(phase, perRequest) }),
  }
}

/** The differences between consecutive checkpoints (the first against the phase's start). */
function summarizeSlices(
  phase: Phase,
  perRequest: (ms: number | undefined, n: number) => number | undefined,
): SliceSummary[] {
  const start: Checkpoint = {
    tasks: 0,
    wallMs: 0,
    counts: phase.types.map(() => 0),
    cpu: { serverMs: 0, databaseMs: phase.cpu?.databaseMs === undefined ? undefined : 0 },
  }
  const slices: SliceSummary[] = []
  let previous = start
  for (const checkpoint of phase.checkpoints ?? []) {
    const counts = checkpoint.counts.map((count, i) => count - (previous.counts[i] ?? 0))
    const requests = sum(counts)
    const wallSeconds = (checkpoint.wallMs - previous.wallMs) / 1000
    const cpuDelta = (pick: (cpu: CpuMs) => number | undefined) => {
      const now = checkpoint.cpu === undefined ? undefined : pick(checkpoint.cpu)
      const before = previous.cpu === undefined ? undefined : pick(previous.cpu)
      return now === undefined || before === undefined ? undefined : now - before
    }
    slices.push({
      fromTask: previous.tasks,
      toTask: checkpoint.tasks,
      requests,
      requestsPerSec: wallSeconds > 0 ? requests / wallSeconds : 0,
      serverCpuMsPerRequest: perRequest(
        cpuDelta((cpu) => cpu.serverMs),
        requests,
      ),
      databaseCpuMsPerRequest: perRequest(
        cpuDelta((cpu) => cpu.databaseMs),
        requests,
      ),
      p50Ms: phase.types.map((type, i) => {
        const from = previous.counts[i] ?? 0
        const to = checkpoint.counts[i] ?? from
        const slice = Array.from(Float64Array.from(type.latenciesMs.slice(from, to)).sort())
        return percentile(slice, 0.5)
      }),
    })
    previous = checkpoint
  }
  return slices
}

/**
 * Runs `task(0)` … `task(total - 1)` with at most `concurrency` in flight; resolves with the wall
 * time in ms. A task that throws stops the run (tasks report HTTP failures through their stats).
 */
export async function runBounded(
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<number> {
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < total) {
      const index = next
      next += 1
      await task(index)
    }
  }
  const workers = Math.max(1, Math.min(concurrency, total))
  await Promise.all(Array.from({ length: workers }, worker))
  return performance.now() - started
}

/**
 * Keeps `concurrency` tasks in flight for `warmupSeconds + seconds`; `task(measured, worker)` is
 * told whether the request started after the warm-up, and which of the `concurrency` workers runs
 * it (workers that must not touch the same resource split them by this index). `onMeasured` runs
 * once when the warm-up ends (e.g. to read the CPU counters). Resolves with the measured wall time
 * in ms.
 */
export async function runTimed(
  seconds: number,
  warmupSeconds: number,
  concurrency: number,
  task: (measured: boolean, worker: number) => Promise<void>,
  onMeasured?: () => void,
): Promise<number> {
  const warmupEnd = performance.now() + warmupSeconds * 1000
  const end = warmupEnd + seconds * 1000
  let measuring = false
  const startMeasuring = () => {
    if (measuring) return
    measuring = true
    onMeasured?.()
  }
  if (warmupSeconds <= 0) startMeasuring()
  const timer = setTimeout(startMeasuring, Math.max(0, warmupSeconds * 1000))
  const worker = async (_: unknown, index: number) => {
    for (let now = performance.now(); now < end; now = performance.now()) {
      if (now >= warmupEnd) startMeasuring()
      await task(now >= warmupEnd, index)
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
  } finally {
    clearTimeout(timer)
  }
  return performance.now() - warmupEnd
}
