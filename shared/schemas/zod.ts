// The platform's one way into zod: zod/mini, whose functions tree-shake, so a function bundle carries only the
// schema kinds and checks it uses (classic zod put ~92 KiB and ~7 ms of cold-start work in every bundle, since each
// schema instance carries every method). Mini ships without messages; English ones are installed here, once, before
// any schema parses. Import as `import * as z from '../schemas/zod'`.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
