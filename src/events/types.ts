// The catalogue of event types: what a host application can subscribe to. Adding a type is a
// product change (docs/events.md lists each with its data); renaming one breaks receivers.
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.deactivated',
  'user.reactivated',
  'user.deleted',
  'user.role_changed',
  'user.signed_in',
  'group.created',
  'group.updated',
  'group.deleted',
  'group.member_added',
  'group.member_removed',
  'connection.created',
  'connection.updated',
  'connection.verified',
  'connection.deleted',
  'scim_token.issued',
  'scim_token.revoked',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value)
}

/** An event before the store gives it an id and a position: its type and its `data`. */
export interface EventDraft {
  readonly type: EventType
  readonly data: unknown
}
