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
}

/** Members-only circles are invisible to anyone who is not logged in. */
export function canSeeCircle(circle: Circle, viewer: { status: string } | undefined | null): boolean {
  return circle.visibility === 'public' || (!!viewer && viewer.status === 'active');
}
