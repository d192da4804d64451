// The signed-in Admin's frame: header (tenant, user, sign-out) and navigation.
import type { Locator, Page } from 'playwright-core'

export class Shell {
  readonly header: Locator
  readonly navigation: Locator
  readonly signOutButton: Locator

  constructor(readonly page: Page) {
    this.header = page.getByRole('banner')
    this.navigation = page.getByRole('navigation', { name: 'Console' })
    this.signOutButton = this.header.getByRole('button', { name: 'Sign out' })
  }

  /** The labels of the navigation's links, in order. */
  navigationLabels(): Promise<string[]> {
    return this.navigation.getByRole('link').allTextContents()
  }

  async go(label: string): Promise<void> {
    await this.navigation.getByRole('link', { name: label }).click()
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click()
  }
}
