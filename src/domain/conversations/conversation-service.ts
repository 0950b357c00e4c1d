import { htmlToPlainText } from '../../content/plain-text.js';
import type { Database, Queryable } from '../../storage/database.js';
import * as repo from '../../storage/repositories/conversation-repository.js';
import type { Clock } from '../clock.js';
import { ForbiddenError, NotFoundError, NotSignedInError, RateLimitedError, ValidationError, type FieldErrors, type Text } from '../errors.js';
import { msg } from '../../i18n/message.js';
import type { Member } from '../members/member.js';
import type { Notifier } from '../notifications/notifier.js';
import { requiredText } from '../text-rules.js';
import type { RenderMarkdown } from '../threads/thread-service.js';
import { CONVERSATION_LIMITS, type ConversationMessage, type ConversationSummary, type Participant, type ParticipantState } from './conversation.js';

/** Whom a member blocked and who blocked them (moderation's member blocks, through app.ts). */
export type BlockRelations = (memberId: number) => Promise<{ blocked: Set<number>; blockedBy: Set<number> }>;

export interface ConversationView {
  id: number;
  /** Where the viewer stands: 'joined', or a request they haven't answered ('requested') or ignored. */
  state: ParticipantState;
  /** The others still in it (their answer to a request is never shown). */
  others: Participant[];
  messages: ConversationMessage[];
  /** Why the viewer can't write here, or null when they can. */
  cannotSend: Text | null;
}

const NOT_HERE = msg('together.conversation.not_here');
const ENDED = msg('together.conversation.ended');

/**
 * Private conversations between a few members of this instance (issue 10).
 * They never leave the instance: nothing here federates. Only the people in a
 * conversation read it; stewards see a message only when someone in it
 * reports it with its text.
 */
export class ConversationService {
  constructor(
    private readonly o: {
      db: Database;
      render: RenderMarkdown;
      clock: Clock;
      notifier: Notifier;
      blocks: BlockRelations;
    },
  ) {}

  /** Starts a conversation with one or a few members; to people one hasn't talked with, it arrives as a request. */
  async start(actor: Member | undefined, input: { to?: string | undefined; body?: string | undefined }): Promise<{ conversationId: number; messageId: number }> {
    const me = requireActive(actor);
    const errors: FieldErrors = {};
    const handles = [...new Set((input.to ?? '').split(/[\s,]+/).map((h) => h.trim().replace(/^@/, '').toLowerCase()).filter(Boolean))];
    if (handles.length === 0) errors.to = msg('together.conversation.name_someone');
    else if (handles.length > CONVERSATION_LIMITS.recipients) errors.to = msg('together.conversation.too_many', { max: CONVERSATION_LIMITS.recipients, count: handles.length });
    else if (handles.includes(me.handle)) errors.to = msg('together.conversation.not_yourself');
    const body = requiredText(errors, 'body', input.body, msg('together.label.message'), CONVERSATION_LIMITS.message);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const found = await repo.findCorrespondents(this.o.db, handles);
    const missing = handles.filter((h) => !found.some((f) => f.handle === h && f.status === 'active'));
    if (missing.length > 0) throw new ValidationError({ to: msg('together.conversation.no_member', { handle: missing[0]! }) });
    const relations = await this.o.blocks(me.id);
    for (const other of found) {
      // The same words whatever the reason, so nobody learns they were blocked.
      const refused = msg('together.conversation.refused', { handle: other.handle });
      if (relations.blocked.has(other.id) || relations.blockedBy.has(other.id) || other.whoMayMessage === 'nobody') throw new ValidationError({ to: refused });
      if (other.whoMayMessage === 'circles' && !(await repo.shareACircle(this.o.db, me.id, other.id)) && !(await repo.haveTalked(this.o.db, other.id, me.id))) {
        throw new ValidationError({ to: refused });
      }
    }
    return this.open(me, found, body);
  }

  /**
   * A peer's check-in continuing as a conversation, if both want: the member
   * it was sent to writes back here, and the peer who checked in gets it as a
   * request (unless they have talked before) that they accept or leave be.
   * Their "who may write to me" setting doesn't stand in the way (they reached
   * out first); blocks do. `checkIn` is as moderation's check-in list gives it
   * to this member.
   */
  async startFromCheckIn(
    actor: Member | undefined,
    checkIn: { toMemberId: number; fromMemberId: number | null },
    input: { body?: string | undefined },
  ): Promise<{ conversationId: number; messageId: number }> {
    const me = requireActive(actor);
    if (checkIn.toMemberId !== me.id || checkIn.fromMemberId === null) throw new NotFoundError(msg('together.checkin.not_here'));
    const errors: FieldErrors = {};
    const body = requiredText(errors, 'body', input.body, msg('together.label.message'), CONVERSATION_LIMITS.message);
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const peer = await repo.findCorrespondentById(this.o.db, checkIn.fromMemberId);
    if (!peer || peer.status !== 'active') throw new NotFoundError(msg('together.conversation.peer_gone'));
    const relations = await this.o.blocks(me.id);
    if (relations.blocked.has(peer.id) || relations.blockedBy.has(peer.id)) throw new ForbiddenError(msg('together.conversation.blocked', { handle: peer.handle }));
    return this.open(me, [peer], body);
  }

