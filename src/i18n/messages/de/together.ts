import type { Catalogue } from '../index.js';

export const together: Catalogue<'together'> = {
};
