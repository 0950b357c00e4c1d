/** A peer-run warmline or similar, chosen by the group: someone to talk to. */
export interface SupportLine {
  id: number;
  name: string;
  /** Phone number, text number, chat address: how to reach them, in words. */
  howToReach: string;
  /** A tel:, sms:, mailto: or https: link, when there is one. */
  link: string | null;
  hours: string;
  languages: string;
  description: string;
  /** What the line does about emergency services, e.g. "never calls them without your consent". */
  emergencyServices: string;
}

export type SupportLineInput = Omit<SupportLine, 'id'>;
