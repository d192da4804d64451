// The provisioning log's activity chart: requests and failures per time bucket as SVG bars (no
// chart library). The chart is an image labelled with its summary (also shown as text); each
// bar's title gives its numbers on hover.
import type { ProvisioningActivityView } from '../api/types.ts'

const WIDTH = 720
const HEIGHT = 160
const AXIS = 24
const LEFT = 36

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const DAY = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })

function labelOf(start: string, bucket: ProvisioningActivityView['bucket']): string {
  const date = new Date(start)
  return bucket === 'day' ? DAY.format(date) : TIME.format(date)
}

export function ActivityChart({
  activity,
  label,
}: {
  readonly activity: ProvisioningActivityView
  readonly label: string
}) {
  const { buckets, bucket } = activity
  const requests = buckets.reduce((n, b) => n + b.requests, 0)
  const failures = buckets.reduce((n, b) => n + b.failures, 0)
  const max = Math.max(1, ...buckets.map((b) => b.requests))
  const plotWidth = WIDTH - LEFT
  const plotHeight = HEIGHT - AXIS
  const step = plotWidth / Math.max(1, buckets.length)
  const barWidth = Math.max(1, step * 0.7)
  const y = (value: number) => plotHeight - (value / max) * (plotHeight - 8)
  const ticks = [0, Math.floor(buckets.length / 2), buckets.length - 1]
  const summary = `${requests} ${requests === 1 ? 'request' : 'requests'}, ${failures} ${
    failures === 1 ? 'failure' : 'failures'
  } ${label}`
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={`Activity chart: ${summary}`}
        className="chart-svg"
      >
        <line className="chart-axis" x1={LEFT} y1={plotHeight} x2={WIDTH} y2={plotHeight} />
        <text className="chart-label" x={LEFT - 6} y={12} textAnchor="end">
          {max}
        </text>
        <text className="chart-label" x={LEFT - 6} y={plotHeight} textAnchor="end">
          0
        </text>
        {buckets.map((b, i) => {
          const x = LEFT + i * step + (step - barWidth) / 2
          return (
            <g key={b.start}>
              <title>{`${labelOf(b.start, bucket)}: ${b.requests} requests, ${b.failures} failures`}</title>
              {b.requests > 0 ? (
                <rect
                  className="chart-requests"
                  x={x}
                  y={y(b.requests)}
                  width={barWidth}
                  height={plotHeight - y(b.requests)}
                />
              ) : null}
              {b.failures > 0 ? (
                <rect
                  className="chart-failures"
                  x={x}
                  y={y(b.failures)}
                  width={barWidth}
                  height={plotHeight - y(b.failures)}
                />
              ) : null}
            </g>
          )
        })}
        {[...new Set(ticks)].map((i) => {
          const b = buckets[i]
          if (!b) return null
          const x = LEFT + i * step + step / 2
          const anchor = i === 0 ? 'start' : i === buckets.length - 1 ? 'end' : 'middle'
          return (
            <text key={b.start} className="chart-label" x={x} y={HEIGHT - 6} textAnchor={anchor}>
              {labelOf(b.start, bucket)}
            </text>
          )
        })}
      </svg>
      <figcaption className="chart-legend">
        <span className="legend requests" aria-hidden="true" /> Requests
        <span className="legend failures" aria-hidden="true" /> Failures
        <span className="chart-summary" data-field="activity-summary">
          {summary}
        </span>
      </figcaption>
    </figure>
  )
}
