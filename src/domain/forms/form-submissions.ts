import type { Clock } from '../clock.js';
import type { Database } from '../../storage/database.js';
import {
  claimSubmission,
  completeSubmission,
  pruneSubmissions,
  releaseSubmission,
  type Claim,
} from '../../storage/repositories/form-submission-repository.js';

/** Tokens are kept this long: long enough for any Back button. */
const KEEP_DAYS = 7;
/** A token looks like what `newFormToken` makes (or anything similar and short). */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

export type { Claim };

/**
 * One-time tokens of creation forms. The first submission of a form claims
 * its token; a second one (Back and send again, a double click) finds the
 * claim and is sent to what the first one made instead of making a copy.
 */
export class FormSubmissions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  static isToken(raw: string): boolean {
    return TOKEN_PATTERN.test(raw);
  }

  claim(memberId: number, token: string): Promise<Claim> {
    return claimSubmission(this.db, memberId, token, this.clock.now());
  }

  complete(memberId: number, token: string, path: string): Promise<void> {
    return completeSubmission(this.db, memberId, token, path);
  }

  release(memberId: number, token: string): Promise<void> {
    return releaseSubmission(this.db, memberId, token);
  }

  /**
   * Claims a token, waiting up to `waitMs` while an earlier submission of the
   * same form is still being saved (a double click). 'new' means this
   * submission now holds the token (the earlier one was refused, or there was
   * none); 'pending' that the earlier one is still not finished.
   */
  async claimOrWait(memberId: number, token: string, waitMs: number, pollMs = 100): Promise<Claim> {
    const until = Date.now() + waitMs;
    for (;;) {
      const claim = await claimSubmission(this.db, memberId, token, this.clock.now());
      if (claim.state !== 'pending' || Date.now() >= until) return claim;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  prune(): Promise<number> {
    return pruneSubmissions(this.db, new Date(this.clock.now().getTime() - KEEP_DAYS * 86_400_000));
  }
}
