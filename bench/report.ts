// The output of `npm run bench`: the results as Markdown tables (pasteable into
// bench/RESULTS.md), a loud failure section when any request failed, and the same data as JSON.
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os'
import type { Check } from './cycle.ts'
import type { PhaseSummary, TypeSummary } from './load.ts'

export interface Machine {
  readonly cpuModel: string
  readonly cores: number
  readonly memoryGiB: number
  readonly os: string
  readonly node: string
  /** 1, 5 and 15 minute load averages when the run started: other work on the box skews results. */
  readonly loadAverage: readonly number[]
  /** The same when the Entra cycles ended. */
  loadAverageAtEnd?: readonly number[]
}

export interface BenchReport {
  readonly command: string
  readonly date: string
  /** The code under test (git HEAD, uncommitted changes under src/). */
  readonly revision: string
  readonly machine: Machine
  readonly target: { readonly store: string; readonly baseUrl: string }
  readonly params: {
    readonly users: number
    readonly groups: number
    readonly concurrency: number
    readonly memberBatch: number
    readonly echoSeconds: number
  }
  readonly initialCycleSeconds: number
  readonly phases: readonly PhaseSummary[]
  readonly echo: PhaseSummary | null
  readonly checks: readonly Check[]
  readonly skipped: number
  readonly failedRequests: number
}

/** The 1, 5 and 15 minute load averages, rounded to 0.01. */
export function currentLoadAverage(): number[] {
  return loadavg().map((load) => Math.round(load * 100) / 100)
}

export function describeMachine(): Machine {
  const cpuList = cpus()
  return {
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    loadAverage: currentLoadAverage(),
  }
}

/** Whether the run must be reported as failed: any failed request or failed check. */
export function hasFailures(report: BenchReport): boolean {
  return report.failedRequests > 0 || report.checks.some((check) => !check.ok)
}

function ms(value: number): string {
  return value < 10 ? value.toFixed(2) : value.toFixed(1)
}

function cpuMs(value: number | undefined): string {
  return value === undefined ? 'n/a' : value.toFixed(2)
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'))
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n')
}

function typeRow(type: TypeSummary, echoOps: number | undefined): string[] {
  return [
    type.name,
    String(type.count),
    type.errors > 0 ? `**${type.errors}**` : '0',
    type.opsPerSec.toFixed(0),
    echoOps === undefined || echoOps === 0 ? 'n/a' : (type.opsPerSec / echoOps).toFixed(3),
    ms(type.p50Ms),
    ms(type.p95Ms),
    ms(type.p99Ms),
  ]
}

export function renderMarkdown(report: BenchReport): string {
  const { machine, params } = report
  const echoType = report.echo?.types[0]
  const echoOps = echoType?.opsPerSec
  const types = report.phases.flatMap((phase) => phase.types)
  const typeRows = types.map((type) => typeRow(type, echoOps))
  if (echoType !== undefined) typeRows.push(typeRow(echoType, echoOps))
  const phases = report.echo === null ? report.phases : [...report.phases, report.echo]
  const out = [
    `- Command: \`${report.command}\``,
    `- Date: ${report.date}`,
    `- Code: ${report.revision}`,
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ` +
      `${machine.os}, Node.js ${machine.node}; ` +
      `load average at start ${machine.loadAverage.join(' ')}` +
      (machine.loadAverageAtEnd === undefined
        ? ''
        : `, at end ${machine.loadAverageAtEnd.join(' ')}`),
    `- Target: ${report.target.baseUrl} (${report.target.store})`,
    `- Workload: ${params.users} users, ${params.groups} groups, concurrency ${params.concurrency}, ` +
      `${params.memberBatch} members per PATCH, echo ${params.echoSeconds} s`,
    '',
    `**Initial cycle (users + groups with members): ${report.initialCycleSeconds.toFixed(2)} s**`,
    '',
    table(
      ['request type', 'count', 'errors', 'ops/s', '× echo', 'p50 ms', 'p95 ms', 'p99 ms'],
      typeRows,
    ),
    '',
    table(
      [
        'phase',
        'requests',
        'wall s',
        'req/s',
        'mean in flight',
        'Rollcall CPU ms/req',
        'PostgreSQL CPU ms/req',
      ],
      phases.map((phase) => [
        phase.name,
        String(phase.requests),
        phase.wallSeconds.toFixed(2),
        phase.requestsPerSec.toFixed(0),
        phase.meanInFlight.toFixed(1),
        cpuMs(phase.serverCpuMsPerRequest),
        cpuMs(phase.databaseCpuMsPerRequest),
      ]),
    ),
  ]
  for (const phase of report.phases) {
    if (phase.slices === undefined || phase.slices.length === 0) continue
    out.push(
      '',
      phase.name === 'initial: users'
        ? `${phase.name}, by tenant size (users created when the slice began and ended):`
        : `${phase.name}, in slices of its tasks:`,
      '',
      table(
        [
          'tasks',
          'req/s',
          'Rollcall CPU ms/req',
          'PostgreSQL CPU ms/req',
          ...phase.types.map((type) => `${type.name} p50 ms`),
        ],
        phase.slices.map((slice) => [
          `${slice.fromTask}–${slice.toTask}`,
          slice.requestsPerSec.toFixed(0),
          cpuMs(slice.serverCpuMsPerRequest),
          cpuMs(slice.databaseCpuMsPerRequest),
          ...slice.p50Ms.map(ms),
        ]),
      ),
    )
  }
  out.push(
    '',
    'ops/s: requests ÷ the share of their phase’s wall time they occupied (Σ latency of the type ' +
      '÷ Σ latency of the phase); for a phase with one request type that is count ÷ wall time. ' +
      '× echo: ops/s ÷ the echo’s ops/s. Latencies: nearest-rank percentiles of every request, ' +
      'from sending to the last body byte. CPU ms/req: user + system CPU time of the Rollcall ' +
      'process (and, on PostgreSQL, of the backends on its database) over the phase, ÷ its ' +
      'requests; read from /proc, it is less disturbed than latency by other work on the machine.',
  )
  if (report.checks.length > 0) {
    out.push('', 'Read-back checks:')
    for (const check of report.checks) {
      out.push(`- ${check.ok ? 'ok' : '**FAILED**'}: ${check.name}: ${check.detail}`)
    }
  }
  if (report.skipped > 0) {
    out.push(
      '',
      `${report.skipped} requests were not sent: the resource they needed was not created.`,
    )
  }
  return out.join('\n')
}

/** The loud part: every request type with failures, its statuses and the first few samples. */
export function renderFailures(report: BenchReport): string {
  const failedChecks = report.checks.filter((check) => !check.ok)
  const banner = '!'.repeat(78)
  const out = [
    banner,
    `!!  BENCHMARK FAILED: ${report.failedRequests} failed requests, ` +
      `${failedChecks.length} failed read-back checks`,
    banner,
  ]
  const types = [...report.phases, ...(report.echo === null ? [] : [report.echo])].flatMap(
    (phase) => phase.types,
  )
  for (const type of types.filter((t) => t.errors > 0)) {
    const statuses = Object.entries(type.statuses)
      .map(([status, n]) => `${status === '0' ? 'no response' : status}: ${n}`)
      .join(', ')
    out.push('', `${type.name}: ${type.errors} of ${type.count} failed (statuses ${statuses})`)
    for (const sample of type.samples) {
      out.push(`  > ${sample.request}`, `  < ${sample.status} ${sample.body}`)
    }
  }
  for (const check of failedChecks) out.push('', `check failed: ${check.name}: ${check.detail}`)
  out.push(banner)
  return out.join('\n')
}
