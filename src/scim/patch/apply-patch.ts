// The PATCH engine of RFC 7644 §3.5.2 (add §3.5.2.1, remove §3.5.2.2, replace §3.5.2.3): a pure
// function from a stored SCIM document and a PatchOp body to the new document, atomically; Group
// `members` become member operations for the store (O(changed), SPEC §2).

import { validateDocument } from '../resources/normalize.ts'
import type { QuirkOptions } from '../resources/quirks.ts'
import type { ResourceTypeDefinition } from '../schemas/types.ts'
import { applyOperation } from './apply-operation.ts'
import { assertImmutableKept, assertRequiredKept } from './document-checks.ts'
import { deepEqual } from './document.ts'
import type { Json } from './document.ts'
import type { MemberOperation, State } from './patch-state.ts'
import { readOperations, withOperationContext } from './read-operations.ts'

export type { MemberOperation, MemberReference } from './patch-state.ts'

/** What {@link applyPatch} returns. */
export interface PatchResult {
  /** The new document, in the canonical form of `validateDocument`, in the input's shape. */
  doc: Record<string, unknown>
  /** Member changes, in request order (Groups only). */
  memberOps: MemberOperation[]
  /** False when `doc` equals the input and nothing else changed: the store may skip the write. */
  changed: boolean
  /** A cleartext `password` set by the PATCH (RFC 7643 §4.1.1): hash it, never store it. */
  password?: string
}

/**
 * Applies a PATCH request body (RFC 7644 §3.5.2) to a stored document.
 *
 * The document holds core attributes at the top level and extension attributes under their URN
 * key; it has no `id`, `meta`, `groups` nor Group `members`. A `schemas` key is kept (recomputed)
 * when the input has one. Neither `body` nor `doc` is modified; any invalid operation throws and
 * nothing is applied.
 *
 * - Body: an object whose `schemas` holds the PatchOp URN and whose `Operations` is a non-empty
 *   array. Member names (`Operations`, `op`, `path`, `value`) match case-insensitively (RFC 7643
 *   §2.1), so `operations` is accepted; `op` values too (Entra's `Replace`).
 * - With `path`: attributes, sub-attributes (`name.familyName`), URN-qualified extension
 *   attributes and whole extensions, value filters (`emails[type eq "work"].value`). add appends
 *   to multi-valued attributes (skipping identical values) and merges into complex ones; replace
 *   overwrites a complex attribute and swaps a multi-valued one (interop profile §6.5.2); add and
 *   replace are the same on simple attributes. An add/replace whose `eq` filter matches nothing
 *   creates the element (Entra quirk), otherwise noTarget. remove of nothing is a no-op. Setting
 *   `primary: true` clears it on the other values (RFC 7644 §3.5.2).
 * - Without `path` (refused in strict mode, interop profile §6.5.1.1): the value's keys may be
 *   names, dotted or URN-qualified paths, or extension URNs holding objects (Entra quirk);
 *   `schemas` and readOnly keys are skipped (Okta quirk). A path-less replace of a complex
 *   attribute merges its sub-attributes (RFC 7644 §3.5.2.3). A path-less remove is noTarget
 *   (§3.5.2.2).
 * - Group `members` become {@link MemberOperation}s: add/replace with a value array, remove by
 *   `members[value eq "x"]` (or an `or` of those), by any other filter (`removeWhere`), with a
 *   value array (Entra quirk: exactly those, never all), or without value (`removeAll`).
 * - Values are coerced by `coerceAttributeValue` (Entra's "True"/"False", manager as a bare id;
 *   `""`/`{value:""}`/`null` unassign), and the result is re-checked by `validateDocument`.
 *   Extension attributes need their URN in strict mode (RFC 7644 §3.10); lenient mode also
 *   resolves an unqualified name that one extension defines (Entra's old `"path": "manager"`).
 * - `password` (writeOnly) is returned apart in {@link PatchResult.password}, never in `doc`.
 * - Errors name the operation (`Operations[2] (replace "active"): …`).
 * - Work is linear in the operations and values (issue #7): adds skip equal values and `eq`
 *   filters find their values through an index (value-index.ts); consecutive member adds (or
 *   removes) become one member operation. Operations that must visit every value
 *   (`emails.type`, `emails[type co "w"]`) may visit 200,000 values per request in all.
 *
 * @throws ScimError invalidSyntax: malformed body or operation, unknown `op`, a path-less
 *   operation in strict mode, an unknown attribute inside a value.
 * @throws ScimError invalidPath: a malformed or unknown path (the detail names it), a path into
 *   member sub-attributes. invalidFilter: a value filter naming an unknown sub-attribute.
 * @throws ScimError noTarget: a path-less remove; a filter matching nothing that cannot create.
 * @throws ScimError mutability: a path to a readOnly attribute (`id`, `meta`, `groups`), a change
 *   to an immutable value, removing a required attribute (`userName`, Group `displayName`).
 * @throws ScimError invalidValue: a value of the wrong type, several `primary: true`, more than
 *   200,000 values visited.
 */
export function applyPatch(
  body: unknown,
  doc: Readonly<Record<string, unknown>>,
  resourceType: ResourceTypeDefinition,
  quirks: QuirkOptions,
): PatchResult {
  const operations = readOperations(body)
  const state: State = {
    doc: structuredClone(doc) as Json,
    memberOps: [],
    password: undefined,
    resourceType,
    quirks,
    multiValued: new Map(),
    scanned: 0,
    lastMemberOp: undefined,
  }
  for (const operation of operations) {
    try {
      applyOperation(state, operation)
    } catch (error) {
      throw withOperationContext(error, operation)
    }
  }
  assertImmutableKept(doc, state.doc, resourceType)
  assertRequiredKept(doc, state.doc, resourceType)
  const validated = validateDocument(state.doc, resourceType, quirks).doc
  if (!Object.hasOwn(doc, 'schemas')) delete validated['schemas']
  const changed =
    state.memberOps.length > 0 || state.password !== undefined || !deepEqual(doc, state.doc)
  return {
    doc: validated,
    memberOps: state.memberOps,
    changed,
    ...(state.password === undefined ? {} : { password: state.password }),
  }
}
