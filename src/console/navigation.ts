// The console's navigation: the pages of issue #9 whose admin API exists. Roles,
// System Settings → SCIM Provisioning and the Provisioning log join here with their API routes.
export interface NavigationItem {
  readonly label: string
  readonly path: string
}

export interface NavigationSection {
  readonly label: string
  readonly items: readonly NavigationItem[]
}

export const NAVIGATION: readonly NavigationSection[] = [
  {
    label: 'Directory',
    items: [
      { label: 'Users', path: '/users' },
      { label: 'Groups', path: '/groups' },
      { label: 'Domains', path: '/domains' },
    ],
  },
  { label: 'Administration', items: [{ label: 'Enterprise Connection', path: '/connections' }] },
]

/** The first page after sign-in. */
export const HOME = '/domains'
