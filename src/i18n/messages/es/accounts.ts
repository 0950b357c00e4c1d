import type { Catalogue } from '../index.js';

export const accounts: Catalogue<'accounts'> = {
};
