// Resource ids: UUID version 7 (RFC 9562 §5.7), time-ordered so that the default listing order is
// creation order and index-seek paging works on the primary key; branded per kind, so that a
// group id passed where a user id goes (or a tenant id where a user id goes) does not compile.
import { randomFillSync } from 'node:crypto'

let lastMillis = 0
let sequence = 0

// Random bytes drawn from the system's generator in blocks: a call per id costs more than the
// rest of newId together.
const pool = Buffer.alloc(4096)
let poolOffset = pool.length

/** `n` fresh random bytes, copied out of the pool. */
function randomBytes(n: number): Buffer {
  if (poolOffset + n > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const bytes = Buffer.from(pool.subarray(poolOffset, poolOffset + n))
  poolOffset += n
  return bytes
}

/** A new UUIDv7 in lower-case hex, monotonic within this process. */
export function newId(): string {
  let now = Date.now()
  if (now <= lastMillis) {
    sequence = (sequence + 1) & 0xfff
    if (sequence === 0) lastMillis += 1
    now = lastMillis
  } else {
    lastMillis = now
    sequence = randomBytes(2).readUInt16BE(0) & 0x7ff
  }
  const bytes = randomBytes(16)
  bytes.writeUIntBE(now, 0, 6)
  bytes[6] = 0x70 | ((sequence >> 8) & 0x0f)
  bytes[7] = sequence & 0xff
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

declare const brand: unique symbol

/** A `T` that only code naming `B` produces: two brands of string do not mix. */
export type Brand<T, B extends string> = T & { readonly [brand]: B }

export type TenantId = Brand<string, 'TenantId'>
/** A person (global identity, D1); their memberships of tenants share it. */
export type UserId = Brand<string, 'UserId'>
export type GroupId = Brand<string, 'GroupId'>
export type ConnectionId = Brand<string, 'ConnectionId'>
/** A group member is a user or a group (RFC 7643 §4.2 `members`). */
export type MemberId = UserId | GroupId

export const newTenantId = (): TenantId => newId() as TenantId
export const newUserId = (): UserId => newId() as UserId
export const newGroupId = (): GroupId => newId() as GroupId
export const newConnectionId = (): ConnectionId => newId() as ConnectionId

// The casts, for ids read from trusted rows and for ids a request names (a SCIM path, an admin
// API parameter, a CLI flag): any string is accepted, and an id that names nothing of the
// tenant simply finds nothing, so no format check is needed for safety.
export const asTenantId = (value: string): TenantId => value as TenantId
export const asUserId = (value: string): UserId => value as UserId
export const asGroupId = (value: string): GroupId => value as GroupId
export const asConnectionId = (value: string): ConnectionId => value as ConnectionId
/** A member id as a client names it (a PATCH `members[value eq "…"]`), user or group. */
export const asMemberId = (value: string): MemberId => value as MemberId
