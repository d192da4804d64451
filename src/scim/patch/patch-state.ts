// The working state of one PATCH (RFC 7644 §3.5.2), shared by the operation modules: the document
// being changed, the member operations so far, and the value indexes with their scan budget.

import { ScimError } from '../errors.ts'
import type { Filter } from '../filter/ast.ts'
import type { GroupMemberInput } from '../resources/members.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type { ResourceTypeDefinition } from '../schemas/types.ts'
import { containerOf, readArray, setValue } from './document.ts'
import type { Json } from './document.ts'
import { buildValueIndex, type ValueIndex } from './value-index.ts'

/** A group member named by a PATCH: the member's `id` and, when the client said so, its kind. */
export type MemberReference = GroupMemberInput

/**
 * A change to a Group's members, in request order. Members never live in the document; the store
 * applies these with O(changed) SQL and only to SCIM-origin memberships (SPEC §1 G5).
 */
export type MemberOperation =
  | { kind: 'add'; members: MemberReference[] }
  | { kind: 'replace'; members: MemberReference[] }
  | { kind: 'remove'; values: string[] }
  | { kind: 'removeAll' }
  | { kind: 'removeWhere'; filter: Filter }

/** One PATCH in progress, changed in place by the operations (the caller's document is cloned). */
export interface State {
  readonly doc: Json
  readonly memberOps: MemberOperation[]
  password: string | undefined
  readonly resourceType: ResourceTypeDefinition
  readonly quirks: QuirkOptions
  /**
   * Multi-valued attributes being worked on, by {@link slotKey}. An index's `values` is the very
   * array `doc` holds, owned by this PATCH; any other write replaces that array, which is how a
   * stale index is recognised.
   */
  readonly multiValued: Map<string, ValueIndex>
  /** Values of multi-valued attributes visited one by one so far (see {@link chargeScan}). */
  scanned: number
  /** The last member operation while it can absorb the next one (see pushMemberOp). */
  lastMemberOp: MergeableMemberOp | undefined
}

type MergeableMemberOp =
  | {
      readonly op: Extract<MemberOperation, { kind: 'add' }>
      readonly byValue: Map<string, number>
    }
  | { readonly op: Extract<MemberOperation, { kind: 'remove' }>; readonly seen: Set<string> }

/** The index of a multi-valued attribute, (re)built from `doc` when missing or stale. */
export function valueIndexOf(state: State, resolved: ResolvedAttribute, name: string): ValueIndex {
  const key = slotKey(resolved, name)
  const known = state.multiValued.get(key)
  if (known !== undefined && containerOf(state.doc, resolved)?.[name] === known.values) return known
  // A fresh array, so changing it never touches the caller's document or body.
  const values = readArray(state.doc, resolved, name)
  chargeScan(state, values.length, name)
  const index = buildValueIndex(values)
  setValue(state.doc, resolved, name, values)
  state.multiValued.set(key, index)
  return index
}

/** Puts an index's values back into `doc` (an emptied attribute is unassigned, RFC 7643 §2.5). */
export function commitValues(
  state: State,
  resolved: ResolvedAttribute,
  name: string,
  index: ValueIndex,
): void {
  if (containerOf(state.doc, resolved)?.[name] !== index.values) {
    setValue(state.doc, resolved, name, index.values)
  }
}

function slotKey(resolved: ResolvedAttribute, name: string): string {
  return `${resolved.isExtension ? resolved.schemaUrn : ''} ${name}`
}

/**
 * Most operations on a multi-valued attribute touch only the values they name, through its
 * {@link ValueIndex}; the others (`emails.type`, `emails[type co "w"]`) visit every value. Those
 * visits are counted over the request and capped, so a thousand such operations over a user with
 * tens of thousands of emails cannot hold the event loop for seconds (issue #7).
 */
export function chargeScan(state: State, count: number, name: string): void {
  state.scanned += count
  if (state.scanned > MAX_SCANNED_VALUES) {
    throw ScimError.invalidValue(
      `This PATCH visits more than ${MAX_SCANNED_VALUES} values of multi-valued attributes ` +
        `("${name}" has ${count}). Send fewer operations per request, or address values with an ` +
        'equality filter such as emails[value eq "…"].',
    )
  }
}

const MAX_SCANNED_VALUES = 200_000
