import type { Catalogue } from '../index.js';

export const moderation: Catalogue<'moderation'> = {
};
