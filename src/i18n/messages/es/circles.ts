import type { Catalogue } from '../index.js';

export const circles: Catalogue<'circles'> = {
};
