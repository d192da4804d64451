// What an Editor or a Viewer sees instead of the console.
import type { Locator, Page } from 'playwright-core'

export class AdminsOnlyPage {
  readonly heading: Locator
  readonly signOutButton: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'The console is for Admins' })
    this.signOutButton = page.getByRole('button', { name: 'Sign out' })
  }
}
