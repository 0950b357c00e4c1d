/**
 * The IRIs of Hearth's ActivityPub actors and objects. They are the same URLs
 * people open in a browser: a circle at /c/SLUG, a member at /u/HANDLE.
 */
export interface ActorIris {
  circle(slug: string): string;
  member(handle: string): string;
  /** The instance's own actor, which signs fetches made on the instance's behalf. */
  instanceActor(): string;
  sharedInbox(): string;
}

export function actorIris(publicUrl: URL): ActorIris {
  const origin = publicUrl.origin;
  return {
    circle: (slug) => `${origin}/c/${slug}`,
    member: (handle) => `${origin}/u/${handle}`,
    instanceActor: () => `${origin}/actor`,
    sharedInbox: () => `${origin}/inbox`,
  };
}
