export type CircleVisibility = 'public' | 'members';
export const CIRCLE_VISIBILITIES: readonly CircleVisibility[] = ['public', 'members'];

export interface Circle {
  id: number;
  slug: string;
  name: string;
  purpose: string;
  visibility: CircleVisibility;
  createdBy: number | null;
  createdAt: Date;
  lastActivityAt: Date;
}

export interface CircleSummary extends Circle {
  threadCount: number;
  /** The viewer belongs to this circle (for members-only circles: may read it). */
  belongs: boolean;
}

/**
 * Members-only circles are seen only by their own members (`belongs`: the
 * viewer is in `circle_members`); joining one is a request its moderators
 * decide. Everyone sees public circles.
 */
export function canSeeCircle(circle: Circle, viewer: { status: string } | undefined | null, belongs: boolean): boolean {
  return circle.visibility === 'public' || (!!viewer && viewer.status === 'active' && belongs);
}
