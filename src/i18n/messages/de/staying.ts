import type { Catalogue } from '../index.js';

export const staying: Catalogue<'staying'> = {
};
