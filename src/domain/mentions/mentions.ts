import type { Database, Queryable } from '../../storage/database.js';
import { insertMentions, mentionedMemberHandles, mentionedRemoteIris } from '../../storage/repositories/mention-repository.js';
import { findActiveMembersByHandles } from '../../storage/repositories/member-repository.js';
import { HANDLE_PATTERN } from '../handles.js';

/**
 * @mentions (issue 10): who a member's post names. The markdown is read for
 * mentions in the render workers (`FindMentions`), who exists is decided here
 * (members of this instance by handle; people elsewhere through the
 * `RemoteMentions` port, which federation implements with WebFinger: the
 * domain does no networking), and then the markdown is rendered with those
 * mentions as links (`MentionLinks`). Unknown handles stay text. Who was
 * mentioned is recorded in `post_mentions` in the post's own transaction.
 */

/** Normalised mention (`alice`, `bob@example.org`) → where its link goes. */
export type MentionLinks = Readonly<Record<string, string>>;

/** The mentions in a member's markdown, normalised (`alice`, `bob@example.org`); not in code, links or e-mail addresses. */
export type FindMentions = (source: string) => Promise<string[]>;

export interface RemotePerson {
  /** Their ActivityPub actor (what a Mention tag's href names, and where their inbox is found). */
  actorIri: string;
  /** Their profile page, which the mention links to. */
  profileUrl: string;
}

/** Finds someone on another server by @user@host (federation implements it with WebFinger). */
export interface RemoteMentions {
  /** undefined when nobody is found (or the server does not answer in time); never throws for that. */
  resolve(user: string, host: string, signal: AbortSignal): Promise<RemotePerson | undefined>;
}

export interface ResolvedMentions {
  links: MentionLinks;
  memberIds: number[];
  remoteActorIris: string[];
}

export const NO_MENTIONS: ResolvedMentions = Object.freeze({ links: {}, memberIds: [], remoteActorIris: [] });

/**
 * Limits against a post naming hundreds of handles: at most this many people
 * elsewhere are looked up per post (the first ones, in the order written;
 * the rest stay text), all at once, and the lookups get this long together
 * before the post goes up without the ones still unanswered.
 */
export const MENTION_LIMITS = { remotePerPost: 10, remoteTimeMs: 5_000 } as const;

/** Mentions a post did not have before, just recorded (in the post's transaction). */
export interface NewMentions {
  postId: number;
  memberIds: number[];
  remoteActorIris: string[];
}

/**
 * Called in the post's transaction with the mentions just recorded (never
 * again for ones recorded before): where the members mentioned are told
 * (the Notifier's `mention` notifications).
 */
export type OnMentioned = (tx: Queryable, added: NewMentions) => Promise<void>;

export class Mentions {
  private remote: RemoteMentions | undefined;
  private readonly listeners: OnMentioned[] = [];

  constructor(
    private readonly o: {
      db: Database;
      find: FindMentions;
      /** This instance's host (`@alice@this.host` is a member here). */
      localHost: string;
      /** A member's page, which a mention of them links to. */
      memberUrl: (handle: string) => string;
      remote?: RemoteMentions;
      remoteTimeMs?: number;
    },
  ) {
    this.remote = o.remote;
  }

  /** Adds what happens, in the post's transaction, when mentions are newly recorded (telling the members). */
  onMentioned(listener: OnMentioned): void {
    this.listeners.push(listener);
  }

  /** Federation is built after the services: it hands over its WebFinger lookups here. */
  resolveRemoteWith(remote: RemoteMentions): void {
    this.remote = remote;
  }

  /**
   * Who `source` mentions: members here (active ones), and, when `remote` is
   * allowed (never for members-only circles, whose posts stay here), people
   * elsewhere, within MENTION_LIMITS.
   */
  async resolve(source: string, options: { remote: boolean }): Promise<ResolvedMentions> {
    const found = await this.o.find(source);
    if (found.length === 0) return NO_MENTIONS;
    const localHost = this.o.localHost.toLowerCase();
    const local = new Map<string, string[]>();
    const remote: Array<{ key: string; user: string; host: string }> = [];
    for (const key of found) {
      const at = key.indexOf('@');
      const user = at < 0 ? key : key.slice(0, at);
      const host = at < 0 ? undefined : key.slice(at + 1);
      if (host === undefined || host === localHost) {
        if (HANDLE_PATTERN.test(user)) local.set(user, [...(local.get(user) ?? []), key]);
      } else if (remote.length < MENTION_LIMITS.remotePerPost) {
        remote.push({ key, user, host });
      }
    }
    const links: Record<string, string> = {};
    const memberIds: number[] = [];
    for (const m of await findActiveMembersByHandles(this.o.db, [...local.keys()])) {
      memberIds.push(m.id);
      for (const key of local.get(m.handle) ?? []) links[key] = this.o.memberUrl(m.handle);
    }
    const remoteActorIris: string[] = [];
    if (options.remote && this.remote && remote.length > 0) {
      const people = await this.lookUp(this.remote, remote);
      remote.forEach(({ key }, i) => {
        const person = people[i];
        if (!person) return;
        links[key] = person.profileUrl;
        if (!remoteActorIris.includes(person.actorIri)) remoteActorIris.push(person.actorIri);
      });
    }
    return { links, memberIds, remoteActorIris };
  }

  /** Records the mentions with the post (in its transaction); returns the ones not recorded before (after an edit: the new ones). */
  async record(tx: Queryable, postId: number, mentions: Pick<ResolvedMentions, 'memberIds' | 'remoteActorIris'>): Promise<NewMentions> {
    const added = { postId, ...(await insertMentions(tx, postId, mentions)) };
    if (added.memberIds.length + added.remoteActorIris.length > 0) for (const listener of this.listeners) await listener(tx, added);
    return added;
  }

  /**
   * A post from another server that names members of this instance (their
   * actors' handles, read from its Mention tags by federation): recorded in
   * the transaction that stores the post. Handles of nobody here are ignored.
   */
  async recordMembers(tx: Queryable, postId: number, handles: readonly string[] | undefined): Promise<NewMentions> {
    if (!handles || handles.length === 0) return { postId, memberIds: [], remoteActorIris: [] };
    const members = await findActiveMembersByHandles(tx, [...new Set(handles)].slice(0, 50));
    return this.record(tx, postId, { memberIds: members.map((m) => m.id), remoteActorIris: [] });
  }

  /**
   * Who a post mentions, as recorded (for its Mention tags and deliveries):
   * members' handles and the actors elsewhere. A post keeps every mention it
   * ever had, including ones an edit removed from its text.
   */
  async of(postId: number): Promise<{ memberHandles: string[]; remoteActorIris: string[] }> {
    return { memberHandles: await mentionedMemberHandles(this.o.db, postId), remoteActorIris: await mentionedRemoteIris(this.o.db, postId) };
  }

  private async lookUp(remote: RemoteMentions, wanted: Array<{ user: string; host: string }>): Promise<Array<RemotePerson | undefined>> {
    const ms = this.o.remoteTimeMs ?? MENTION_LIMITS.remoteTimeMs;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        resolve(undefined);
      }, ms);
    });
    try {
      return await Promise.all(
        wanted.map(({ user, host }) =>
          Promise.race([
            remote.resolve(user, host, controller.signal).catch((error: unknown) => {
              // A lookup that fails leaves that mention as text; the post still goes up.
              if (error instanceof Error) return undefined;
              throw error;
            }),
            late,
          ]),
        ),
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
