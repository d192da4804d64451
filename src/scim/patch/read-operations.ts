// Reads a PatchOp body (RFC 7644 §3.5.2) into operations: the PatchOp URN, a non-empty
// `Operations` array, each with `op`, `path` and `value` named case-insensitively (RFC 7643 §2.1).

import { ScimError } from '../errors.ts'
import { describeValue } from '../resources/describe-value.ts'
import { isPlainObject } from '../resources/quirks.ts'
import { PATCH_OP_URN } from '../schemas/index.ts'
import type { Json } from './document.ts'
import { sameName } from './document.ts'
import { normalizeOpName } from './quirks.ts'
import type { PatchOpName } from './quirks.ts'

/** One entry of `Operations`, with its position for error details. */
export interface Operation {
  readonly index: number
  readonly op: PatchOpName
  readonly path: string | undefined
  readonly hasValue: boolean
  readonly value: unknown
}

const BODY_EXAMPLE =
  '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], ' +
  '"Operations": [{"op": "replace", "path": "displayName", "value": "…"}]}'

/**
 * The operations of a PatchOp body, in order.
 *
 * @throws ScimError invalidSyntax: not an object, no PatchOp URN, no or an empty `Operations`, an
 *   operation that is not an object, an unknown `op`, a `path` that is not a string, a member
 *   named twice in different case.
 */
export function readOperations(body: unknown): Operation[] {
  if (!isPlainObject(body)) {
    throw ScimError.invalidSyntax(
      `A PATCH body must be a JSON object such as ${BODY_EXAMPLE} (RFC 7644 §3.5.2), ` +
        `got ${describeValue(body)}.`,
    )
  }
  const schemas = getMember(body, 'schemas', 'the PATCH body')
  const hasPatchOpUrn =
    Array.isArray(schemas) &&
    schemas.some((urn) => typeof urn === 'string' && sameName(urn, PATCH_OP_URN))
  if (!hasPatchOpUrn) {
    throw ScimError.invalidSyntax(
      `A PATCH body must have "schemas": ["${PATCH_OP_URN}"] (RFC 7644 §3.5.2), ` +
        `got ${describeValue(schemas)}.`,
    )
  }
  const operations = getMember(body, 'Operations', 'the PATCH body')
  if (!Array.isArray(operations) || operations.length === 0) {
    throw ScimError.invalidSyntax(
      `A PATCH body must have a non-empty "Operations" array (RFC 7644 §3.5.2), ` +
        `got ${describeValue(operations)}.`,
    )
  }
  return operations.map(readOperation)
}

function readOperation(raw: unknown, index: number): Operation {
  const where = `Operations[${index}]`
  if (!isPlainObject(raw)) {
    throw ScimError.invalidSyntax(
      `${where} must be an object with "op", "path" and "value", got ${describeValue(raw)}.`,
    )
  }
  const opValue = getMember(raw, 'op', where)
  const op = normalizeOpName(opValue)
  if (op === undefined) {
    throw ScimError.invalidSyntax(
      `${where}: "op" must be "add", "replace" or "remove" (RFC 7644 §3.5.2), ` +
        `got ${describeValue(opValue)}.`,
    )
  }
  const pathValue = getMember(raw, 'path', where)
  if (pathValue !== undefined && pathValue !== null && typeof pathValue !== 'string') {
    throw ScimError.invalidSyntax(
      `${where}: "path" must be a string, got ${describeValue(pathValue)}.`,
    )
  }
  const value = getMember(raw, 'value', where)
  return {
    index,
    op,
    path: typeof pathValue === 'string' ? pathValue : undefined,
    hasValue: value !== undefined,
    value,
  }
}

/** Reads a member of a message object by name, case-insensitively (RFC 7643 §2.1). */
function getMember(object: Readonly<Json>, name: string, where: string): unknown {
  const keys = Object.keys(object).filter((key) => sameName(key, name))
  if (keys.length > 1) {
    const spellings = keys.map((key) => `"${key}"`).join(', ')
    throw ScimError.invalidSyntax(
      `${where} has "${name}" more than once (${spellings}); names are case-insensitive ` +
        '(RFC 7643 §2.1).',
    )
  }
  const key = keys[0]
  return key === undefined ? undefined : object[key]
}

/** Prefixes a ScimError's detail with its operation: `Operations[2] (replace "active"): …`. */
export function withOperationContext(error: unknown, operation: Operation): unknown {
  if (!(error instanceof ScimError)) return error
  const prefix = `Operations[${operation.index}]`
  if (error.detail.startsWith(prefix)) return error
  const path = operation.path === undefined ? '' : ` ${JSON.stringify(operation.path)}`
  const detail = `${prefix} (${operation.op}${path}): ${error.detail}`
  return new ScimError(error.status, detail, error.scimType, { cause: error })
}
