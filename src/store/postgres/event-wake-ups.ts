// Wake-ups across instances: a dedicated connection (not one of the pool's: LISTEN belongs to a
// session) LISTENs on the channel that every appending transaction NOTIFYs (sql/events.ts), and
// wakes this process's event readers. Reconnects with capped, jittered backoff when it drops, and
// wakes the readers once listening again: commits made meanwhile were not announced. NOTIFY is
// per database: a notification names the schema it was sent from, and only this store's counts.
import pg from 'pg'
import { EVENT_CHANNEL } from '../sql/events.ts'

/** The application_name of the listening session (seen in pg_stat_activity). */
export const EVENT_LISTENER_NAME = 'rollcall-event-listener'

const MAX_BACKOFF_MS = 30_000

/** Starts listening; returns the function that stops (and closes the connection). */
export function listenForEvents(url: string, wake: () => void): () => Promise<void> {
  let client: pg.Client | undefined
  let closed = false
  let failures = 0
  let dropped = false
  let timer: NodeJS.Timeout | undefined

  const retry = (lost: pg.Client) => {
    if (closed || client !== lost) return
    client = undefined
    dropped = true
    lost.end().catch(() => undefined)
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** failures++) * (0.5 + Math.random() / 2)
    timer = setTimeout(() => void connect(), delay)
    timer.unref()
  }

  const connect = async () => {
    if (closed) return
    const next = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: 5000,
      application_name: EVENT_LISTENER_NAME,
    })
    client = next
    let schema: string | undefined
    next.on('notification', (message) => {
      if (schema !== undefined && message.payload === schema) wake()
    })
    next.on('error', () => retry(next))
    next.on('end', () => retry(next))
    try {
      await next.connect()
      schema = (await next.query<{ s: string }>('select current_schema() as s')).rows[0]?.s
      await next.query(`LISTEN ${EVENT_CHANNEL}`)
      failures = 0
      if (dropped) wake()
    } catch {
      retry(next)
    }
  }

  void connect()
  return async () => {
    closed = true
    clearTimeout(timer)
    const current = client
    client = undefined
    await current?.end().catch(() => undefined)
  }
}
