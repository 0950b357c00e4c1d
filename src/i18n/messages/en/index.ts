import { common } from './common.js';
import { accounts } from './accounts.js';
import { circles } from './circles.js';
import { together } from './together.js';
import { moderation } from './moderation.js';
import { governance } from './governance.js';
import { content } from './content.js';

export const en = { common, accounts, circles, together, moderation, governance, content } as const;
