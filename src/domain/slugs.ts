// Tenant slugs: the one rule for the name a tenant goes by in its URLs (`/scim/v2/<slug>`,
// `/api/tenants/<slug>`) and on the command line (`--tenant <slug>`).

/** Lower-case letters, digits and dashes, 1 to 63 of them, not starting with a dash. */
export const TENANT_SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/

/** Whether `value` is a well-formed tenant slug (no case folding or trimming: `Acme` is not). */
export function isValidSlug(value: string): boolean {
  return TENANT_SLUG_PATTERN.test(value)
}
