import { createHmac, timingSafeEqual } from 'node:crypto';
import { isNotificationKind } from '../notifications/notification.js';
import type { SendingCadence, UnsubscribeScope } from './mail.js';

/**
 * The token in every mail's one-click unsubscribe link: who and what, signed
 * with the instance's secret (HMAC-SHA256), so it cannot be guessed or changed,
 * and works without logging in (RFC 8058).
 */
export class UnsubscribeTokens {
  constructor(private readonly secret: string) {}

  make(memberId: number, scope: UnsubscribeScope): string {
    const what = 'kind' in scope ? `k:${scope.kind}` : 'cadence' in scope ? `c:${scope.cadence}` : 'all';
    const payload = Buffer.from(`${memberId}|${what}`, 'utf8').toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  read(token: string): { memberId: number; scope: UnsubscribeScope } | undefined {
    const [payload, signature, extra] = token.split('.');
    if (!payload || !signature || extra !== undefined || token.length > 300) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    const [id, what] = Buffer.from(payload, 'base64url').toString('utf8').split('|');
    const memberId = Number(id);
    if (!Number.isInteger(memberId) || memberId <= 0 || !what) return undefined;
    if (what === 'all') return { memberId, scope: { all: true } };
    const rest = what.slice(2);
    if (what.startsWith('k:') && isNotificationKind(rest)) return { memberId, scope: { kind: rest } };
    const cadence = rest;
    if (what.startsWith('c:') && (cadence === 'now' || cadence === 'daily' || cadence === 'weekly')) return { memberId, scope: { cadence: cadence as SendingCadence } };
    return undefined;
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.secret).update(`unsubscribe|${payload}`).digest('base64url');
  }
}
