// A scripted browser at the HTTP level: the portal's account API (tRPC over fetch, as the pages call it) and the
// gateway's signed endpoints with the session cookie, keeping the cookie as a browser would. Attack tests use it
// to send what a page never would (no cookie, another Origin, a replayed cookie).
import { sessionCookieName } from '@exbox/auth';
import { Secret, TOTP } from 'otpauth';

export interface TrpcResult<T> {
  status: number;
  data?: T;
  error?: { message: string; data?: { code?: string; authCode?: string | null; httpStatus?: number } };
}

export interface CallOptions {
  /** Origin header to send; default the portal's own. null: none. */
  origin?: string | null;
  /** Cookie to send instead of the kept one; null: none. */
  cookie?: string | null;
}

export class PortalHttp {
  /** The session cookie's value, as the browser keeps it. */
  session: string | null = null;

  constructor(
    readonly portalUrl: string,
    readonly gatewayUrl: string,
  ) {}

  private cookieHeader(options: CallOptions): Record<string, string> {
    const session = options.cookie === undefined ? this.session : options.cookie;
    return session === null ? {} : { cookie: `${sessionCookieName}=${session}` };
  }

  private keepCookie(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name?.trim() !== sessionCookieName) continue;
      this.session = value === undefined || value === '' || /max-age=0/i.test(line) ? null : value;
    }
  }

  async mutate<T>(path: string, input: unknown = undefined, options: CallOptions = {}): Promise<TrpcResult<T>> {
    const origin = options.origin === undefined ? this.portalUrl : options.origin;
    const response = await fetch(`${this.portalUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(origin === null ? {} : { origin }),
        ...this.cookieHeader(options),
      },
      body: input === undefined ? undefined : JSON.stringify(input),
    });
    if (options.cookie === undefined) this.keepCookie(response);
    return this.read<T>(response);
  }

  async query<T>(path: string, input: unknown = undefined, options: CallOptions = {}): Promise<TrpcResult<T>> {
    const search = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    const response = await fetch(`${this.portalUrl}/api/trpc/${path}${search}`, {
      headers: this.cookieHeader(options),
    });
    return this.read<T>(response);
  }

  private async read<T>(response: Response): Promise<TrpcResult<T>> {
    const body = (await response.json()) as { result?: { data: T }; error?: TrpcResult<T>['error'] };
    return { status: response.status, data: body.result?.data, error: body.error };
  }

  /** A signed gateway endpoint with the session cookie instead of a signature, as the portal's pages call it. */
  async gateway<T>(
    method: 'GET' | 'POST' | 'DELETE' | 'PUT',
    path: string,
    params: Record<string, string> = {},
    options: CallOptions = {},
  ): Promise<{ status: number; body: T & { code?: number; msg?: string } }> {
    const origin = options.origin === undefined ? this.portalUrl : options.origin;
    const response = await fetch(`${this.gatewayUrl}${path}?${new URLSearchParams(params)}`, {
      method,
      headers: { ...(origin === null ? {} : { origin }), ...this.cookieHeader(options) },
    });
    return { status: response.status, body: (await response.json()) as T & { code?: number; msg?: string } };
  }

  /** Signs up, verifies through the demo mailbox and logs in (no second factor yet). */
  async signUpAndLogIn(email: string, password: string): Promise<void> {
    expectOk(await this.mutate('auth.signUp', { email, password }), 'auth.signUp');
    const token = await this.mailboxToken(email, /verify-email\?token=([^\s&"<]+)/);
    expectOk(await this.mutate('auth.verifyEmail', { token }), 'auth.verifyEmail');
    expectOk(await this.mutate('auth.login', { email, password }), 'auth.login');
  }

  /** The token of the newest mail to `email` whose body matches `link` (waits for the outbox). */
  async mailboxToken(email: string, link: RegExp): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const mails = await this.query<{ body: string }[]>('mailbox.list', { to: email });
      for (const mail of mails.data ?? []) {
        const match = link.exec(mail.body);
        if (match?.[1] !== undefined) return decodeURIComponent(match[1]);
      }
      if (Date.now() > deadline) throw new Error(`no mail to ${email} matching ${link} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Turns on TOTP for the signed-in account; returns its code generator. Codes are single use, so a later call
   * takes the next 30 s step (`step` 1), which the server accepts as clock drift.
   */
  async enableTwoFactor(): Promise<(step?: number) => string> {
    const enrolled = expectOk(await this.mutate<{ secret: string }>('security.totp.enrol'), 'security.totp.enrol');
    const totp = new TOTP({ secret: Secret.fromBase32(enrolled.secret), digits: 6, period: 30 });
    expectOk(await this.mutate('security.totp.confirm', { code: totp.generate() }), 'security.totp.confirm');
    return (step = 0) => totp.generate({ timestamp: Date.now() + step * 30_000 });
  }
}

export function expectOk<T>(result: TrpcResult<T>, what: string): T {
  if (result.error !== undefined || result.status !== 200) {
    throw new Error(`${what} failed: ${result.status} ${JSON.stringify(result.error)}`);
  }
  return result.data as T;
}
