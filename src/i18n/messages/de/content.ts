import type { Catalogue } from '../index.js';

export const content: Catalogue<'content'> = {
};
