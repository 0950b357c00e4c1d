import type { Database, Queryable } from '../../storage/database.js';
import type { AccountLog } from '../members/password-resets.js';
import { addCircleMember, belongsToCircle, findCircleById, findCircleBySlug, insertCircle, listCircles } from '../../storage/repositories/circle-repository.js';
import { ForbiddenError, NotFoundError, ValidationError, type FieldErrors } from '../errors.js';
import { handleProblem, normalizeHandle } from '../handles.js';
import { LIMITS } from '../limits.js';
import { isSteward, type Member } from '../members/member.js';
import { optionalText, requiredText } from '../text-rules.js';
import { CIRCLE_VISIBILITIES, canSeeCircle, type Circle, type CircleSummary, type CircleVisibility } from './circle.js';
import { msg } from '../../i18n/message.js';

export interface NewCircle {
  slug: string;
  name: string;
  purpose?: string | undefined;
  visibility?: string | undefined;
}

/**
 * How circles are opened: whether the instance's members let stewards open
 * them without a proposal, and the public log every opening goes into.
 */
export interface CircleOpening {
  stewardsMayOpen?: (q: Queryable) => Promise<boolean>;
  log: AccountLog;
}

export class CircleService {
  constructor(
    private readonly db: Database,
    private readonly opening?: CircleOpening,
  ) {}

  /**
   * Stewards open circles from the web (where the instance's members allow
   * it; otherwise members propose one); the command line (run by whoever
   * hosts the instance) passes `actor: null`. Each opening is logged.
   */
  async create(actor: Member | null, input: NewCircle): Promise<Circle> {
    if (actor && !isSteward(actor)) throw new ForbiddenError(msg('circles.error.stewards_open_circles'));
    if (actor && this.opening?.stewardsMayOpen && !(await this.opening.stewardsMayOpen(this.db))) {
      throw new ForbiddenError(msg('circles.error.circles_by_proposal'));
    }
    const errors: FieldErrors = {};
    const slug = normalizeHandle(input.slug ?? '');
    const slugIssue = handleProblem(slug, 'address');
    if (slugIssue) errors.slug = slugIssue;
    const name = requiredText(errors, 'name', input.name, msg('circles.label.name'), LIMITS.circleName);
    const purpose = optionalText(errors, 'purpose', input.purpose, msg('circles.label.purpose'), LIMITS.circlePurpose);
    const visibility = (input.visibility || 'public') as CircleVisibility;
    if (!CIRCLE_VISIBILITIES.includes(visibility)) errors.visibility = msg('circles.error.choose_visibility');
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    return this.db.transaction(async (tx) => {
      const circle = await insertCircle(tx, { slug, name, purpose, visibility, createdBy: actor?.id ?? null });
      // The founder belongs to the circle (and moderates it until the first election).
      if (actor) await addCircleMember(tx, circle.id, actor.id);
      await this.opening?.log(tx, {
        at: new Date(),
        event: 'circle_opened',
        summary: actor ? `A steward opened the circle ${name} (/c/${slug}).` : `The circle ${name} (/c/${slug}) was opened from the command line by whoever hosts the instance.`,
        moderators: actor ? [actor.handle] : [],
        subject: null,
      });
      return circle;
    });
  }

  /** A circle by its id, whoever may see it (for redirects after moderation). */
  byId(id: number): Promise<Circle | undefined> {
    return findCircleById(this.db, id);
  }

  list(viewer: Member | undefined): Promise<CircleSummary[]> {
    return listCircles(this.db, viewer && viewer.status === 'active' ? viewer.id : null);
  }

  /**
   * The circle as its ActivityPub actor shows it: members-only circles have an
   * actor too (which says it approves followers by hand), but never their content.
   */
  async getActor(slug: string): Promise<Circle> {
    const circle = await findCircleBySlug(this.db, normalizeHandle(slug));
    if (!circle) throw new NotFoundError(msg('circles.error.no_circle_here'));
    return circle;
  }

  /**
   * A circle a logged-in member may ask to join: any circle of the instance
   * (a members-only circle's name and purpose are shown to members of the
   * instance, never to visitors or other servers).
   */
  async forJoining(slug: string, viewer: Member | undefined): Promise<Circle> {
    const circle = await findCircleBySlug(this.db, normalizeHandle(slug));
    if (!circle || !viewer || viewer.status !== 'active') throw new NotFoundError(msg('circles.error.no_circle_here'));
    return circle;
  }

  /** The circle at /c/SLUG, as this viewer may see it; 404 otherwise. */
  async get(slug: string, viewer: Member | undefined): Promise<Circle> {
    const circle = await findCircleBySlug(this.db, normalizeHandle(slug));
    // Whether the viewer belongs matters only for a members-only circle (one statement less for a public one).
    if (!circle || !canSeeCircle(circle, viewer, circle.visibility === 'public' || (!!viewer && (await belongsToCircle(this.db, circle.id, viewer.id)))))
      throw new NotFoundError(msg('circles.error.no_circle_here'));
    return circle;
  }
}
