import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../shared/domain/dossier';
import type { PersonalDocument } from '../../shared/ports/documents';
import type { PersonalStoreFeed } from '../../shared/ports/personal-store-feed';
import {
  feedPersonalStore,
  PERSONAL_STORE_CONSUMER,
} from '../../shared/usecases/documents/feed-personal-store';
import { asVersions } from './fixtures';
import { birthDossier, document, refs } from './support/dossier';
import { sampleEvent } from './support/stream';

function setup(dossier: Dossier | undefined = birthDossier()) {
  const stored = new Map<string, PersonalDocument>();
  const marks = new Set<string>();
  const feed: PersonalStoreFeed = {
    async add(documents, mark) {
      const key = `${mark.consumer}#${mark.eventId}`;
      if (marks.has(key)) return 'duplicate';
      marks.add(key);
      for (const doc of documents) stored.set(`${doc.ownerKey}#${doc.id}`, doc);
      return 'added';
    },
  };
  const versions = asVersions(1);
  const deps = {
    dossiers: {
      get: async (code: string) => (dossier?.code === code ? structuredClone(dossier) : undefined),
    },
    catalogue: {
      procedure: async (code: string, version?: number) =>
        versions.find((p) => p.code === code && p.version === version),
    },
    feed,
    clock: () => new Date('2026-11-27T05:00:00.000Z'),
  };
  return { deps, stored, marks, dossier };
}

const received = (dossier: Dossier, ids?: string[]) =>
  sampleEvent('DossierReceived', {
    code: dossier.code,
    at: new Date('2026-11-27T02:00:00.000Z'),
    payload: { applicantKey: 'ak-verified', documents: refs(dossier, ids) },
  });

describe('feedPersonalStore', () => {
  it("puts a received dossier's reusable uploaded documents into the applicant's store", async () => {
    const { deps, stored, dossier } = setup();
    const result = await feedPersonalStore(received(dossier!), deps);
    expect(result).toEqual({ outcome: 'added', documents: 1, superseded: 0 });
    expect([...stored.values()]).toEqual([
      expect.objectContaining({
        id: 'up-id',
        ownerKey: 'ak-verified',
        requirementId: 'cccd',
        sourceDossier: dossier!.code,
        s3Key: 'filed/up-id',
      }),
    ]);
  });

  it('stamps the documents verified at the event time, so a redelivery computes the same items', async () => {
    const { deps, stored, dossier } = setup();
    await feedPersonalStore(received(dossier!), deps);
    expect(stored.get('ak-verified#up-id')!.verifiedAt).toBe('2026-11-27T02:00:00.000Z');
  });

  it('marks the event consumed in the same write', async () => {
    const { deps, marks, dossier } = setup();
    const event = received(dossier!);
    await feedPersonalStore(event, deps);
    expect(marks.has(`${PERSONAL_STORE_CONSUMER}#${event.id}`)).toBe(true);
  });

  it('adds nothing a second time for a redelivered event', async () => {
    const { deps, dossier } = setup();
    const event = received(dossier!);
    await feedPersonalStore(event, deps);
    expect((await feedPersonalStore(event, deps)).outcome).toBe('duplicate');
  });

  it('leaves documents reused from the personal store where they are', async () => {
    const dossier = { ...birthDossier(), documents: [document('cccd', 'pd-id', 'personal-store')] };
    const { deps, stored } = setup(dossier);
    expect((await feedPersonalStore(received(dossier), deps)).outcome).toBe('nothing-to-add');
    expect(stored.size).toBe(0);
  });

  it('adds nothing for a supplement to a dossier not yet received', async () => {
    const { deps, stored, dossier } = setup();
    const event = sampleEvent('DossierSupplemented', {
      code: dossier!.code,
      payload: { received: false, documents: refs(dossier!, ['up-id']) },
    });
    expect((await feedPersonalStore(event, deps)).outcome).toBe('nothing-to-add');
    expect(stored.size).toBe(0);
  });

  it('adds only the documents a supplement to a received dossier brought', async () => {
    const dossier = birthDossier();
    dossier.documents.push(document('cccd', 'up-id-2'));
    const { deps, stored } = setup(dossier);
    const event = sampleEvent('DossierSupplemented', {
      code: dossier.code,
      payload: { received: true, applicantKey: 'ak-1', documents: refs(dossier, ['up-id-2']) },
    });
    await feedPersonalStore(event, deps);
    expect([...stored.keys()]).toEqual(['ak-1#up-id-2']);
  });

  it('counts documents a later supplement replaced, and skips them', async () => {
    const { deps, dossier } = setup();
    const event = received(dossier!);
    event.payload.documents.push({ requirementId: 'cccd', documentId: 'up-replaced', source: 'upload' });
    expect(await feedPersonalStore(event, deps)).toMatchObject({ superseded: 1, documents: 1 });
  });

  it('fails on an event whose dossier is missing, so the stream retries and dead-letters it', async () => {
    const { deps } = setup(undefined);
    await expect(feedPersonalStore(received(birthDossier('other')), deps)).rejects.toThrow(/missing/);
  });
});
