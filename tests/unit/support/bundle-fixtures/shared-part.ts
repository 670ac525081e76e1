// Imported by both fixture entries: one module two bundles share, re-exporting what only entry-b uses.
export { nothingUsed } from './shaken';

export const greeting = (name: string) => `xin chào, ${name}`;
export const unused = () => 'tree-shaken out of entry-a';
