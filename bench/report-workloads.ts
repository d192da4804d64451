// The workload tables of `npm run bench`: per workload, its figures for each run and their
// median; the per-request cost by tenant size (--sizes); and the failure list across them all.
import type { Metric, WorkloadResult } from './workloads.ts'

/** A workload's results, one per run (--runs). */
export interface WorkloadRuns {
  readonly workload: string
  readonly runs: readonly WorkloadResult[]
}

/** One tenant size of --sizes: the workloads' runs there and the server's RSS after them. */
export interface SizeResult {
  readonly size: number
  readonly workloads: readonly WorkloadRuns[]
  readonly rssMb: number | undefined
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? sorted[middle]
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Per metric name, the median over the runs that have it. */
export function medianMetrics(runs: readonly WorkloadResult[]): Metric[] {
  const names = [...new Set(runs.flatMap((run) => run.metrics.map((m) => m.name)))]
  return names.map((name) => ({
    name,
    value: median(
      runs.flatMap((run) => {
        const value = run.metrics.find((m) => m.name === name)?.value
        return value === undefined || !Number.isFinite(value) ? [] : [value]
      }),
    ),
  }))
}

export function metricOf(metrics: readonly Metric[], name: string): number | undefined {
  return metrics.find((m) => m.name === name)?.value
}

export function formatNumber(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return 'n/a'
  const size = Math.abs(value)
  if (size >= 100) return value.toFixed(0)
  if (size >= 10) return value.toFixed(1)
  if (size >= 1) return value.toFixed(2)
  return value.toFixed(3)
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = header.map((_, i) => (i === 0 ? ':--' : '--:'))
  return [header, align, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n')
}

/** One table per workload: a row per run and, with several runs, the median. */
export function renderWorkloads(workloads: readonly WorkloadRuns[]): string {
  const out: string[] = []
  for (const { workload, runs } of workloads) {
    const names = [...new Set(runs.flatMap((run) => run.metrics.map((m) => m.name)))]
    const row = (label: string, metrics: readonly Metric[], failed: string) => [
      label,
      ...names.map((name) => formatNumber(metricOf(metrics, name))),
      failed,
    ]
    const rows = runs.map((run, i) =>
      row(`run ${i + 1}`, run.metrics, run.failedRequests > 0 ? `**${run.failedRequests}**` : '0'),
    )
    if (runs.length > 1) {
      const failed = runs.reduce((total, run) => total + run.failedRequests, 0)
      rows.push(row('**median**', medianMetrics(runs), failed > 0 ? `**${failed}**` : '0'))
    }
    out.push(`**${workload}**`, '', table([workload, ...names, 'failed'], rows), '')
  }
  return out.join('\n')
}

const SIZE_METRICS = ['CPU ms/req', 'p50 ms', 'p99 ms'] as const

/** The rate figure of a workload's metrics (`req/s`, `pages/s`, …). */
function rateName(metrics: readonly Metric[]): string | undefined {
  return metrics.find((m) => m.name.endsWith('/s'))?.name
}

/**
 * "Per-request cost by tenant size": per workload and figure (medians over the runs), a column
 * per size and the ratio of the largest size's to the smallest's; then the server's RSS.
 */
export function renderSizes(sizes: readonly SizeResult[]): string {
  const ordered = [...sizes].sort((a, b) => a.size - b.size)
  const workloads = [...new Set(ordered.flatMap((s) => s.workloads.map((w) => w.workload)))]
  const rows: string[][] = []
  for (const workload of workloads) {
    const medians = ordered.map((s) =>
      medianMetrics(s.workloads.find((w) => w.workload === workload)?.runs ?? []),
    )
    const rate = medians.map(rateName).find((name) => name !== undefined)
    for (const name of [...SIZE_METRICS, ...(rate === undefined ? [] : [rate])]) {
      const values = medians.map((metrics) => metricOf(metrics, name))
      const first = values[0]
      const last = values.at(-1)
      const growth =
        first === undefined || last === undefined || first === 0 ? undefined : last / first
      rows.push([workload, name, ...values.map(formatNumber), `${formatNumber(growth)}×`])
    }
  }
  rows.push(['server', 'RSS MB after the runs', ...ordered.map((s) => formatNumber(s.rssMb)), ''])
  const header = [
    'workload',
    'figure (median of runs)',
    ...ordered.map((s) => `${s.size.toLocaleString('en')} users`),
    'largest ÷ smallest',
  ]
  return [
    '**Per-request cost by tenant size**',
    '',
    table(header, rows),
    '',
    'CPU ms/req: user + system CPU of the Rollcall process over the measured seconds ÷ requests. ' +
      'The tenant is filled by bulk SQL (bench/bulk-load.ts) to each size, the server restarted, ' +
      'then the workloads run in the order of the table; creates add to the tenant.',
  ].join('\n')
}
