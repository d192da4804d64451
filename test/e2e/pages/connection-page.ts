// One login connection: the Setup tab (redirect URI, login URL, settings, delete) and the
// Verification tab.
import type { Locator, Page } from 'playwright-core'

export class ConnectionPage {
  readonly tabs: Locator
  readonly setupTab: Locator
  readonly verificationTab: Locator
  readonly panel: Locator

  constructor(readonly page: Page) {
    this.tabs = page.getByRole('tablist', { name: 'Connection' })
    this.setupTab = page.getByRole('tab', { name: 'Setup' })
    this.verificationTab = page.getByRole('tab', { name: 'Verification' })
    this.panel = page.getByRole('tabpanel')
  }

  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name })
  }

  redirectUri(): Promise<string> {
    return this.page.locator('[data-field="redirect-uri"]').innerText()
  }

  loginUrl(): Promise<string> {
    return this.page.locator('[data-field="login-url"]').innerText()
  }

  async copyLoginUrl(): Promise<void> {
    await this.page.getByRole('button', { name: 'Copy Login URL' }).click()
  }

  status(): Promise<string> {
    return this.page.getByRole('heading', { level: 1 }).locator('.badge').innerText()
  }

  async verify(): Promise<void> {
    await this.page.getByRole('button', { name: /^Verify (connection|again)$/ }).click()
  }

  /** The rows of "Recent verifications". */
  verifications(): Locator {
    return this.page
      .getByRole('region', { name: 'Recent verifications' })
      .getByRole('row')
      .filter({ hasNot: this.page.getByRole('columnheader') })
  }
}
