// Reached by entry-a through a re-export it never uses, so none of it is in entry-a's output; its build still reads
// it, and must list it as an input (a change here could change entry-a's bundle).
export const nothingUsed = 'used by entry-b only';
