// Who caused a change and in which request: carried by AsyncLocalStorage from where a request
// (or a CLI command) enters to where the service appends the events, so that no service
// signature has to thread it through. Outside any context a change is Rollcall's own (system).
import { AsyncLocalStorage } from 'node:async_hooks'
import type { EventActor } from '../store/store.ts'

export interface EventContext {
  actor: EventActor
  readonly requestId: string | null
}

const SYSTEM: EventContext = Object.freeze({ actor: { type: 'system' as const }, requestId: null })

const storage = new AsyncLocalStorage<EventContext>()

/** The context of the running request or command, else the system's. */
export function currentEventContext(): EventContext {
  return storage.getStore() ?? SYSTEM
}

/** Runs `fn` (and everything it starts) in this context. */
export function runWithEventContext<T>(context: EventContext, fn: () => T): T {
  return storage.run({ ...context }, fn)
}

/**
 * Names the actor of the running context once authentication knows it (a SCIM token, an admin
 * session, an API key). Outside a context (system work) it does nothing: that actor stays system.
 */
export function setEventActor(actor: EventActor): void {
  const context = storage.getStore()
  if (context) context.actor = actor
}
