import type { Apex, ApexObject } from 'activitypub-express';
import type { Logger } from 'pino';
import type { DomainEvents, MeetingEvent } from '../domain/events.js';
import type { Services } from '../services.js';
import type { ActorIris } from './actor-iris.js';
import type { LocalActors } from './local-actors.js';
import { serializeEvent, serializeEventTombstone } from './serializers/event.js';
import { AS_PUBLIC } from './vocabulary.js';
import type { FollowersAddressing } from './followers-addressing.js';
import { NotFoundError } from '../domain/errors.js';

type Kind = 'Create' | 'Update' | 'Delete';

/**
 * A public circle's meetings go to its followers as Events, the way new
 * threads do (domain event → publisher → apex): the circle, which holds the
 * meeting, sends its Create, Update or Delete(Tombstone) to its followers
 * (what Mastodon reads: it takes changes only from the author), and Announces
 * that activity (what Lemmy-style group servers read, FEP-1b12).
 * Members-only circles send nothing.
 */
export class MeetingPublisher {
  constructor(
    private readonly o: {
      apex: Apex;
      services: Omit<Services, 'followed'>;
      localActors: LocalActors;
      origin: string;
      iris: ActorIris;
      logger: Logger;
      onQueued: () => void;
      /** Followers' inboxes in one query (not apex's per-follower addressing). */
      addressing: FollowersAddressing;
    },
  ) {}

  subscribe(events: DomainEvents): void {
    // Run by the outbox worker, which logs a failure and tries the event again.
    const run = (kind: Kind) => (e: MeetingEvent) => this.publish(kind, e);
    events.onDurable('meeting.scheduled', run('Create'));
    events.onDurable('meeting.changed', run('Update'));
    events.onDurable('meeting.cancelled', run('Delete'));
  }

  async publish(kind: Kind, e: MeetingEvent): Promise<void> {
    let found;
    try {
      found = await this.o.services.meetings.publicMeeting(e.meetingId);
    } catch (error) {
      // A members-only circle, or gone meanwhile: nothing leaves the instance.
      if (error instanceof NotFoundError) return;
      throw error;
    }
    const group = await this.o.localActors.circle(found.circle.slug);
    const circleIri = this.o.iris.circle(found.circle.slug);
    const followers = `${circleIri}/followers`;
    const language = (await this.o.services.instance.get())?.language;
    const object = kind === 'Delete' ? serializeEventTombstone(found, this.o.origin) : serializeEvent(found, this.o.iris, this.o.origin, language);
    const activity = await this.o.apex.buildActivity(kind, group.id, [AS_PUBLIC], {
      object: await this.o.apex.fromJSONLD(object),
      cc: [followers],
      audience: circleIri,
    });
    await this.o.addressing.addToOutbox(group, activity);
    await this.announce(group, activity, followers);
    this.o.onQueued();
  }

  private async announce(group: ApexObject, object: unknown, followers: string): Promise<void> {
    const announce = await this.o.apex.buildActivity('Announce', group.id, [AS_PUBLIC], { object, cc: [followers], audience: group.id });
    await this.o.addressing.addToOutbox(group, announce);
  }
}
