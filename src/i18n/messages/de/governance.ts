import type { Catalogue } from '../index.js';

export const governance: Catalogue<'governance'> = {
};
