/** The fixed set of supportive reactions. No scores, no ranking of people. */
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
