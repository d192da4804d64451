// Wake-ups across instances: a dedicated connection (not one of the pool's: LISTEN belongs to a
// session) LISTENs on the channel that every appending transaction NOTIFYs (sql/events.ts), and
// wakes this process's event readers. Reconnects with capped, jittered backoff when it drops, and
// wakes the readers once listening again: commits made meanwhile were not announced.
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
  let timer: NodeJS.Timeout | undefined

  const retry = (dropped: pg.Client) => {
    if (closed || client !== dropped) return
    client = undefined
    dropped.end().catch(() => undefined)
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
    next.on('notification', () => wake())
    next.on('error', () => retry(next))
    next.on('end', () => retry(next))
    try {
      await next.connect()
      await next.query(`LISTEN ${EVENT_CHANNEL}`)
      failures = 0
      wake()
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
