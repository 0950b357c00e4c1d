/**
 * The fixed set of supportive reactions. No scores, no ranking of people.
 * `label` is the English name (exports, logs); pages name each kind in the
 * reader's language with the message `circles.reaction.name` (kind=…).
 */
export const REACTIONS = [
  { kind: 'hear', label: 'I hear you', emoji: '💛' },
  { kind: 'me_too', label: 'Me too', emoji: '🤝' },
  { kind: 'thinking', label: 'Thinking of you', emoji: '🌱' },
  { kind: 'thanks', label: 'Thank you', emoji: '🙏' },
] as const;

export type ReactionKind = (typeof REACTIONS)[number]['kind'];

export interface ReactionCount {
  kind: ReactionKind;
  label: string;
  count: number;
  /** Whether the member viewing gave this one (filled in for a logged-in member's thread page). */
  given?: boolean;
}
