// The delivery worker: one per server process. It wakes when a commit appends events (the store's
// subscription, no polling delay on that path), when a retry falls due (its own timers), and on a
// slow poll (writers in other processes, e.g. the CLI on SQLite, do not wake it). Each round it
// leases free endpoints in the database and delivers each one's events in position order; the
// lease keeps other instances off an endpoint until it is released or, if this process dies,
// until it expires (longer than the HTTP timeout), when another instance picks the work up.
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { SecretBox } from '../credentials/secret-box.ts'
import type { Store, WebhookEndpointRecord } from '../store/store.ts'
import { deliverRedeliveries, deliverStream, type DeliveryContext } from './stream.ts'

export interface WebhookWorkerOptions {
  readonly timeoutMs: number
  readonly retryScheduleMs: readonly number[]
  readonly concurrency: number
  readonly deliveryLogRetentionDays: number
  /** The fallback poll (default 2 s). */
  readonly pollMs?: number
  readonly onError?: (error: unknown) => void
}

const PRUNE_EVERY_MS = 3600_000
const PRUNE_BATCH = 1000

export class WebhookWorker {
  /** This instance's name in `lease_owner`: unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  private running = false
  private ticking = false
  private again = false
  /** Bumped by every wake-up, so an endpoint that finishes knows it may have missed one. */
  private generation = 0
  /** A round stopped because every slot was busy: a finishing endpoint starts the next. */
  private starved = false
  private readonly inFlight = new Map<string, Promise<void>>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private readonly abort = new AbortController()
  private unsubscribe: (() => void) | undefined
  private readonly context: DeliveryContext

  constructor(
    private readonly store: Store,
    secretBox: SecretBox,
    private readonly options: WebhookWorkerOptions,
  ) {
    this.context = {
      store,
      secretBox,
      owner: this.owner,
      timeoutMs: options.timeoutMs,
      retryScheduleMs: options.retryScheduleMs,
      // The lease covers one attempt (renewed before each) with room for a slow database.
      leaseMs: 2 * options.timeoutMs + 5000,
      signal: this.abort.signal,
      running: () => this.running,
    }
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.unsubscribe = this.store.events.subscribe(() => this.wake())
    const poll = setInterval(() => this.wake(), this.options.pollMs ?? 2000)
    poll.unref()
    this.timers.add(poll)
    const prune = setInterval(() => void this.prune(), PRUNE_EVERY_MS)
    prune.unref()
    this.timers.add(prune)
    void this.prune()
    this.wake()
  }

  /** Stops claiming, aborts attempts in flight (their events stay pending) and waits for them. */
  async close(): Promise<void> {
    if (!this.running) return
    this.running = false
    this.unsubscribe?.()
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    this.abort.abort()
    await Promise.allSettled([...this.inFlight.values()])
  }

  /** Looks for work now (also what the subscription, the poll and the retry timers call). */
  wake(): void {
    if (!this.running) return
    this.generation++
    if (this.ticking) {
      this.again = true
      return
    }
    void this.tick()
  }

  private async tick(): Promise<void> {
    this.ticking = true
    try {
      do {
        this.again = false
        const seen = new Set(this.inFlight.keys())
        while (this.running) {
          const free = this.options.concurrency - this.inFlight.size
          if (free <= 0) {
            this.starved = true
            break
          }
          const now = Date.now()
          const claimed = await this.store.webhooks.claim({
            owner: this.owner,
            now: new Date(now).toISOString(),
            leaseUntil: new Date(now + this.context.leaseMs).toISOString(),
            limit: free,
            exclude: [...seen],
          })
          if (claimed.length === 0) break
          for (const endpoint of claimed) {
            seen.add(endpoint.id)
            this.inFlight.set(endpoint.id, this.process(endpoint))
          }
        }
      } while (this.again && this.running)
    } catch (error) {
      this.report(error)
    } finally {
      this.ticking = false
    }
  }

  private async process(endpoint: WebhookEndpointRecord): Promise<void> {
    const generation = this.generation
    const due: number[] = []
    const lease = { id: endpoint.id, until: Date.parse(endpoint.leaseUntil ?? '') || 0 }
    try {
      const redeliveries = await deliverRedeliveries(this.context, endpoint, lease)
      if (redeliveries.next !== undefined) due.push(redeliveries.next)
      const retry = redeliveries.gone
        ? undefined
        : await deliverStream(this.context, endpoint, lease)
      if (retry !== undefined) due.push(retry)
    } catch (error) {
      this.report(error)
    } finally {
      await this.store.webhooks.release(endpoint.id, this.owner).catch((e) => this.report(e))
      this.inFlight.delete(endpoint.id)
    }
    if (!this.running) return
    for (const at of due) this.wakeAt(at)
    if (generation !== this.generation || this.starved) {
      this.starved = false
      this.wake()
    }
  }

  private wakeAt(at: number): void {
    const timer = setTimeout(
      () => {
        this.timers.delete(timer)
        this.wake()
      },
      Math.max(0, at - Date.now()) + 5,
    )
    timer.unref()
    this.timers.add(timer)
  }

  private async prune(): Promise<void> {
    const days = this.options.deliveryLogRetentionDays
    const before = new Date(Date.now() - days * 86_400_000).toISOString()
    try {
      while (this.running) {
        const deleted = await this.store.webhookDeliveries.prune(before, PRUNE_BATCH)
        if (deleted < PRUNE_BATCH) break
      }
    } catch (error) {
      this.report(error)
    }
  }

  private report(error: unknown): void {
    this.options.onError?.(error)
  }
}
