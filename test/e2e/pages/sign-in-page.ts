// The console signed out: local password sign-in and "Sign in with SSO"; and the server's
// set-password page of `admin create`'s one-time link.
import type { Locator, Page } from 'playwright-core'

export class SignInPage {
  readonly heading: Locator
  readonly tenant: Locator
  readonly email: Locator
  readonly password: Locator
  readonly submit: Locator
  readonly ssoLink: Locator
  readonly error: Locator
  readonly notice: Locator

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in to Rollcall' })
    this.tenant = page.getByLabel('Organisation (tenant)')
    this.email = page.getByLabel('Email')
    this.password = page.getByLabel('Password')
    this.submit = page.getByRole('button', { name: 'Sign in', exact: true })
    this.ssoLink = page.getByRole('link', { name: 'Sign in with SSO' })
    this.error = page.getByRole('alert')
    this.notice = page.getByRole('status')
  }

  async open(url: string): Promise<this> {
    await this.page.goto(url)
    await this.heading.waitFor()
    return this
  }

  /** Fills the form and submits it with Enter, as a keyboard user does. */
  async signIn(tenant: string, email: string, password: string): Promise<void> {
    await this.tenant.fill(tenant)
    await this.email.fill(email)
    await this.password.fill(password)
    await this.password.press('Enter')
  }
}

/** The one-time set-password link's page (server-rendered). */
export async function setPassword(page: Page, link: string, password: string): Promise<void> {
  await page.goto(link)
  await page.getByLabel(/New password/).fill(password)
  await page.getByRole('button', { name: 'Set password' }).click()
  await page.getByText('Your password is set.').waitFor()
}
