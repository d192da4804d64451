// Filtered, sorted, paged listing of users and groups (RFC 7644 §3.4.2): the SCIM filter runs in
// SQL, and a client walking the pages in order is served by index seeks (page-cursors.ts).
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import { compileFilter } from './filter/compile-filter.ts'
import { compileSortKey } from './filter/compile-sort.ts'
import type { TenantId } from '../../domain/ids.ts'
import type { ListQuery, Page } from '../store.ts'
import type { SqlContext } from './context.ts'
import { listingRevisionSql, milestonePage, totalAtRevision } from './page-milestones.ts'

type Table = 'tenant_users as u' | 'groups as g'

/** One page of `target` rows of the tenant, each mapped by `toRecord`. */
export async function listPage<R extends { readonly id: string }>(
  ctx: SqlContext,
  tenantId: TenantId,
  query: ListQuery,
  target: 'User' | 'Group',
  // The rows of a table chosen at run time: typed by the caller's mapper.
  toRecord: (row: never) => R,
): Promise<Page<R>> {
  const dialect = ctx.dialect
  const table = target === 'User' ? ('tenant_users as u' as const) : ('groups as g' as const)
  const alias = target === 'User' ? 'u' : 'g'
  const idColumn = target === 'User' ? sql.ref('u.user_id') : sql.ref('g.id')
  const where = query.filter ? compileFilter(query.filter, target, dialect) : sql<SqlBool>`1 = 1`
  const tenantWhere = sql<SqlBool>`${sql.ref(`${alias}.tenant_id`)} = ${tenantId}`

  if (query.after !== undefined)
    return seekPage(ctx, table, alias, idColumn, query, toRecord, [tenantWhere, where])

  // Default order is the id (time-ordered UUIDv7 = creation order). A client walking the pages
  // in order gets index seeks instead of OFFSET scans: the id that ended the previous page is
  // remembered under (tenant, filter, next startIndex).
  const filterKey = query.filter ? JSON.stringify(query.filter) : ''
  const cursorKey = `${tenantId}|${target}|${filterKey}`
  let seekAfter: string | undefined
  let knownTotal: number | undefined
  let offset = query.startIndex - 1
  if (query.sortBy === undefined && offset > 0 && query.count > 0) {
    const cursor = ctx.cursors.get(cursorKey, query.startIndex)
    if (cursor !== undefined) {
      seekAfter = cursor.lastId
      knownTotal = cursor.total
      offset = 0
    }
  }

  // Any other unfiltered page in id order: a seek from the nearest milestone, and the total they
  // keep. Not inside a transaction, whose uncommitted rows must not be cached; nor with a filter,
  // whose rows an update can change without an insert or delete.
  if (
    seekAfter === undefined &&
    query.sortBy === undefined &&
    query.filter === undefined &&
    !ctx.reader.isTransaction
  ) {
    const page = await milestonePage(ctx, tenantId, target, query.startIndex, query.count, toRecord)
    if (page !== undefined) {
      const last = page.items[page.items.length - 1]
      if (last && page.items.length === query.count) {
        const next = query.startIndex + query.count
        ctx.cursors.set(cursorKey, next, { lastId: last.id, total: page.totalResults })
      }
      return page
    }
  }

  if (query.count === 0) {
    const total = await count(ctx, table, tenantWhere, where)
    return { totalResults: total, items: [] }
  }

  // The table is chosen at run time; Kysely's static row typing cannot follow, so this query
  // is typed loosely and its rows mapped explicitly below.
  const db = ctx.reader as unknown as Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any
  let select = db.selectFrom(table).selectAll(alias).where(tenantWhere).where(where)
  if (seekAfter !== undefined) select = select.where(sql<SqlBool>`${idColumn} > ${seekAfter}`)
  // The next page of an unfiltered walk continues from its cursor (no row skipped or repeated
  // when rows are deleted meanwhile) but tells the total of now: the revision read with its rows
  // says whether the milestones' total is that of the rows it shows.
  const exactWalkTotal =
    seekAfter !== undefined && query.filter === undefined && !ctx.reader.isTransaction
  if (exactWalkTotal)
    select = select.select(listingRevisionSql(tenantId, target).as('listing_revision'))
  if (seekAfter === undefined && offset > 0 && query.sortBy === undefined) {
    // A cold deep page: find its first id with the offset applied to the id index alone
    // (no row is read for the skipped positions), then seek from there.
    const from = sql.raw(target === 'User' ? 'tenant_users as u' : 'groups as g')
    select = select.where(
      sql<SqlBool>`${idColumn} >= (select ${idColumn} from ${from} where ${tenantWhere} and ${where} order by ${idColumn} limit 1 offset ${offset})`,
    )
    offset = 0
  }
  if (query.sortBy !== undefined) {
    const key = compileSortKey(query.sortBy, target, dialect)
    const direction = query.sortOrder === 'descending' ? sql`desc` : sql`asc`
    select = select.orderBy(sql`${key} ${direction}`).orderBy(idColumn)
  } else {
    select = select.orderBy(idColumn)
  }
  select = select.limit(query.count)
  if (offset > 0) select = select.offset(offset)

  const rows = (await select.execute()) as Record<string, unknown>[]
  const revisionSeen = rows[0]?.listing_revision
  if (exactWalkTotal) for (const row of rows) delete row.listing_revision
  const items = (rows as never[]).map(toRecord)

  // A first page that is not full tells the total by itself: no COUNT for the common
  // "filter=userName eq …" lookups. The full pages of a filtered walk reuse the total of the
  // page before (RFC 7644 §3.4.2.4 promises no consistency between pages); its last page
  // recounts.
  let total: number
  const walkTotal = exactWalkTotal
    ? await totalAtRevision(ctx, tenantId, target, revisionSeen)
    : undefined
  if (items.length < query.count && query.startIndex === 1) {
    total = items.length
  } else if (walkTotal !== undefined) {
    total = walkTotal
  } else if (knownTotal !== undefined && items.length === query.count) {
    total = Math.max(knownTotal, query.startIndex - 1 + items.length)
  } else {
    total = await count(ctx, table, tenantWhere, where)
  }

  if (query.sortBy === undefined && items.length === query.count) {
    const last = items[items.length - 1]
    if (last) ctx.cursors.set(cursorKey, query.startIndex + query.count, { lastId: last.id, total })
  }
  // After deletions a seek can find rows beyond the current total; a page past the end is empty.
  const visible = query.startIndex > total ? [] : items
  return { totalResults: total, items: visible }
}

