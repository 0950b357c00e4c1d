import { NotFoundError } from '../../../domain/errors.js';
import { idParam } from '../../../http/params.js';
import type { RouteContext } from '../route-context.js';

/** A numeric id from the address, or a 404 naming what was asked for. */
export function idOf(raw: string | undefined, what = 'That page'): number {
  const n = idParam(raw);
  if (!n) throw new NotFoundError(`${what} isn’t here.`);
  return n;
}

/** A whole number typed into a form, undefined when left empty (NaN when not a number: the service says so). */
export function optionalInt(raw: string): number | undefined {
  if (raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : NaN;
}

/** The review queue an action or report belongs to. */
export async function queuePath({ services }: RouteContext, circleId: number | null): Promise<string> {
  if (circleId === null) return '/moderation/review';
  const circle = await services.circles.byId(circleId);
  return circle ? `/c/${circle.slug}/review` : '/moderation';
}
