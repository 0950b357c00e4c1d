/** Sizes of what people can type, shown in forms and enforced by services. */
export const LIMITS = {
  handle: { min: 2, max: 30 },
  password: { min: 10, max: 256 },
  displayName: 80,
  pronouns: 40,
  bio: 1000,
  email: 254,
  instanceName: 80,
  instanceDescription: 2000,
  circleName: 80,
  circlePurpose: 1000,
  title: 200,
  body: 20_000,
  contentWarning: 200,
} as const;

export const PAGE_SIZES = {
  threadsPerPage: 20,
  postsPerPage: 50,
} as const;
