import type { Database, Queryable } from '../../storage/database.js';
import * as repo from '../../storage/repositories/check-in-repository.js';
import { belongsToCircle, findCircleById } from '../../storage/repositories/circle-repository.js';
import { findMemberByHandle, findMemberById } from '../../storage/repositories/member-repository.js';
import { findPost } from '../../storage/repositories/post-repository.js';
import { findThread } from '../../storage/repositories/thread-repository.js';
import { findPlan, isSharedWith } from '../../storage/repositories/wellbeing-repository.js';
import { canSeeCircle } from '../circles/circle.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, RateLimitedError, ValidationError, type FieldErrors } from '../errors.js';
import { msg } from '../../i18n/message.js';
import { normalizeHandle } from '../handles.js';
import type { Member } from '../members/member.js';
import type { MemberBlocks } from '../members/member-blocks.js';
import type { Notifier } from '../notifications/notifier.js';
import { optionalText, requiredText } from '../text-rules.js';
import type { SupportPlan } from '../wellbeing/support-plan.js';
import { CHECK_IN_CHOICES, CHECK_IN_REQUESTS_PER_HOUR, type CheckInChoice, type CheckInMessage, type CheckInRequest } from './check-in.js';

export interface AskInput {
  /** Ask about the author of this post. */
  postId?: number | undefined;
  /** Or about this member. */
  memberHandle?: string | undefined;
  /** Or for oneself. */
  forSelf?: boolean | undefined;
  note?: string | undefined;
}

/** What the asker is told: passed on to peers, or (gently, without saying more) not passed on. */
export type AskOutcome = { passedOn: true; requestId: number } | { passedOn: false };

export interface WaitingRequest extends CheckInRequest {
  /** The person named the viewer among the few peers who may check in on them. */
  chosenByThem: boolean;
}

export interface WritingPage {
  request: WaitingRequest;
  person: Member;
  /** Their "What helps me", when they shared it with the viewer. */
  plan: SupportPlan | undefined;
}

const MESSAGE_LIMIT = 4000;

function requireMember(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError();
  if (actor.status !== 'active') throw new ForbiddenError(msg('together.account.inactive'));
  return actor;
}

/**
 * Peers checking in on each other: asking a peer to check in (on someone, or
 * on oneself), the volunteers' list, writing and replying, and each member's
 * choice of who may check in on them. It is not moderation and never reaches
 * moderators, stewards or anyone outside Hearth.
 */
