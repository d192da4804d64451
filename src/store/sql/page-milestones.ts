// A page at a random startIndex without an OFFSET scan or a COUNT: per (tenant, resource type) the
// id at every k-th position in id order and the total, built in one pass and kept while the
// tenant's listing revision (migration 0014: moved by triggers on every insert and delete) is the
// one it was built at. The page query reads the revision in the same statement, so the rows and
// the revision come from one snapshot on both engines: a page is served from the milestones only
// when the data it reads is the data they describe, whichever instance wrote since. Otherwise the
// milestones are rebuilt once, and under a stream of writes the caller falls back to its plain
// OFFSET and COUNT queries.
import { sql, type Kysely } from 'kysely'
import type { TenantId } from '../../domain/ids.ts'
import type { Page } from '../store.ts'
import type { SqlContext } from './context.ts'

/** The ids at positions 0, step, 2·step, … of a tenant's rows in id order, at one revision. */
interface Milestones {
  readonly revision: string
  readonly total: number
  readonly step: number
  readonly ids: readonly string[]
}

/**
 * Ids kept per (tenant, resource type), at most: a page then skips fewer than total/4096 index
 * entries after its seek (244 at 1M rows), and an entry holds a few hundred kilobytes.
 */
const MAX_MILESTONES = 4096
/** Below this step, the skip after the seek costs less than the memory of more milestones. */
const MIN_STEP = 64

export class PageMilestones {
  private readonly entries = new Map<string, Milestones>()

  /** `capacity` (tenant, resource type) pairs, least recently used first out. */
  constructor(private readonly capacity: number) {}

  get(key: string): Milestones | undefined {
    const entry = this.entries.get(key)
    if (entry !== undefined) {
      this.entries.delete(key)
      this.entries.set(key, entry)
    }
    return entry
  }

  set(key: string, entry: Milestones): void {
    this.entries.delete(key)
    this.entries.set(key, entry)
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}

type Target = 'User' | 'Group'

const TABLE = { User: sql.raw('tenant_users'), Group: sql.raw('groups') } as const
const ID = { User: sql.raw('user_id'), Group: sql.raw('id') } as const

function revisionOf(value: unknown): string {
  // bigint comes back as a string from pg, a number from SQLite; no row yet is revision 0.
  return value === null || value === undefined ? '0' : String(value)
}

function revisionSql(tenantId: TenantId, target: Target) {
  return sql`(select revision from listing_revisions where tenant_id = ${tenantId} and resource = ${target})`
}

async function readRevision(db: Kysely<unknown>, tenantId: TenantId, target: Target) {
  const { rows } = await sql<{ r: unknown }>`select ${revisionSql(tenantId, target)} as r`.execute(
    db,
  )
  return revisionOf(rows[0]?.r)
}

/**
 * The milestones at the current revision, or undefined when a write committed while they were
 * read (the revision before and after differ): every insert or delete moves the revision in its
 * own commit, so equal revisions mean the statements between saw one and the same set of rows.
 */
async function build(
  db: Kysely<unknown>,
  tenantId: TenantId,
  target: Target,
): Promise<Milestones | undefined> {
  const before = await readRevision(db, tenantId, target)
  const table = TABLE[target]
  const id = ID[target]
  const counted = await sql<{
    n: number | string
  }>`select count(*) as n from ${table} where tenant_id = ${tenantId}`.execute(db)
  const total = Number(counted.rows[0]?.n ?? 0)
  const step = Math.max(MIN_STEP, Math.ceil(total / MAX_MILESTONES))
  const marks = await sql<{ id: string }>`select id from (
      select ${id} as id, row_number() over (order by ${id}) as rn
      from ${table} where tenant_id = ${tenantId}
    ) numbered where (rn - 1) % ${step} = 0 order by id`.execute(db)
  const after = await readRevision(db, tenantId, target)
  if (before !== after) return undefined
  return { revision: after, total, step, ids: marks.rows.map((r) => r.id) }
}

/**
 * The page of `count` rows from `startIndex` (1-based) in id order with the exact total, as an
 * OFFSET query and a COUNT in one snapshot would give it; undefined when writes kept moving the
 * revision (the caller then runs those queries itself).
 */
export async function milestonePage<R>(
  ctx: SqlContext,
  tenantId: TenantId,
  target: Target,
  startIndex: number,
  count: number,
  toRecord: (row: never) => R,
): Promise<Page<R> | undefined> {
  const db = ctx.reader as unknown as Kysely<unknown>
  const key = `${tenantId}|${target}`
  const offset = startIndex - 1
  let entry = ctx.milestones.get(key)
  for (let attempt = 0; attempt < 2; attempt++) {
    entry ??= await build(db, tenantId, target)
    if (entry === undefined) return undefined
    ctx.milestones.set(key, entry)
    if (count === 0 || offset >= entry.total) {
      // No row to carry the revision: read it alone.
      if ((await readRevision(db, tenantId, target)) === entry.revision) {
        return { totalResults: entry.total, items: [] }
      }
    } else {
      const mark = Math.floor(offset / entry.step)
      const skip = offset - mark * entry.step
      const column = sql`t.${ID[target]}`
      // The milestone past the page bounds the range too: whatever plan the engine picks (a
      // PostgreSQL table without statistics sorts a bitmap scan), it reads O(step + count) rows.
      const until = entry.ids[mark + Math.ceil((skip + count) / entry.step)]
      const { rows } = await sql<Record<string, unknown>>`select t.*,
          ${revisionSql(tenantId, target)} as listing_revision
        from ${TABLE[target]} t
        where t.tenant_id = ${tenantId} and ${column} >= ${entry.ids[mark]}
          ${until === undefined ? sql`` : sql`and ${column} < ${until}`}
        order by ${column} limit ${count} offset ${skip}`.execute(db)
      if (rows.length > 0 && revisionOf(rows[0]?.listing_revision) === entry.revision) {
        const items = rows.map((row) => {
          delete row.listing_revision
          return toRecord(row as never)
        })
        return { totalResults: entry.total, items }
      }
    }
    ctx.milestones.delete(key)
    entry = undefined
  }
  return undefined
}

/**
 * The exact total of the tenant's rows at `revisionSeen` (the revision a page query read with its
 * rows), from the milestones when they were built at it, else from milestones built now;
 * undefined when writes kept moving the revision.
 */
export async function totalAtRevision(
  ctx: SqlContext,
  tenantId: TenantId,
  target: Target,
  revisionSeen: unknown,
): Promise<number | undefined> {
  const key = `${tenantId}|${target}`
  const cached = ctx.milestones.get(key)
  if (cached !== undefined && cached.revision === revisionOf(revisionSeen)) return cached.total
  const built = await build(ctx.reader as unknown as Kysely<unknown>, tenantId, target)
  if (built === undefined) return undefined
  ctx.milestones.set(key, built)
  return built.total
}

/** The tenant's listing revision, as a subquery to select beside a page's rows. */
export function listingRevisionSql(tenantId: TenantId, target: Target) {
  return revisionSql(tenantId, target)
}
