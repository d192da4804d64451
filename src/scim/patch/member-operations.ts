// PATCH of Group `members` (RFC 7644 §3.5.2): never applied to the document, turned into member
// operations for the store instead (O(changed), SPEC §2), consecutive adds or removes merged.

import { ScimError } from '../errors.ts'
import type { Filter } from '../filter/ast.ts'
import { parseMembers } from '../resources/members.ts'
import { isPlainObject } from '../resources/quirks.ts'
import type { ResolvedAttribute } from '../schemas/resolve.ts'
import type { AttributeDefinition, ResourceTypeDefinition } from '../schemas/types.ts'
import { sameName } from './document.ts'
import type { MemberOperation, MemberReference, State } from './patch-state.ts'
import { acceptBareMemberIds, listedRemovalValues } from './quirks.ts'
import type { PatchOpName } from './quirks.ts'
import type { AttributeTarget } from './resolve-target.ts'

/**
 * Turns a PATCH of Group `members` into {@link MemberOperation}s on `state`: add/replace with a
 * value, remove by `members[value eq "x"]` (or an `or` of those), by any other filter, with a value
 * (Entra quirk: exactly those) or without one (all).
 *
 * @throws ScimError invalidPath for member sub-attributes and for add/replace with a filter;
 *   invalidSyntax for bare ids in strict mode; invalidValue for a member without id or with a bad
 *   type (members.ts).
 */
export function applyToMembers(
  state: State,
  op: PatchOpName,
  target: AttributeTarget,
  value: unknown,
  hasValue: boolean,
): void {
  const { resolved, filter, filterSub, label } = target
  if (resolved.sub !== undefined || filterSub !== undefined) {
    throw ScimError.invalidPath(
      `"${label}": member sub-attributes cannot be patched; add or remove whole members with ` +
        'path "members".',
    )
  }
  if (filter !== undefined) {
    if (op !== 'remove') {
      throw ScimError.invalidPath(
        `"${label}": to ${op} members use path "members" with a value array such as ` +
          '[{"value": "<id>"}].',
      )
    }
    const values = memberFilterValues(filter)
    pushMemberOp(
      state,
      values === undefined ? { kind: 'removeWhere', filter } : { kind: 'remove', values },
    )
    return
  }
  if (op === 'remove') {
    const listed = hasValue ? listedRemovalValues(value) : undefined
    if (listed === undefined) {
      pushMemberOp(state, { kind: 'removeAll' })
      return
    }
    const members = readMembers(state, resolved.definition, listed, label)
    const values = members.map((member) => member.value)
    if (values.length > 0) pushMemberOp(state, { kind: 'remove', values })
    return
  }
  const members = readMembers(state, resolved.definition, value, label)
  if (op === 'replace') pushMemberOp(state, { kind: 'replace', members })
  else if (members.length > 0) pushMemberOp(state, { kind: 'add', members })
}

/**
 * Appends a member operation, folding it into the previous one when both are adds (or both
 * removes): the store does the same work once, and 15,000 single-member adds (issue #7) become
 * one batched write instead of 15,000 round trips. Order across kinds is kept (add then remove
 * of a member is not a no-op for INTERNAL memberships, SPEC §1 G5).
 */
function pushMemberOp(state: State, next: MemberOperation): void {
  const last = state.lastMemberOp
  if (next.kind === 'add' && last !== undefined && 'byValue' in last) {
    const { members } = last.op
    for (const member of next.members) {
      const position = last.byValue.get(member.value)
      if (position === undefined) {
        last.byValue.set(member.value, members.length)
        members.push(member)
      } else if (members[position]?.type === undefined && member.type !== undefined) {
        // As within one operation (readMembers): the first explicit type wins.
        members[position] = member
      }
    }
    return
  }
  if (next.kind === 'remove' && last !== undefined && 'seen' in last) {
    for (const value of next.values) {
      if (last.seen.has(value)) continue
      last.seen.add(value)
      last.op.values.push(value)
    }
    return
  }
  if (next.kind === 'add') {
    const op = { kind: 'add' as const, members: [...next.members] }
    state.lastMemberOp = { op, byValue: new Map(op.members.map((m, i) => [m.value, i])) }
    state.memberOps.push(op)
  } else if (next.kind === 'remove') {
    const op = { kind: 'remove' as const, values: [...new Set(next.values)] }
    state.lastMemberOp = { op, seen: new Set(op.values) }
    state.memberOps.push(op)
  } else {
    state.lastMemberOp = undefined
    state.memberOps.push(next)
  }
}

function readMembers(
  state: State,
  definition: AttributeDefinition,
  value: unknown,
  label: string,
): MemberReference[] {
  const input = acceptBareMemberIds(value, label, state.quirks)
  // One member object stands for a one-element array, as for every multi-valued attribute here.
  const list = isPlainObject(input) ? [input] : input
  return parseMembers(definition, list, { label, quirks: state.quirks, idCheck: 'present' })
}

/**
 * The ids of `value eq "a"` or `value eq "a" or value eq "b"` (Okta, Entra with
 * aadOptscim062020); `undefined` for any other member filter.
 */
function memberFilterValues(filter: Filter): string[] | undefined {
  const values = new Set<string>()
  return collectMemberFilterValues(filter, values) ? [...values] : undefined
}

// Collects into one Set: copying at each `or` would be quadratic in a long chain of them.
function collectMemberFilterValues(filter: Filter, values: Set<string>): boolean {
  if (filter.kind === 'or') {
    return (
      collectMemberFilterValues(filter.left, values) &&
      collectMemberFilterValues(filter.right, values)
    )
  }
  if (
    filter.kind === 'compare' &&
    filter.op === 'eq' &&
    typeof filter.value === 'string' &&
    filter.path.uri === undefined &&
    filter.path.sub === undefined &&
    sameName(filter.path.attr, 'value')
  ) {
    values.add(filter.value)
    return true
  }
  return false
}

/** Whether the attribute is the core Group `members`, kept out of the document. */
export function isMembersAttribute(
  resourceType: ResourceTypeDefinition,
  resolved: ResolvedAttribute,
): boolean {
  return (
    resourceType.name === 'Group' && !resolved.isExtension && resolved.definition.name === 'members'
  )
}
