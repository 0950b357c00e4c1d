/**
 * Hearth's peer-moderation module. This file is its only public face: the web
 * and federation layers call what it exports, never its internals.
 *
 * Today it holds the gate that content from other servers passes through;
 * reports, the review queue, two-person decisions, elections and the public
 * log arrive with the moderation work.
 */
export interface IncomingContent {
  /** The server the content comes from, e.g. "mastodon.example". */
  originHost: string;
  /** The remote actor who wrote or sent it. */
  actorId: string;
}

export type GateDecision = { accept: true } | { accept: false; reason: string };

/** Decides whether content from another server may enter. */
export interface ModerationGate {
  admit(content: IncomingContent): Promise<GateDecision>;
}

/** Lets everything through except what an instance-level block refuses. */
export function createModerationGate(isInstanceBlocked: (host: string) => Promise<boolean>): ModerationGate {
  return {
    async admit(content) {
      if (await isInstanceBlocked(content.originHost.toLowerCase())) {
        return { accept: false, reason: 'This instance does not accept content from that server.' };
      }
      return { accept: true };
    },
  };
}
