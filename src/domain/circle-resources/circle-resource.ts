/** Something a circle pins for its members: a booklet, a website, a number to call. */
export interface CircleResource {
  id: number;
  circleId: number;
  title: string;
  /** An https:, tel:, sms: or mailto: link, when there is one. */
  link: string | null;
  description: string;
  /** Where it stands in the circle's list (smallest first). */
  position: number;
}

export type CircleResourceInput = Pick<CircleResource, 'title' | 'link' | 'description'>;

export const CIRCLE_RESOURCE_LIMITS = { title: 100, link: 300, description: 300, perCircle: 30 } as const;
