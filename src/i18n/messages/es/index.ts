import { common } from './common.js';
import { accounts } from './accounts.js';
import { circles } from './circles.js';
import { staying } from './staying.js';
import { together } from './together.js';
import { moderation } from './moderation.js';
import { governance } from './governance.js';
import { content } from './content.js';
import type { Catalogues } from '../index.js';

export const es: Catalogues = { common, accounts, circles, staying, together, moderation, governance, content };
