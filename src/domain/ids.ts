// Resource ids: UUID version 7 (RFC 9562 §5.7), time-ordered so that the default listing order is
// creation order and index-seek paging works on the primary key.
import { randomBytes } from 'node:crypto'

let lastMillis = 0
let sequence = 0

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
