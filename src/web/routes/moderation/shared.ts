import type { ReportOutcome, ReportStatus } from '../../../../moderation/index.js';
import { REPORT_REASONS } from '../../../../moderation/index.js';
import { NotFoundError } from '../../../domain/errors.js';
import { idParam } from '../../../http/params.js';
import { msg, type MessageRef } from '../../../i18n/message.js';
import type { RouteContext } from '../route-context.js';

/** A numeric id from the address, or a 404 saying what was asked for isn't here (`missing`: e.g. msg('moderation.missing.post')). */
export function idOf(raw: string | undefined, missing: MessageRef = msg('moderation.missing.page')): number {
  const n = idParam(raw);
  if (!n) throw new NotFoundError(missing);
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

/** A report's reason in words (a message), or the reason as stored when Hearth has no words for it. */
export function reasonWords(reason: string): MessageRef | string {
  return REPORT_REASONS.some((r) => r.value === reason) ? msg(`moderation.reason.${reason as ReportReasonValue}`) : reason;
}
type ReportReasonValue = (typeof REPORT_REASONS)[number]['value'];

/** What the reporter sees about their report (never who handled it). */
export function reportStatusWords(status: ReportStatus, outcome: ReportOutcome | null): MessageRef {
  if (status === 'open') return msg('moderation.report_status.open');
  return outcome === 'acted' ? msg('moderation.report_status.acted') : msg('moderation.report_status.looked_at');
}
