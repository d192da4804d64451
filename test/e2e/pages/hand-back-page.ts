// Hand back: the preview of what SCIM controls, and the confirmed release to INTERNAL.
import type { Locator, Page } from 'playwright-core'

export class HandBackPage {
  readonly heading: Locator
  readonly handBackButton: Locator
  readonly scimWarning: Locator
  readonly emptyState: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Hand back' })
    this.handBackButton = page.getByRole('button', { name: 'Hand back to INTERNAL…' })
    this.scimWarning = page.getByText('SCIM provisioning is enabled')
    this.emptyState = page.getByText('Nothing to hand back')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(`${url}/hand-back`)
    await this.heading.waitFor()
    return this
  }

  /** The count shown for 'Users', 'Groups' or 'Memberships'. */
  async count(what: 'Users' | 'Groups' | 'Memberships'): Promise<number> {
    const term = this.page.locator('.hand-back-counts > div').filter({
      has: this.page.locator('dt', { hasText: what }),
    })
    return Number(await term.locator('.count').innerText())
  }

  async handBack(): Promise<void> {
    await this.handBackButton.click()
    await this.page.getByRole('dialog').getByRole('button', { name: 'Hand back' }).click()
  }
}
