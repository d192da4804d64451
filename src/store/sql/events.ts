// The events table (SPEC §6). Positions are the feed's cursor and must be handed out in commit
// order, or a reader that saw position 11 would skip 10 when its transaction commits later. SQLite
// has one writer, so AUTOINCREMENT is enough. PostgreSQL takes a transaction-scoped advisory lock
// before nextval: the next appender waits until this transaction has committed (and its rows are
// visible), so positions become visible in order. Append at the end of a unit of work: the lock is
// held from the append to the commit.
import { randomFillSync } from 'node:crypto'
import { sql, type Selectable } from 'kysely'
import { asTenantId, type TenantId } from '../../domain/ids.ts'
import type {
  EventLog,
  EventQuery,
  NewEvent,
  StoredEvent,
  TenantEventRepository,
} from '../store.ts'
import { chunks } from './chunks.ts'
import type { SqlContext } from './context.ts'
import { insertRows } from './prepared-writes.ts'
import type { EventsTable } from './tables.ts'

/** The advisory lock key that orders event positions (PostgreSQL). */
export const EVENT_LOCK_KEY = 0x726f6c6c // "roll"

/** The PostgreSQL channel on which a commit that appended events is announced. */
export const EVENT_CHANNEL = 'rollcall_events'

function toEvent(row: Selectable<EventsTable>): StoredEvent {
  return {
    position: Number(row.position),
    id: row.id,
    tenantId: asTenantId(row.tenant_id),
    type: row.type,
    at: row.at,
    body: row.body,
  }
}

// Random bytes for event ids, drawn from the system's generator in blocks: one call per 400
// ids rather than one per id.
const RANDOM_BYTES_PER_ID = 10
const randomPool = Buffer.alloc(RANDOM_BYTES_PER_ID * 400)
let randomOffset = randomPool.length

