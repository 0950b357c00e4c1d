import type { CirclePolicy } from '../policies/defaults.js';

const FALLBACK_WORDS: Record<CirclePolicy['quorumFallback'], string> = {
  extend: 'the vote is extended once',
  advisory: 'the result is advice only',
  stands: 'the result stands',
};

const onOff = (value: boolean, on: string, off: string) => (value ? on : off);
const quoted = (words: string[]) => words.map((w) => `“${w}”`).join(', ');

/** Every field of a circle's rules that changed, before → after, in words for the public log. */
export function policyChanges(before: CirclePolicy, after: CirclePolicy): string[] {
  const changes: string[] = [];
  if (before.confirmHours !== after.confirmHours) changes.push(`time to confirm an action: ${before.confirmHours} h → ${after.confirmHours} h`);
  if (before.termDays !== after.termDays) changes.push(`moderators’ term: ${before.termDays} days → ${after.termDays} days`);
  if (before.quorumPercent !== after.quorumPercent) changes.push(`quorum: ${before.quorumPercent}% → ${after.quorumPercent}%`);
  if (before.quorumFallback !== after.quorumFallback) changes.push(`when too few vote: ${FALLBACK_WORDS[before.quorumFallback]} → ${FALLBACK_WORDS[after.quorumFallback]}`);
  if (before.firstPostsHeld !== after.firstPostsHeld) {
    changes.push(`new members’ first posts: ${onOff(before.firstPostsHeld, 'held for a moderator', 'shown at once')} → ${onOff(after.firstPostsHeld, 'held for a moderator', 'shown at once')}`);
  }
  if (before.contentWarningRequired !== after.contentWarningRequired) {
    changes.push(`content warnings: ${onOff(before.contentWarningRequired, 'required', 'optional')} → ${onOff(after.contentWarningRequired, 'required', 'optional')}`);
  }
  const had = new Set(before.keywordFilters.map((w) => w.toLowerCase()));
  const has = new Set(after.keywordFilters.map((w) => w.toLowerCase()));
  const added = after.keywordFilters.filter((w) => !had.has(w.toLowerCase()));
  const removed = before.keywordFilters.filter((w) => !has.has(w.toLowerCase()));
  if (added.length > 0) changes.push(`words that hold a post, added: ${quoted(added)}`);
  if (removed.length > 0) changes.push(`words that hold a post, removed: ${quoted(removed)}`);
  return changes;
}

/**
 * Filter words that are part of what the circle is for (its name or purpose):
 * holding posts for them would hold the very conversations the circle exists
 * for, so moderators alone may not set them.
 */
export function wordsOfPurpose(keywords: string[], circle: { name: string; purpose: string }): string[] {
  const purpose = ` ${`${circle.name} ${circle.purpose}`.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  return keywords.filter((k) => {
    const word = k.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return word !== '' && purpose.includes(` ${word} `);
  });
}