/** A keyset page (ListQuery.after): an index seek on the id, no count. */
async function seekPage<R>(
  ctx: SqlContext,
  table: Table,
  alias: 'u' | 'g',
  idColumn: RawBuilder<unknown>,
  query: ListQuery,
  toRecord: (row: never) => R,
  conditions: readonly RawBuilder<SqlBool>[],
): Promise<Page<R>> {
  if (query.count === 0) return { totalResults: 0, items: [] }
  const db = ctx.reader as unknown as Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any
  let select = db.selectFrom(table).selectAll(alias)
  for (const condition of conditions) select = select.where(condition)
  const rows = await select
    .where(sql<SqlBool>`${idColumn} > ${query.after}`)
    .orderBy(idColumn)
    .limit(query.count)
    .execute()
  const items = (rows as never[]).map(toRecord)
  return { totalResults: items.length, items }
}

async function count(
  ctx: SqlContext,
  table: Table,
  tenantWhere: RawBuilder<SqlBool>,
  where: RawBuilder<SqlBool>,
): Promise<number> {
  const db = ctx.reader as unknown as Kysely<any> // eslint-disable-line @typescript-eslint/no-explicit-any
  const row = await db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .where(tenantWhere)
    .where(where)
    .executeTakeFirstOrThrow()
  return Number((row as { n: number | string }).n)
}