export class CheckInService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly notifier: Notifier,
    private readonly blocks: MemberBlocks,
  ) {}

  /** Whether `peer` may check in on `memberId`, as the person chose. */
  private async allowed(q: Queryable, memberId: number, peerId: number, forSelf: boolean): Promise<{ ok: boolean; chosen: boolean }> {
    if (peerId === memberId) return { ok: false, chosen: false };
    const { choice, peerIds } = await repo.findChoice(q, memberId);
    // Asking for oneself overrides one's own "please don't": they asked.
    if (choice === 'nobody' && !forSelf) return { ok: false, chosen: false };
    if (await this.blocks.between(q, memberId, peerId)) return { ok: false, chosen: false };
    if (choice === 'chosen') return { ok: peerIds.includes(peerId), chosen: peerIds.includes(peerId) };
    return { ok: await repo.isVolunteer(q, peerId), chosen: false };
  }

  async ask(actor: Member | undefined, input: AskInput): Promise<AskOutcome> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const note = optionalText(errors, 'note', input.note, msg('together.label.note'), 2000);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.clock.now();
    return this.db.transaction(async (tx) => {
      if ((await repo.countRecentRequestsBy(tx, member.id, new Date(at.getTime() - 3_600_000))) >= CHECK_IN_REQUESTS_PER_HOUR) {
        throw new RateLimitedError(msg('together.checkin.too_often'));
      }
      let personId: number;
      let circleId: number | null = null;
      let postId: number | null = null;
      if (input.forSelf) {
        personId = member.id;
      } else if (input.postId !== undefined) {
        const post = await findPost(tx, input.postId);
        const thread = post ? await findThread(tx, post.threadId) : undefined;
        if (!post || !thread || post.state === 'deleted') throw new NotFoundError(msg('together.checkin.post_gone'));
        if (thread.circleId !== null) {
          const circle = await findCircleById(tx, thread.circleId);
          if (!circle || !canSeeCircle(circle, member, await belongsToCircle(tx, circle.id, member.id))) throw new NotFoundError(msg('together.checkin.post_gone'));
          circleId = circle.id;
        }
        if (post.authorId === null) throw new ValidationError({ note: msg('together.checkin.elsewhere') });
        personId = post.authorId;
        postId = post.id;
      } else {
        const handle = normalizeHandle(input.memberHandle ?? '');
        const person = handle ? await findMemberByHandle(tx, handle) : undefined;
        if (!person || person.status !== 'active') throw new ValidationError({ member: msg('together.checkin.no_member') });
        personId = person.id;
      }
      // The person's own choice comes first; a block between them counts as "not passed on" too.
      const { choice } = await repo.findChoice(tx, personId);
      const declined = personId !== member.id && (choice === 'nobody' || (await this.blocks.between(tx, personId, member.id)));
      const requestId = await repo.insertRequest(tx, { askedBy: member.id, memberId: personId, circleId, postId, note, status: declined ? 'declined' : 'open', at });
      return declined ? { passedOn: false } : { passedOn: true, requestId };
    });
  }

  /** Requests the viewer may answer: as a volunteer, or as a peer the person named. */
  async waiting(actor: Member | undefined): Promise<WaitingRequest[]> {
    const member = requireMember(actor);
    const out: WaitingRequest[] = [];
    for (const r of await repo.listOpenRequests(this.db)) {
      if (r.askedBy === member.id || r.memberId === member.id) continue;
      const { ok, chosen } = await this.allowed(this.db, r.memberId, member.id, r.forSelf);
      if (ok) out.push({ ...r, chosenByThem: chosen });
    }
    return out;
  }

  /** The page a peer writes a check-in on: the request, the person and, if they shared it with this peer, their "What helps me". */
  async writing(actor: Member | undefined, requestId: number): Promise<WritingPage> {
    const member = requireMember(actor);
    const request = await repo.findRequest(this.db, requestId);
    if (!request || request.askedBy === member.id || (request.memberId === member.id)) throw new NotFoundError(msg('together.checkin.request_not_here'));
    const { ok, chosen } = await this.allowed(this.db, request.memberId, member.id, request.forSelf);
    if (!ok) throw new NotFoundError(msg('together.checkin.request_not_here'));
    const person = await findMemberById(this.db, request.memberId);
    if (!person) throw new NotFoundError(msg('together.checkin.request_not_here'));
    const plan = (await isSharedWith(this.db, person.id, member.id)) ? await findPlan(this.db, person.id) : undefined;
    return { request: { ...request, chosenByThem: chosen }, person, plan };
  }

  /** A peer writes to the person, as themselves. */
  async send(actor: Member | undefined, requestId: number, message: string | undefined): Promise<void> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const body = requiredText(errors, 'message', message, msg('together.label.message'), MESSAGE_LIMIT);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.clock.now();
    await this.db.transaction(async (tx) => {
      const request = await repo.findRequest(tx, requestId, true);
      if (!request || request.askedBy === member.id || request.memberId === member.id) throw new NotFoundError(msg('together.checkin.request_not_here'));
      if (!(await this.allowed(tx, request.memberId, member.id, request.forSelf)).ok) throw new NotFoundError(msg('together.checkin.request_not_here'));
      if (request.status === 'sent' || request.status === 'declined') throw new ValidationError({ message: msg('together.checkin.already_written') });
      const id = await repo.insertCheckIn(tx, { toMemberId: request.memberId, fromMemberId: member.id, circleId: request.circleId, requestId: request.id, replyTo: null, body, at });
      await repo.closeRequest(tx, request.id, 'sent', member.id, at);
      await this.notifier.notify(tx, { memberId: request.memberId, kind: 'checkin.received', actorMemberId: member.id, circleId: request.circleId, link: `/check-ins#check-in-${id}` });
    });
  }

  /** Check-ins to and from the member (newest first); opening the page marks them read. */
  async mine(actor: Member | undefined): Promise<CheckInMessage[]> {
    const member = requireMember(actor);
    const list = await repo.listCheckIns(this.db, member.id, 200);
    await repo.markCheckInsRead(this.db, member.id, this.clock.now());
    return list;
  }

  /** A reply goes back to the peer who wrote. */
  async reply(actor: Member | undefined, checkInId: number, body: string | undefined): Promise<void> {
    const member = requireMember(actor);
    const errors: FieldErrors = {};
    const text = requiredText(errors, 'body', body, msg('together.label.reply'), MESSAGE_LIMIT);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const at = this.clock.now();
    await this.db.transaction(async (tx) => {
      const original = await repo.findCheckIn(tx, checkInId);
      if (!original || original.toMemberId !== member.id || original.fromMemberId === null) throw new NotFoundError(msg('together.checkin.not_here'));
      if (await this.blocks.between(tx, member.id, original.fromMemberId)) throw new ForbiddenError(msg('together.checkin.cannot_reach'));
      const id = await repo.insertCheckIn(tx, { toMemberId: original.fromMemberId, fromMemberId: member.id, circleId: original.circleId, requestId: null, replyTo: original.id, body: text, at });
      await this.notifier.notify(tx, { memberId: original.fromMemberId, kind: 'checkin.replied', actorMemberId: member.id, circleId: original.circleId, link: `/check-ins#check-in-${id}` });
    });
  }

  requestsBy(actor: Member | undefined): Promise<CheckInRequest[]> {
    return repo.listRequestsBy(this.db, requireMember(actor).id, 50);
  }

  async choice(actor: Member | undefined): Promise<{ choice: CheckInChoice; peers: string[] }> {
    const c = await repo.findChoice(this.db, requireMember(actor).id);
    return { choice: c.choice, peers: c.peerHandles };
  }

  /** "Please don't check in on me", "only these people", or anyone who offered. `peers` is a list of handles. */
  async setChoice(actor: Member | undefined, input: { choice?: string | undefined; peers?: string | undefined }): Promise<void> {
    const member = requireMember(actor);
    const choice = CHECK_IN_CHOICES.find((c) => c.value === input.choice)?.value;
    if (!choice) throw new ValidationError({ choice: msg('together.checkin.choose_one') });
    const handles = [...new Set((input.peers ?? '').split(/[\s,]+/).map((h) => normalizeHandle(h)).filter((h) => h !== ''))];
    const peerIds: number[] = [];
    const unknown: string[] = [];
    for (const h of handles.slice(0, 20)) {
      const peer = await findMemberByHandle(this.db, h);
      if (!peer || peer.status !== 'active' || peer.id === member.id) unknown.push(h);
      else peerIds.push(peer.id);
    }
    if (unknown.length > 0) throw new ValidationError({ peers: msg('together.checkin.unknown_peers', { handles: unknown.map((h) => `@${h}`).join(', ') }) });
    if (handles.length > 20) throw new ValidationError({ peers: msg('together.checkin.too_many_peers', { max: 20 }) });
    if (choice === 'chosen' && peerIds.length === 0) throw new ValidationError({ peers: msg('together.checkin.name_a_peer') });
    await this.db.transaction((tx) => repo.saveChoice(tx, member.id, choice, choice === 'chosen' ? peerIds : [], this.clock.now()));
  }

  async volunteering(actor: Member | undefined): Promise<boolean> {
    return repo.isVolunteer(this.db, requireMember(actor).id);
  }

  async setVolunteering(actor: Member | undefined, on: boolean): Promise<void> {
    await repo.setVolunteer(this.db, requireMember(actor).id, on);
  }

  /** For the member's export. */
  async exportFor(memberId: number): Promise<unknown> {
    const { choice, peerHandles } = await repo.findChoice(this.db, memberId);
    return {
      whoMayCheckIn: choice,
      chosenPeers: peerHandles,
      messages: (await repo.listCheckIns(this.db, memberId, 10_000)).map((c) => ({ from: c.fromHandle, to: c.toHandle, message: c.body, sentAt: c.createdAt })),
      requestsYouMade: (await repo.listRequestsBy(this.db, memberId, 10_000)).map((r) => ({ about: r.forSelf ? 'yourself' : `@${r.memberHandle}`, note: r.note, madeAt: r.createdAt })),
    };
  }
}
