import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { parseRetryAfter, retryDelayMs } from './retry.ts'

const SCHEDULE = [5000, 300_000, 1_800_000]

describe('retryDelayMs', () => {
  it('takes the step of the attempt with ±10 % jitter, and none after the schedule', () => {
    assert.equal(
      retryDelayMs(1, SCHEDULE, undefined, () => 0),
      4500,
    )
    assert.equal(
      retryDelayMs(1, SCHEDULE, undefined, () => 1),
      5500,
    )
    assert.equal(
      retryDelayMs(2, SCHEDULE, undefined, () => 0.5),
      300_000,
    )
    assert.equal(retryDelayMs(4, SCHEDULE, undefined), undefined)
  })

  it('waits for a later Retry-After, capped at the largest step', () => {
    assert.equal(
      retryDelayMs(1, SCHEDULE, 60_000, () => 0.5),
      60_000,
    )
    assert.equal(
      retryDelayMs(2, SCHEDULE, 1000, () => 0.5),
      300_000,
    )
    assert.equal(
      retryDelayMs(1, SCHEDULE, 86_400_000, () => 0.5),
      1_800_000,
    )
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1)
  it('reads delay-seconds and HTTP-dates, and ignores anything else', () => {
    assert.equal(parseRetryAfter('120', now), 120_000)
    assert.equal(parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000)
    assert.equal(parseRetryAfter(new Date(now - 90_000).toUTCString(), now), 0)
    assert.equal(parseRetryAfter('soon', now), undefined)
    assert.equal(parseRetryAfter(null, now), undefined)
  })
})
