// Reading the event log in tests: the events of a tenant as their bodies (the JSON that feeds and
// webhooks send), optionally after a cursor and without the SCIM token events of the test setup.
import type { TestApp, TestTenant } from '../helper.ts'
import type { Json } from '../support/scim.ts'

export interface EventBody {
  readonly id: string
  readonly type: string
  readonly timestamp: string
  readonly tenant: string
  readonly data: Json
  readonly actor: { readonly type: string; readonly id?: string }
  readonly requestId: string | null
  /** The position (not part of the body): the cursor. */
  readonly position: number
}

export async function eventsOf(
  h: Pick<TestApp, 'store'>,
  tenant: TestTenant,
  after = 0,
): Promise<EventBody[]> {
  const out: EventBody[] = []
  for (let cursor = after; ;) {
    const page = await h.store
      .forTenant(tenant.tenant.id)
      .events.after({ after: cursor, limit: 1000 })
    if (page.length === 0) return out
    for (const e of page) out.push({ ...(JSON.parse(e.body) as EventBody), position: e.position })
    cursor = page[page.length - 1]!.position
  }
}

/** The tenant's directory events (the setup's scim_token.issued left out). */
export async function directoryEventsOf(
  h: Pick<TestApp, 'store'>,
  tenant: TestTenant,
  after = 0,
): Promise<EventBody[]> {
  return (await eventsOf(h, tenant, after)).filter((e) => !e.type.startsWith('scim_token.'))
}

export async function headOf(h: Pick<TestApp, 'store'>, tenant: TestTenant): Promise<number> {
  return h.store.forTenant(tenant.tenant.id).events.head()
}

/** [type, data.id] of each event: what most assertions compare. */
export function summary(events: readonly EventBody[]): [string, string][] {
  return events.map((e) => [e.type, e.data?.id ?? e.data?.member?.id])
}