function nextRandomOffset(): number {
  if (randomOffset + RANDOM_BYTES_PER_ID > randomPool.length) {
    randomFillSync(randomPool)
    randomOffset = 0
  }
  const offset = randomOffset
  randomOffset += RANDOM_BYTES_PER_ID
  return offset
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/** `evt_` and 26 base32 characters: time-ordered (48-bit milliseconds) then 80 random bits. */
export function newEventId(now = Date.now()): string {
  return newEventIds(1, now)[0] as string
}

/** `count` event ids of one instant (a PATCH of 100 members appends 100 events). */
export function newEventIds(count: number, now = Date.now()): string[] {
  let prefix = ''
  let time = now
  for (let i = 0; i < 10; i++) {
    prefix = ALPHABET[time % 32] + prefix
    time = Math.floor(time / 32)
  }
  const ids: string[] = []
  for (let n = 0; n < count; n++) {
    let out = `evt_${prefix}`
    const start = nextRandomOffset()
    let bits = 0
    let value = 0
    for (let i = start; i < start + RANDOM_BYTES_PER_ID; i++) {
      value = ((value << 8) | (randomPool[i] as number)) & 0xffff
      bits += 8
      while (bits >= 5) {
        bits -= 5
        out += ALPHABET[(value >> bits) & 31]
      }
    }
    ids.push(out)
  }
  return ids
}

// A tenant's slug never changes (no repository method renames a tenant), so the events of a write
// need not read it again each time: one SELECT fewer on every SCIM write. Bounded, and shared by
// every store of the process (the key is the tenant id, unique across databases in practice).
const SLUGS = new Map<TenantId, string>()
const MAX_SLUGS = 10_000

async function slugOf(ctx: SqlContext, tenantId: TenantId): Promise<string> {
  const known = SLUGS.get(tenantId)
  if (known !== undefined) return known
  const tenant = await ctx.db
    .selectFrom('tenants')
    .select('slug')
    .where('id', '=', tenantId)
    .executeTakeFirst()
  if (!tenant) throw new Error(`events for an unknown tenant ${tenantId}`)
  if (SLUGS.size >= MAX_SLUGS) SLUGS.clear()
  SLUGS.set(tenantId, tenant.slug)
  return tenant.slug
}

/** PostgreSQL: each event's position from the sequence, under the advisory lock taken before. */
const NEXT_POSITION = {
  key: 'nextval',
  values: { position: sql<string>`nextval('event_positions')` },
}

/** The head, short of events not yet durable (SqlContext.eventsVisibleBelow). */
function visibleHead(ctx: SqlContext, head: number): number {
  const below = ctx.eventsVisibleBelow()
  return below === undefined ? head : Math.min(head, below - 1)
}

function clampLimit(limit: number): number {
  return Math.max(1, Math.min(1000, Math.floor(limit)))
}

export class SqlTenantEvents implements TenantEventRepository {
  constructor(
    private readonly ctx: SqlContext,
    private readonly tenantId: TenantId,
  ) {}

  async append(events: readonly NewEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return []
    const { db } = this.ctx
    const slug = await slugOf(this.ctx, this.tenantId)
    const postgres = this.ctx.dialect.name === 'postgres'
    if (postgres) {
      await sql`select pg_advisory_xact_lock(${sql.lit(EVENT_LOCK_KEY)})`.execute(db)
    }
    const now = Date.now()
    const at = new Date(now).toISOString()
    const ids = newEventIds(events.length, now)
    const rows = events.map((event, index) => {
      const id = ids[index] as string
      const body = JSON.stringify({
        id,
        type: event.type,
        timestamp: at,
        tenant: slug,
        data: event.data,
        actor: event.actor,
        requestId: event.requestId,
      })
      return { id, tenant_id: this.tenantId, type: event.type, at, body }
    })
    const stored: StoredEvent[] = []
    for (const chunk of chunks(rows, 500)) {
      // Only the position comes back: the rest (the body above all) is what was just sent.
      const inserted = await insertRows<{ position: number | string; id: string }>(
        db,
        this.ctx.dialect.name,
        'events',
        chunk,
        { returning: ['position', 'id'], ...(postgres ? { expressions: NEXT_POSITION } : {}) },
      )
      const byId = new Map(chunk.map((r) => [r.id, r]))
      for (const { position, id } of inserted) {
        const row = byId.get(id)
        if (row) stored.push(toEvent({ ...row, position }))
      }
    }
    // The payload names the schema: listeners of other schemas in the same database ignore it.
    if (postgres) await sql`select pg_notify(${EVENT_CHANNEL}, current_schema())`.execute(db)
    stored.sort((a, b) => a.position - b.position)
    this.ctx.eventsAppended(stored[0]?.position ?? 0)
    return stored
  }

  async after(query: EventQuery): Promise<StoredEvent[]> {
    let select = this.ctx.reader
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('position', '>', query.after)
    const below = this.ctx.eventsVisibleBelow()
    if (below !== undefined) select = select.where('position', '<', below)
    if (query.types && query.types.length > 0) select = select.where('type', 'in', query.types)
    const rows = await select.orderBy('position').limit(clampLimit(query.limit)).execute()
    return rows.map(toEvent)
  }

  async head(): Promise<number> {
    const row = await this.ctx.reader
      .selectFrom('events')
      .select((eb) => eb.fn.max('position').as('head'))
      .where('tenant_id', '=', this.tenantId)
      .executeTakeFirst()
    return visibleHead(this.ctx, Number(row?.head ?? 0))
  }
}

export class SqlEventLog implements Omit<EventLog, 'subscribe'> {
  constructor(private readonly ctx: SqlContext) {}

  async after(
    query: EventQuery & { readonly tenantIds?: readonly TenantId[] | undefined },
  ): Promise<StoredEvent[]> {
    let select = this.ctx.reader
      .selectFrom('events')
      .selectAll()
      .where('position', '>', query.after)
    const below = this.ctx.eventsVisibleBelow()
    if (below !== undefined) select = select.where('position', '<', below)
    if (query.tenantIds) {
      if (query.tenantIds.length === 0) return []
      select = select.where('tenant_id', 'in', query.tenantIds)
    }
    if (query.types && query.types.length > 0) select = select.where('type', 'in', query.types)
    const rows = await select.orderBy('position').limit(clampLimit(query.limit)).execute()
    return rows.map(toEvent)
  }

  async head(): Promise<number> {
    const row = await this.ctx.reader
      .selectFrom('events')
      .select((eb) => eb.fn.max('position').as('head'))
      .executeTakeFirst()
    return visibleHead(this.ctx, Number(row?.head ?? 0))
  }

  async get(id: string): Promise<StoredEvent | undefined> {
    const row = await this.ctx.reader
      .selectFrom('events')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row && toEvent(row)
  }

  async deleteOlderThan(before: string, limit: number): Promise<number> {
    const oldest = this.ctx.db
      .selectFrom('events')
      .select('position')
      .where('at', '<', before)
      .orderBy('position')
      .limit(Math.max(1, Math.floor(limit)))
    const result = await this.ctx.db
      .deleteFrom('events')
      .where('position', 'in', oldest)
      .executeTakeFirst()
    return Number(result.numDeletedRows)
  }
}
