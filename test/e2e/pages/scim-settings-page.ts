// System Settings → SCIM Provisioning: status, the warning, Enable / Re-issue / Disable, the
// credentials dialog (Base URL and token, shown once) and the last use.
import type { Locator, Page } from 'playwright-core'

export class ScimSettingsPage {
  readonly heading: Locator
  readonly section: Locator
  readonly status: Locator
  readonly warning: Locator
  readonly enableButton: Locator
  readonly reissueButton: Locator
  readonly disableButton: Locator
  readonly credentials: Locator
  readonly lastUsed: Locator
  readonly lastRequest: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'System Settings' })
    this.section = page.getByRole('region', { name: 'SCIM Provisioning' })
    this.status = this.section.locator('.scim-status .badge')
    this.warning = this.section.locator('.notice.warning')
    this.enableButton = this.section.getByRole('button', { name: 'Enable' })
    this.reissueButton = this.section.getByRole('button', { name: 'Re-issue token' })
    this.disableButton = this.section.getByRole('button', { name: 'Disable' })
    this.credentials = page.getByRole('dialog', { name: 'SCIM provisioning credentials' })
    this.lastUsed = this.section.locator('[data-field="last-used"]')
    this.lastRequest = this.section.locator('[data-field="last-request"]')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/settings/scim`)
    await this.heading.waitFor()
    await this.status.waitFor()
    return this
  }

  /** The Base URL and token of the open credentials dialog. */
  async issued(): Promise<{ baseUrl: string; token: string }> {
    await this.credentials.waitFor()
    return {
      baseUrl: await this.credentials.locator('[data-field="issued-base-url"]').innerText(),
      token: await this.credentials.locator('[data-field="issued-token"]').innerText(),
    }
  }

  async copyToken(): Promise<void> {
    await this.credentials.getByRole('button', { name: 'Copy JWT Token' }).click()
  }

  async closeCredentials(): Promise<void> {
    await this.credentials.getByRole('button', { name: 'I have saved the token' }).click()
    await this.credentials.waitFor({ state: 'hidden' })
  }

  /** Clicks the action, then the confirming button of its dialog; answers the dialog's text. */
  async confirm(action: Locator, confirmLabel: string): Promise<string> {
    await action.click()
    const dialog = this.page.getByRole('dialog').filter({
      has: this.page.getByRole('button', { name: confirmLabel }),
    })
    await dialog.waitFor()
    const text = await dialog.innerText()
    await dialog.getByRole('button', { name: confirmLabel }).click()
    return text
  }
}
