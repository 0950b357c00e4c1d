import type { Queryable } from '../../storage/database.js';
import * as repo from '../../storage/repositories/leaving-repository.js';
import { exportAvatar } from '../../storage/repositories/avatar-repository.js';
import { REACTIONS } from '../reactions/reaction.js';
import { msg } from '../../i18n/message.js';
import type { ExportSection } from './leaving.js';

/**
 * Hearth's own parts of a member's export: every table that refers to a
 * member (the migrations' `REFERENCES members (id)`): their profile with
 * preferences and privacy choices, posts with every earlier version, threads
 * they started, reactions, circles followed elsewhere, invites, circles they
 * opened. Each section is small so that other modules can add theirs beside it.
 */
export function coreExportSections(db: Queryable): ExportSection[] {
  return [
    { name: 'profile', title: msg('accounts.export.section.profile'), collect: (id) => repo.exportProfile(db, id) },
    { name: 'picture', title: msg('accounts.export.section.picture'), collect: (id) => exportAvatar(db, id) },
    { name: 'posts', title: msg('accounts.export.section.posts'), collect: (id) => repo.exportPosts(db, id) },
    { name: 'threadsStarted', title: msg('accounts.export.section.threads_started'), collect: (id) => repo.exportThreadsStarted(db, id) },
    {
      name: 'reactions',
      title: msg('accounts.export.section.reactions'),
      collect: async (id) =>
        (await repo.exportReactions(db, id)).map((r) => ({ ...r, label: REACTIONS.find((k) => k.kind === r.kind)?.label ?? r.kind })),
    },
    { name: 'followedCircles', title: msg('accounts.export.section.followed_circles'), collect: (id) => repo.exportFollowedCircles(db, id) },
    { name: 'invites', title: msg('accounts.export.section.invites'), collect: (id) => repo.exportInvites(db, id) },
    { name: 'circlesOpened', title: msg('accounts.export.section.circles_opened'), collect: (id) => repo.exportCirclesOpened(db, id) },
  ];
}
