/**
 * What a moderator's action is about: a post, a thread, a member (here or
 * elsewhere) or another server, checked against what is stored, with the
 * circle it belongs to and the people it concerns.
 */
import { msg } from '../../src/i18n/message.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/domain/errors.js';
import type { Queryable } from '../../src/storage/database.js';
import { findMemberByHandle } from '../../src/storage/repositories/member-repository.js';
import { findPost } from '../../src/storage/repositories/post-repository.js';
import { findRemoteActor } from '../../src/storage/repositories/remote-actor-repository.js';
import { findThread } from '../../src/storage/repositories/thread-repository.js';
import { ACTION_KINDS, type ActionKind } from '../rules/action-rules.js';
import { stewardIds } from '../storage/roles-store.js';
import { isServerAddress } from '../rules/server-address.js';
import type { ActionDetail } from '../types.js';
import type { ActInput } from './action-service.js';
import { circleById, circleBySlug } from './context.js';

/** What an action is about, and who is part of it. */
export interface ActionTarget {
  circleId: number | null;
  postId: number | null;
  threadId: number | null;
  memberId: number | null;
  remoteActorId: number | null;
  remoteHost: string | null;
  subjectIds: number[];
  where: string | null;
  subject: string | null;
  detail: ActionDetail;
}

export async function resolveTarget(tx: Queryable, kind: ActionKind, input: ActInput): Promise<ActionTarget> {
  const info = ACTION_KINDS[kind];
  const none: ActionTarget = { circleId: null, postId: null, threadId: null, memberId: null, remoteActorId: null, remoteHost: null, subjectIds: [], where: null, subject: null, detail: {} };
  if (info.target === 'host') {
    const host = (input.host ?? '').trim().toLowerCase();
    if (!isServerAddress(host)) throw new ValidationError({ host: msg('moderation.error.server_address') });
    return { ...none, remoteHost: host, subject: host };
  }
  if (info.target === 'post' || (info.target === 'member' && input.postId !== undefined && input.memberHandle === undefined && input.remoteActorId === undefined)) {
    const post = input.postId !== undefined ? await findPost(tx, input.postId) : undefined;
    if (!post) throw new NotFoundError(msg('moderation.error.post_gone'));
    const thread = await findThread(tx, post.threadId);
    if (!thread || thread.circleId === null) throw new NotFoundError(msg('moderation.error.post_not_in_circle'));
    if (post.state === 'deleted') throw new ConflictError(msg('moderation.error.post_deleted'));
    if (kind === 'hide_post' && post.state === 'hidden') throw new ConflictError(msg('moderation.error.post_already_hidden'));
    if (kind === 'restore_post' && post.state === 'visible') throw new ConflictError(msg('moderation.error.post_already_shown'));
    const remoteRow = post.remoteAuthor ? await findRemoteActor(tx, { iri: post.remoteAuthor.iri }) : undefined;
    if (info.target === 'member') {
      // Acting on a post's author.
      if (kind === 'message' && !post.authorId) throw new ValidationError({ kind: msg('moderation.error.message_members_only') });
      return {
        ...none,
        circleId: thread.circleId,
        memberId: post.authorId,
        remoteActorId: post.authorId ? null : (remoteRow?.id ?? null),
        subjectIds: post.authorId ? [post.authorId] : [],
        where: thread.title,
        subject: post.author?.handle ?? post.remoteAuthor?.handle ?? null,
        detail: { postAuthorId: post.authorId, ...(post.remoteAuthor ? { remoteHandle: post.remoteAuthor.handle } : {}) },
      };
    }
    return {
      ...none,
      circleId: thread.circleId,
      postId: post.id,
      threadId: thread.id,
      subjectIds: post.authorId ? [post.authorId] : [],
      where: thread.title,
      subject: post.author?.handle ?? post.remoteAuthor?.handle ?? null,
      detail: {
        postAuthorId: post.authorId,
        previousState: post.state,
        previousContentWarning: post.contentWarning,
        ...(post.remoteAuthor ? { remoteHandle: post.remoteAuthor.handle } : {}),
      },
    };
  }
  if (info.target === 'thread') {
    const thread = input.threadId !== undefined ? await findThread(tx, input.threadId) : undefined;
    if (!thread || thread.circleId === null) throw new NotFoundError(msg('moderation.error.thread_gone'));
    return { ...none, circleId: thread.circleId, threadId: thread.id, subjectIds: [], where: thread.title, subject: null };
  }
  // A member (local by handle, or a remote account by id).
  let circleId: number | null = null;
  if (info.scope === 'circle') {
    if (!input.circleSlug) throw new ValidationError({ circle: msg('moderation.error.which_circle') });
    circleId = (await circleBySlug(tx, input.circleSlug)).id;
  }
  if (input.remoteActorId !== undefined) {
    if (info.scope === 'instance') throw new ValidationError({ kind: msg('moderation.error.remote_kinds') });
    if (kind === 'message') throw new ValidationError({ kind: msg('moderation.error.message_members_only') });
    const r = await findRemoteActor(tx, { id: input.remoteActorId });
    if (!r) throw new NotFoundError(msg('moderation.error.unknown_account'));
    return { ...none, circleId, remoteActorId: r.id, subject: r.address, detail: { remoteHandle: r.address } };
  }
  const handle = (input.memberHandle ?? '').trim().replace(/^@/, '').toLowerCase();
  const target = handle ? await findMemberByHandle(tx, handle) : undefined;
  if (!target) throw new ValidationError({ memberHandle: msg('moderation.error.no_such_member') });
  if (kind === 'suspend_account' && target.role === 'steward') {
    if ((await stewardIds(tx)).length <= 1) throw new ConflictError(msg('moderation.error.only_steward'));
  }
  if (circleId !== null) await circleById(tx, circleId);
  return { ...none, circleId, memberId: target.id, subjectIds: [target.id], subject: target.handle };
}

