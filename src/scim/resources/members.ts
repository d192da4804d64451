// Reads a Group's `members` value (RFC 7643 §4.2: `value`, `type`, `$ref`) into member ids, for
// POST/PUT bodies (RFC 7644 §3.3, §3.5.1) and PATCH operations (RFC 7644 §3.5.2) alike.

import { ScimError } from '../errors.ts'
import type { AttributeDefinition } from '../schemas/types.ts'
import { coerceAttributeValue } from './coerce-value.ts'
import { describeValue } from './describe-value.ts'
import { coerceBareMembers, isPlainObject } from './quirks.ts'
import type { QuirkOptions } from './quirks.ts'

/** A group member as a client asserted it: the member's `id` and, optionally, its kind. */
export interface GroupMemberInput {
  readonly value: string
  readonly type?: 'User' | 'Group'
}

/** Options of {@link parseMembers}. */
export interface ParseMembersOptions {
  /** How the client named the attribute, for error details: `members`, or a PATCH path as sent. */
  readonly label: string
  readonly quirks: QuirkOptions
  /**
   * How each element the client sent is checked for its id before coercion (which silently drops
   * an element left empty, such as `{"$ref": null}`), and how a missing id is worded:
   * - `'string'` (POST/PUT): its `value` must be a non-empty string ("the "id" (a string)");
   * - `'present'` (PATCH): it must have a `value` member; coercion then reports a wrong type by
   *   path, and an element coerced to nothing is dropped ("the "id"").
   * The two wordings are kept apart because clients and tests have long seen each one.
   */
  readonly idCheck: 'string' | 'present'
}

/**
 * Parses a `members` value into members, in the client's order, repeats of an id collapsed (a
 * later copy may only supply the `type` the first one lacked). Each element is coerced by
 * {@link coerceAttributeValue}: names match case-insensitively, `display` (readOnly) is dropped,
 * `$ref` is type-checked but not returned, and bare ids (`"id"`, `["a", {"value": "b"}]`) become
 * `{ value }` (quirks.ts, coerceBareMembers). `null` and `[]` give `[]`; the caller decides what
 * an absent value means. The value is not modified.
 *
 * @throws ScimError invalidValue: a member without a non-empty string `value`, a `type` other than
 *   `User` or `Group` (any case), a wrong type of any sub-attribute. invalidSyntax: an unknown
 *   sub-attribute.
 */
export function parseMembers(
  definition: AttributeDefinition,
  value: unknown,
  options: ParseMembersOptions,
): GroupMemberInput[] {
  const { label, quirks, idCheck } = options
  // Checked on the client's own elements: coercion drops elements left empty (`{display}`).
  const asSent = coerceBareMembers(value)
  if (Array.isArray(asSent)) {
    asSent.forEach((item, index) => {
      if (!isPlainObject(item)) return
      const valueKey = Object.keys(item).find((key) => key.toLowerCase() === 'value')
      if (idCheck === 'present' && valueKey === undefined) {
        throw memberIdRequired(label, index, idCheck)
      }
      if (idCheck === 'string') {
        memberId(valueKey === undefined ? undefined : item[valueKey], label, index, idCheck)
      }
    })
  }
  const coerced = (coerceAttributeValue(definition, value, label, quirks) ?? []) as Record<
    string,
    unknown
  >[]
  const byValue = new Map<string, GroupMemberInput>()
  coerced.forEach((item, index) => {
    const id = memberId(item['value'], label, index, idCheck)
    const asserted = memberType(item['type'], `${label}[${index}].type`)
    const type = byValue.get(id)?.type ?? asserted
    byValue.set(id, type === undefined ? { value: id } : { value: id, type })
  })
  return [...byValue.values()]
}

function memberId(
  value: unknown,
  label: string,
  index: number,
  idCheck: ParseMembersOptions['idCheck'],
): string {
  if (typeof value === 'string' && value.trim() !== '') return value
  throw memberIdRequired(label, index, idCheck)
}

function memberIdRequired(
  label: string,
  index: number,
  idCheck: ParseMembersOptions['idCheck'],
): ScimError {
  const id = idCheck === 'string' ? 'the "id" (a string)' : 'the "id"'
  return ScimError.invalidValue(
    `${label}[${index}].value is required: each member must carry ${id} of a User or Group.`,
  )
}

function memberType(raw: unknown, label: string): 'User' | 'Group' | undefined {
  if (raw === undefined) return undefined
  const lower = typeof raw === 'string' ? raw.toLowerCase() : undefined
  if (lower === 'user') return 'User'
  if (lower === 'group') return 'Group'
  throw ScimError.invalidValue(`${label} must be "User" or "Group", got ${describeValue(raw)}.`)
}