  /** Opens a conversation with its first message, in one transaction with the notifications. */
  private async open(me: Member, found: repo.Correspondent[], body: string): Promise<{ conversationId: number; messageId: number }> {
    const rendered = await this.o.render(body);
    const at = this.o.clock.now();
    return this.o.db.transaction(async (tx) => {
      if ((await repo.countStartedSince(tx, me.id, new Date(at.getTime() - 3_600_000))) >= CONVERSATION_LIMITS.startsPerHour) {
        throw new RateLimitedError(msg('together.conversation.too_often'));
      }
      const conversationId = await repo.insertConversation(tx, me.id, at);
      await repo.addParticipant(tx, conversationId, me.id, 'joined', at);
      const states = new Map<number, ParticipantState>();
      for (const other of found) {
        const state: ParticipantState = (await repo.haveTalked(tx, other.id, me.id)) ? 'joined' : 'requested';
        states.set(other.id, state);
        await repo.addParticipant(tx, conversationId, other.id, state, at);
      }
      const messageId = await repo.insertMessage(tx, { conversationId, authorId: me.id, kind: 'message', source: body, html: rendered, plainText: htmlToPlainText(rendered), at });
      await repo.markRead(tx, conversationId, me.id);
      for (const [memberId, state] of states) {
        await this.o.notifier.notify(tx, {
          memberId,
          kind: state === 'requested' ? 'conversation.request' : 'conversation.message',
          actorMemberId: me.id,
          link: messageLink(conversationId, messageId),
        });
      }
      return { conversationId, messageId };
    });
  }

  /** The member's conversations, newest activity first, and the requests waiting for their answer. */
  async list(actor: Member | undefined): Promise<{ conversations: ConversationSummary[]; requests: ConversationSummary[] }> {
    const me = requireActive(actor);
    const all = await repo.listConversationsFor(this.o.db, me.id, CONVERSATION_LIMITS.listed);
    return { conversations: all.filter((c) => c.state === 'joined'), requests: all.filter((c) => c.state === 'requested') };
  }

  /** A conversation as one of its people sees it (and now has seen it); anyone else gets "not here". */
  async view(actor: Member | undefined, conversationId: number): Promise<ConversationView> {
    const me = requireActive(actor);
    const mine = await this.place(this.o.db, me, conversationId);
    const participants = await repo.listParticipants(this.o.db, conversationId);
    const messages = await repo.listMessages(this.o.db, conversationId);
    if (mine.state === 'joined') await repo.markRead(this.o.db, conversationId, me.id);
    return {
      id: conversationId,
      state: mine.state,
      others: participants.filter((p) => p.memberId !== me.id && p.state !== 'left'),
      messages,
      cannotSend: mine.state === 'joined' ? await this.whyNot(me, participants) : msg('together.conversation.accept_to_write'),
    };
  }

