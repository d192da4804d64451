// When to try a failed delivery again: the configured schedule with jitter, or later when the
// receiver's Retry-After asks for more (capped at the schedule's largest step, so that a receiver
// cannot park an endpoint for days).

/** ±10 %: instances retrying after one outage do not all come back at the same instant. */
const JITTER = 0.1

/**
 * The wait after the `attempts`-th failed attempt, in milliseconds, or undefined when the
 * schedule is exhausted (dead letter). `retryAfterMs` is the receiver's Retry-After, if any.
 */
export function retryDelayMs(
  attempts: number,
  scheduleMs: readonly number[],
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  const step = scheduleMs[attempts - 1]
  if (step === undefined) return undefined
  const jittered = step * (1 - JITTER + 2 * JITTER * random())
  if (retryAfterMs === undefined) return Math.round(jittered)
  const cap = Math.max(...scheduleMs)
  return Math.round(Math.max(jittered, Math.min(retryAfterMs, cap)))
}

/** A Retry-After header (delay-seconds or an HTTP-date) in milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}
