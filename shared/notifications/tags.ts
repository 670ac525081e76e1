// The message's origin as tags (SES email tags, SNS message attributes): event, dossier, kind and language, so the
// provider's delivery events, and the local outbox, tell where a message came from without reading it.

export interface MessageTags {
  event: string;
  eventId: string;
  dossierCode: string;
  kind: string;
  language: string;
}

const names = {
  event: 'event',
  eventId: 'event-id',
  dossierCode: 'dossier',
  kind: 'kind',
  language: 'language',
} as const satisfies Record<keyof MessageTags, string>;

// SES tag values allow only [A-Za-z0-9_-]; dossier codes hold dots and no underscores, so a dot travels as `_`.
const encode = (value: string) => value.replace(/\./g, '_').replace(/[^A-Za-z0-9_-]/g, '-');
const decode = (value: string) => value.replace(/_/g, '.');

export function tagList(tags: MessageTags): { Name: string; Value: string }[] {
  return (Object.keys(names) as (keyof MessageTags)[]).map((key) => ({
    Name: names[key],
    Value: encode(tags[key]),
  }));
}

export function tagsFrom(list: readonly { Name?: string; Value?: string }[]): Partial<MessageTags> {
  const found: Partial<MessageTags> = {};
  for (const key of Object.keys(names) as (keyof MessageTags)[]) {
    const value = list.find((tag) => tag.Name === names[key])?.Value;
    if (value !== undefined) found[key] = key === 'dossierCode' ? decode(value) : value;
  }
  return found;
}
