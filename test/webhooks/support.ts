// What the webhook tests share: a real receiver on 127.0.0.1 (node:http) whose answers a test
// scripts per request (200, 500, 429 with Retry-After, 410, a hang), a store on the engine the
// run asks for, tenants, events appended through the real path, and polling with a deadline.
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { createSecretBox, type SecretBox } from '../../src/credentials/secret-box.ts'
import { newTenantId } from '../../src/domain/ids.ts'
import type { Tenant } from '../../src/domain/types.ts'
import { openPostgresStore } from '../../src/store/postgres/open-postgres.ts'
import { openSqliteStore } from '../../src/store/sqlite/open-sqlite.ts'
import type { StoredEvent, Store } from '../../src/store/store.ts'
import { WebhookWorker, type WebhookWorkerOptions } from '../../src/webhooks/worker.ts'
import { createTestSchema, postgresSkipReason } from '../support/postgres.ts'

export const ENGINE = process.env.TEST_STORE === 'postgres' ? 'postgres' : 'sqlite'

export interface Received {
  readonly path: string
  readonly headers: IncomingHttpHeaders
  /** The body's bytes exactly as they arrived. */
  readonly body: Buffer
  readonly id: string
}

/** How the receiver answers one request: a status (and headers), or never (a hang). */
export type Answer = { status: number; headers?: Record<string, string>; delayMs?: number } | 'hang'

export interface Receiver {
  readonly url: string
  /** Every request, in arrival order. */
  readonly received: Received[]
  /** The answer for the next request to `path` (default: 200); queued answers go first. */
  script(path: string, ...answers: Answer[]): void
  /** Requests to `path` in flight now, and the most there ever were at once. */
  inFlight(path: string): { now: number; max: number }
  /** Answers every hung request (with 200) so the test can end. */
  releaseHung(): void
  close(): Promise<void>
}

export async function startReceiver(
  defaultAnswer: (path: string) => Answer = () => ({ status: 200 }),
): Promise<Receiver> {
  const received: Received[] = []
  const scripts = new Map<string, Answer[]>()
  const counts = new Map<string, { now: number; max: number }>()
  const hung = new Set<ServerResponse>()
  const server = createServer((request, response) => {
    const path = request.url ?? '/'
    const count = counts.get(path) ?? { now: 0, max: 0 }
    counts.set(path, count)
    count.now++
    count.max = Math.max(count.max, count.now)
    response.once('close', () => count.now--)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const id = String(request.headers['webhook-id'] ?? '')
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks), id })
      const answer = scripts.get(path)?.shift() ?? defaultAnswer(path)
      if (answer === 'hang') {
        hung.add(response)
        return
      }
      const respond = () => {
        response.writeHead(answer.status, answer.headers ?? {})
        response.end(answer.status >= 400 ? `status ${answer.status}` : '')
      }
      if (answer.delayMs === undefined) respond()
      else setTimeout(respond, answer.delayMs)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    script(path, ...answers) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers])
    },
    inFlight: (path) => ({ ...(counts.get(path) ?? { now: 0, max: 0 }) }),
    releaseHung() {
      for (const response of hung) if (!response.destroyed) response.end()
      hung.clear()
    },
    async close() {
      for (const response of hung) response.destroy()
      server.closeAllConnections()
      server.close()
      await once(server, 'close')
    },
  }
}

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Waits until the endpoint has recorded the event at `position` as delivered or dead-lettered. */
export async function waitForCursor(store: Store, id: string, position: number): Promise<void> {
  await waitFor(`the cursor of ${id} at ${position}`, async () => {
    const endpoint = await store.webhooks.get(id)
    return (endpoint?.cursor ?? 0) >= position
  })
}

export const SECRET_BOX: SecretBox = createSecretBox('webhook-tests-secret-0123456789abcdef')

/** A fresh, migrated store (SQLite, or a PostgreSQL schema with TEST_STORE=postgres). */
export async function openStore(t: TestContext): Promise<Store> {
  let store: Store
  if (ENGINE === 'postgres') {
    const skip = await postgresSkipReason()
    if (skip) throw new Error(skip)
    const schema = await createTestSchema('wh')
    store = openPostgresStore(schema.url, 4)
    t.after(() => schema.drop())
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'rollcall-webhooks-'))
    store = openSqliteStore(join(dir, 'rollcall.sqlite'))
    t.after(() => rmSync(dir, { recursive: true, force: true }))
  }
  t.after(() => store.close())
  await store.migrate()
  return store
}

export async function addTenant(store: Store, slug: string): Promise<Tenant> {
  const tenant = { id: newTenantId(), slug, name: slug, createdAt: new Date().toISOString() }
  await store.tenants.create(tenant)
  return (await store.tenants.getBySlug(slug)) as Tenant
}

/** Appends events of one tenant in one transaction, the way a directory change does. */
export async function appendEvents(
  store: Store,
  tenant: Tenant,
  ...types: string[]
): Promise<StoredEvent[]> {
  return store.transaction((s) =>
    s.forTenant(tenant.id).events.append(
      types.map((type, i) => ({
        type,
        data: { n: i, text: 'naïve — “quoted” ✓' },
        actor: { type: 'system' as const },
        requestId: null,
      })),
    ),
  )
}

export const FAST: WebhookWorkerOptions = {
  timeoutMs: 1000,
  retryScheduleMs: [200, 400],
  concurrency: 4,
  deliveryLogRetentionDays: 30,
  pollMs: 200,
}

/** A started worker, closed when the test ends. */
export function startWorker(
  t: TestContext,
  store: Store,
  options: Partial<WebhookWorkerOptions> = {},
): WebhookWorker {
  const worker = new WebhookWorker(store, SECRET_BOX, { ...FAST, ...options })
  worker.start()
  t.after(() => worker.close())
  return worker
}
