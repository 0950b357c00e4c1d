/**
 * The layers' import rules (docs/ARCHITECTURE.md), checked by dependency-cruiser
 * in the test command. Paths are relative to the project's root.
 */
export interface ImportRule {
  name: string;
  comment: string;
  severity: 'error';
  from: { path: string };
  to: { path: string; pathNot?: string };
}

const DRIVERS = 'node_modules/(express|express-session|passport|pg|@electric-sql/pglite|activitypub-express)/';

export const IMPORT_RULES: ImportRule[] = [
  {
    name: 'i18n-imports-nothing-of-hearth',
    comment: 'The catalogues and their formatter are used by every layer and import none of them.',
    severity: 'error',
    from: { path: '^src/i18n/' },
    to: { path: '^src/(web|http|domain|storage|federation|content|cli|mail|app\\.ts|services\\.ts)|^moderation/' },
  },
  {
    name: 'domain-stays-inside',
    comment: 'The domain imports no web, HTTP, federation or moderation internals, and no framework or database driver.',
    severity: 'error',
    from: { path: '^src/domain/' },
    to: { path: `^src/(web|http|federation|app\\.ts)|^moderation/|${DRIVERS}` },
  },
  {
    name: 'federation-never-imports-web',
    comment: 'Federation listens to the domain; it never imports the web layer.',
    severity: 'error',
    from: { path: '^src/federation/' },
    to: { path: '^src/web/' },
  },
  {
    name: 'storage-imports-no-layer-above',
    comment: 'Storage serves the layers above it and imports none of them.',
    severity: 'error',
    from: { path: '^src/storage/' },
    to: { path: '^src/(web|http|federation)/|^moderation/' },
  },
  {
    name: 'web-reaches-storage-only-for-sessions',
    comment: 'The web layer calls services; it touches storage only to hand express-session its store.',
    severity: 'error',
    from: { path: '^src/web/' },
    to: { path: '^src/storage/', pathNot: '^src/storage/session-store\\.ts$' },
  },
  {
    name: 'moderation-through-its-index',
    comment: 'Outside moderation/, the module is reached only through moderation/index.ts.',
    severity: 'error',
    from: { path: '^src/' },
    to: { path: '^moderation/', pathNot: '^moderation/index\\.ts$' },
  },
  {
    name: 'moderation-imports-no-web-or-federation',
    comment: 'Moderation is called by the web layer and heard by federation; it imports neither.',
    severity: 'error',
    from: { path: '^moderation/' },
    to: { path: '^src/(web|http|federation)/' },
  },
];
