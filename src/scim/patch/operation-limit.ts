// The cap on operations per PATCH request (RFC 7644 §3.5.2 sets none; issue #7): checked before
// the resource is read, so an oversized request costs nothing but this count.
import { ScimError } from '../errors.ts'
import { isPlainObject } from '../resources/quirks.ts'

/**
 * Refuses a PATCH body whose `Operations` (any case, RFC 7643 §2.1) holds more than
 * `maxOperations` entries. Anything else about the body is left to `applyPatch`.
 *
 * @param setting the configuration variable to name in the detail.
 * @throws ScimError 400 invalidValue naming the limit and the setting.
 */
export function assertPatchOperationLimit(
  body: unknown,
  maxOperations: number,
  setting = 'SCIM_MAX_PATCH_OPERATIONS',
): void {
  if (!isPlainObject(body)) return
  for (const [key, operations] of Object.entries(body)) {
    if (key.toLowerCase() !== 'operations' || !Array.isArray(operations)) continue
    if (operations.length > maxOperations) {
      throw ScimError.invalidValue(
        `This PATCH has ${operations.length} operations; at most ${maxOperations} are accepted ` +
          `per request (${setting}). Split the change into several PATCH requests.`,
      )
    }
  }
}
