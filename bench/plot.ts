// `--plot <file>`: the size table as an SVG line chart (no dependency): x = tenant size on a log
// scale, y = p50 latency in ms, one line per workload.

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

function sizeLabel(size: number): string {
  if (size >= 1_000_000) return `${size / 1_000_000}M`
  if (size >= 1000) return `${size / 1000}k`
  return String(size)
}

export function latencyBySizeSvg(title: string, series: readonly Series[]): string {
  const points = series.flatMap((s) => s.points)
  const sizes = points.map(([size]) => size)
  const minX = Math.log10(Math.min(...sizes, 10))
  const maxX = Math.log10(Math.max(...sizes, 100))
  const spanX = maxX - minX || 1
  const step = niceStep(Math.max(...points.map(([, ms]) => ms), 0.1), 5)
  const maxY = step * Math.ceil(Math.max(...points.map(([, ms]) => ms), 0.1) / step)
  const plotW = WIDTH - MARGIN.left - MARGIN.right
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (size: number) => MARGIN.left + ((Math.log10(size) - minX) / spanX) * plotW
  const y = (ms: number) => MARGIN.top + plotH - (ms / maxY) * plotH
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" ` +
      `viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
    `<text x="${WIDTH / 2 - MARGIN.right / 2}" y="22" text-anchor="middle" font-size="14">` +
      `${escapeXml(title)}</text>`,
  ]
  for (let ms = 0; ms <= maxY + step / 2; ms += step) {
    const py = y(ms).toFixed(1)
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${py}" y2="${py}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">` +
        `${Number(ms.toPrecision(6))}</text>`,
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
      `transform="rotate(-90 16 ${MARGIN.top + plotH / 2})">p50 latency (ms)</text>`,
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