  /** A new message from one of the people in it. */
  async reply(actor: Member | undefined, conversationId: number, input: { body?: string | undefined }): Promise<{ messageId: number }> {
    const me = requireActive(actor);
    const errors: FieldErrors = {};
    const body = requiredText(errors, 'body', input.body, msg('together.label.message'), CONVERSATION_LIMITS.message);
    const mine = await this.place(this.o.db, me, conversationId);
    if (mine.state !== 'joined') throw new ForbiddenError(msg('together.conversation.accept_first'));
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);
    const participants = await repo.listParticipants(this.o.db, conversationId);
    const why = await this.whyNot(me, participants);
    if (why) throw new ForbiddenError(why);
    const rendered = await this.o.render(body);
    const at = this.o.clock.now();
    return this.o.db.transaction(async (tx) => {
      const locked = await repo.findParticipant(tx, conversationId, me.id, true);
      if (locked?.state !== 'joined') throw new ForbiddenError(msg('together.conversation.no_longer_in'));
      const messageId = await repo.insertMessage(tx, { conversationId, authorId: me.id, kind: 'message', source: body, html: rendered, plainText: htmlToPlainText(rendered), at });
      await repo.markRead(tx, conversationId, me.id);
      for (const p of await repo.listParticipants(tx, conversationId)) {
        // Requests already told them; ignored and left ones hear nothing more.
        if (p.memberId === me.id || p.state !== 'joined') continue;
        await this.o.notifier.notify(tx, { memberId: p.memberId, kind: 'conversation.message', actorMemberId: me.id, link: messageLink(conversationId, messageId) });
      }
      return { messageId };
    });
  }

  /** Accepting a request: the conversation becomes an ordinary one. */
  async accept(actor: Member | undefined, conversationId: number): Promise<void> {
    await this.answer(actor, conversationId, 'joined');
  }

  /** Ignoring a request: it leaves the list quietly; the sender is not told. */
  async ignore(actor: Member | undefined, conversationId: number): Promise<void> {
    await this.answer(actor, conversationId, 'ignored');
  }

  /** Leaving: the others see "X left"; the conversation is gone from the member's list. */
  async leave(actor: Member | undefined, conversationId: number): Promise<void> {
    const me = requireActive(actor);
    const at = this.o.clock.now();
    await this.o.db.transaction(async (tx) => {
      const mine = await this.place(tx, me, conversationId, true);
      await repo.setParticipantState(tx, conversationId, me.id, 'left', at);
      // Only someone the others knew was there says goodbye; a request quietly goes.
      if (mine.state === 'joined') await repo.insertMessage(tx, { conversationId, authorId: me.id, kind: 'left', source: '', html: '', plainText: '', at });
    });
  }

  /**
   * A message one of its readers wants to report: someone else's, still there.
   * What the report carries is decided by moderation (the reporter chooses
   * whether its text goes to the stewards).
   */
  async messageForReport(actor: Member | undefined, conversationId: number, messageId: number): Promise<{ id: number; authorId: number; html: string }> {
    const me = requireActive(actor);
    await this.place(this.o.db, me, conversationId);
    const message = await repo.findMessage(this.o.db, messageId);
    if (!message || message.conversationId !== conversationId || message.kind !== 'message' || message.removed) throw new NotFoundError(msg('together.conversation.message_not_here'));
    if (message.authorId === null) throw new NotFoundError(msg('together.conversation.author_left'));
    if (message.authorId === me.id) throw new NotFoundError(msg('together.conversation.own_message'));
    return { id: message.id, authorId: message.authorId, html: message.html };
  }

  /** A reported message's words, for the stewards; only called for a report whose reporter chose to share them. */
  async sharedByReporter(messageId: number): Promise<{ html: string } | undefined> {
    const message = await repo.findMessage(this.o.db, messageId);
    return message && message.kind === 'message' && !message.removed ? { html: message.html } : undefined;
  }

  /** The member's part in conversations, for "Take a copy of everything". */
  exportFor(memberId: number): ReturnType<typeof repo.exportConversations> {
    return repo.exportConversations(this.o.db, memberId);
  }

  private async answer(actor: Member | undefined, conversationId: number, state: 'joined' | 'ignored'): Promise<void> {
    const me = requireActive(actor);
    const at = this.o.clock.now();
    await this.o.db.transaction(async (tx) => {
      const mine = await this.place(tx, me, conversationId, true);
      if (mine.state === 'joined') return;
      await repo.setParticipantState(tx, conversationId, me.id, state, at);
      if (state === 'joined') await repo.markRead(tx, conversationId, me.id);
    });
  }

  /** The viewer's place in a conversation; anyone not in it (or who left) is told it isn't here. */
  private async place(q: Queryable, me: Member, conversationId: number, forUpdate = false): Promise<{ state: ParticipantState }> {
    const mine = Number.isSafeInteger(conversationId) ? await repo.findParticipant(q, conversationId, me.id, forUpdate) : undefined;
    if (!mine || mine.state === 'left') throw new NotFoundError(NOT_HERE);
    return mine;
  }

  /** Why this member can't write in the conversation now: a block between them and someone in it, or nobody left to read it. */
  private async whyNot(me: Member, participants: Participant[]): Promise<Text | null> {
    const others = participants.filter((p) => p.memberId !== me.id && p.state !== 'left');
    if (others.length === 0) return msg('together.conversation.everyone_left');
    const relations = await this.o.blocks(me.id);
    if (others.some((p) => relations.blocked.has(p.memberId) || relations.blockedBy.has(p.memberId))) return ENDED;
    return null;
  }
}

export function messageLink(conversationId: number, messageId: number): string {
  return `/conversations/${conversationId}#message-${messageId}`;
}

function requireActive(actor: Member | undefined): Member {
  if (!actor) throw new NotSignedInError(msg('together.conversation.session_ended'));
  if (actor.status !== 'active') throw new ForbiddenError(msg('together.conversation.account_inactive'));
  return actor;
}
