// Route parameter schemas shared by the admin API's route modules.

/** `:tenant`, a tenant slug. */
export const tenantParams = {
  type: 'object',
  properties: { tenant: { type: 'string', maxLength: 63 } },
  required: ['tenant'],
} as const
