// Adding verified documents to citizens' personal data stores, once per event.
import type { ConsumedMark } from './consumed-events';
import type { PersonalDocument } from './documents';

export interface PersonalStoreFeed {
  /** Puts the documents and the mark in one write; 'duplicate' when the mark was there (nothing is written). */
  add(documents: PersonalDocument[], mark: ConsumedMark): Promise<'added' | 'duplicate'>;
}
