import type { Locale } from '../../i18n/locales.js';
export type MemberRole = 'member' | 'steward';
export type MemberStatus = 'active' | 'pending' | 'suspended';

export interface Member {
  id: number;
  handle: string;
  displayName: string;
  email: string | null;
  role: MemberRole;
  status: MemberStatus;
  pronouns: string;
  bio: string;
  createdAt: Date;
  /** How content warnings show for this member. */
  cwDisplay: 'folded' | 'unfolded';
  /** Posts containing these words fold away for this member. */
  mutedWords: string[];
  /** Visitors and other servers can find this member's profile. */
  profileListed: boolean;
  /** This member's posts in public circles go to other servers. */
  federatePosts: boolean;
  /** The IANA zone this member sees times in; null until they choose (then the instance's zone). */
  timeZone: string | null;
  /** The language the member reads Hearth in; null: their browser's, else the instance's. */
  language: Locale | null;
  /** Other servers may suggest this member and list them in their directories (off until chosen). */
  discoverable: boolean;
  /** Other servers may include this member's public posts in their search (off until chosen). */
  indexable: boolean;
  /** Changes with each picture the member uploads; null: no picture (initials are shown). */
  avatarVersion: string | null;
  /** Who may start a conversation with this member (see domain/conversations). */
  whoMayMessage: WhoMayMessage;
}

/** Who may start a private conversation with a member: nobody, people they share a circle with (the default), anyone here. */
export const WHO_MAY_MESSAGE = ['nobody', 'circles', 'anyone'] as const;
export type WhoMayMessage = (typeof WHO_MAY_MESSAGE)[number];

/** What other people see next to a post. */
export interface AuthorRef {
  handle: string;
  displayName: string;
  /** Their picture's address, when they uploaded one. */
  avatarUrl?: string | null;
}

export function isSteward(member: Member | undefined | null): boolean {
  return !!member && member.role === 'steward' && member.status === 'active';
}

export function nameOf(member: { handle: string; displayName: string }): string {
  return member.displayName.trim() === '' ? member.handle : member.displayName;
}

/** Where a member's picture is served; the version makes the address change with each upload. */
export function avatarPath(handle: string, version: string | null): string | null {
  return version ? `/avatars/${encodeURIComponent(handle)}?v=${version}` : null;
}
