// `--plot <file>`: the size table as an SVG line chart (no dependency): x = tenant size on a log
// scale, y = p50 latency in ms, one line per workload. When the latencies span more than 20×
// (a page at 1M users against a lookup at 10k) y is logarithmic too, or the flat lines would
// all lie on the axis.

export interface Series {
  readonly name: string
  /** [tenant size, p50 ms] in increasing size. */
  readonly points: readonly (readonly [number, number])[]
}

const WIDTH = 720
const HEIGHT = 420
const MARGIN = { left: 64, right: 180, top: 40, bottom: 56 }
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b']

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** A round step for about `ticks` ticks from 0 to `max`. */
function niceStep(max: number, ticks: number): number {
  const raw = max / ticks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw)
  return step ?? 10 * magnitude
}

interface Axis {
  readonly at: (ms: number) => number
  readonly ticks: readonly number[]
  readonly label: string
}

/** y from 0 to a round maximum, or logarithmic over whole 1-2-5 decades when `log`. */
function yAxis(values: readonly number[], top: number, height: number): Axis {
  const max = Math.max(...values, 0.1)
  const min = Math.max(Math.min(...values), 0.01)
  if (max / min <= 20) {
    const step = niceStep(max, 5)
    const ceiling = step * Math.ceil(max / step)
    const ticks: number[] = []
    for (let ms = 0; ms <= ceiling + step / 2; ms += step) ticks.push(Number(ms.toPrecision(6)))
    return {
      at: (ms) => top + height - (ms / ceiling) * height,
      ticks,
      label: 'p50 latency (ms)',
    }
  }
  const low = Math.floor(Math.log10(min))
  const high = Math.ceil(Math.log10(max))
  const ticks: number[] = []
  for (let decade = low; decade <= high; decade += 1) {
    for (const m of [1, 2, 5]) {
      const value = Number((m * 10 ** decade).toPrecision(6))
      if (value <= 10 ** high) ticks.push(value)
    }
  }
  return {
    at: (ms) => top + height - ((Math.log10(ms) - low) / (high - low)) * height,
    ticks,
    label: 'p50 latency (ms, log scale)',
  }
}

function sizeLabel(size: number): string {
  if (size >= 1_000_000) return `${size / 1_000_000}M`
  if (size >= 1000) return `${size / 1000}k`
  return String(size)
}

export function latencyBySizeSvg(title: string, series: readonly Series[]): string {
  const points = series.flatMap((s) => s.points)
  const sizes = points.map(([size]) => size)
  // A margin of a sixth of a decade either side, so the end points are off the frame.
  const minX = Math.log10(Math.min(...sizes)) - 1 / 6
  const maxX = Math.log10(Math.max(...sizes)) + 1 / 6
  const spanX = maxX - minX
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (size: number) => MARGIN.left + ((Math.log10(size) - minX) / spanX) * plotW
  const axis = yAxis(
    points.map(([, ms]) => ms),
    MARGIN.top,
    plotH,
  )
  const y = axis.at
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="14">` +
      `${escapeXml(title)}</text>`,
  ]
  for (const ms of axis.ticks) {
    const py = y(ms).toFixed(1)
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py}" y2="${py}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">` +
        `${ms}</text>`,
    )
  }
  for (const size of [...new Set(sizes)].sort((a, b) => a - b)) {
    const px = x(size).toFixed(1)
    out.push(
      `<line x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#eee"/>`,
      `<text x="${px}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${sizeLabel(size)}</text>`,
    )
  }
  out.push(
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" ` +
      `fill="none" stroke="#333"/>`,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">` +
      `users in the tenant (log scale)</text>`,
    `<text x="16" y="${MARGIN.top + plotH / 2}" text-anchor="middle" ` +
      `transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">${axis.label}</text>`,
  )
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length] ?? '#000'
    const path = s.points.map(([size, ms]) => `${x(size).toFixed(1)},${y(ms).toFixed(1)}`)
    out.push(
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${path.join(' ')}"/>`,
    )
    for (const [size, ms] of s.points) {
      out.push(
        `<circle cx="${x(size).toFixed(1)}" cy="${y(ms).toFixed(1)}" r="3" fill="${colour}"/>`,
      )
    }
    const ly = MARGIN.top + 14 + i * 20
    const lx = MARGIN.left + plotW + 14
    out.push(
      `<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
      `<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${escapeXml(s.name)}</text>`,
    )
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
