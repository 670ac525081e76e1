// The service statistics: counters per Vietnam-local day × unit × procedure × channel, kept from the domain events
// alone. Each dossier has a small profile (its unit, procedure, channel, due day, supplement count) folded from its
// own events, so the same events folded again, live or in a rebuild, give the same counters.

import type { DomainEvent } from './events';
import { ledgerDay } from './ledger';

/** What is counted. Flows: each counts the events of its day (received on the day, finished on the day, …). */
export const statCounters = [
  'received',
  /** Filed online by a signed-in citizen: VNeID level 2 proved who they are (counter filings are checked by hand). */
  'verifiedFilings',
  /** Received dossiers with at least one document (uploaded online, or scanned at the counter). */
  'digitizedInputs',
  /** Input documents taken from the applicant's personal data store instead of a new upload. */
  'reusedInputs',
  'inputDocuments',
  /** Received dossiers whose fees were more than 0. */
  'feeBearing',
  /** Fee-bearing dossiers paid in full through an online provider (counted once, on the day they were paid up). */
  'paidOnline',
  'supplementRequests',
  /** Dossiers at their second supplement request: Decision 766 counts them late whatever their finishing day. */
  'multiSupplementDossiers',
  /** Refused at intake (not received). */
  'refused',
  'withdrawn',
  'stopped',
  /** Finished: a result is ready (documents) or an agency rejected it (a notice). Split by their due day. */
  'finished',
  'finishedEarly',
  'finishedOnTime',
  'finishedLate',
  'rejected',
  /** Finished with result documents attached (a digitized result). */
  'digitizedResults',
  'returned',
  'ratings',
  'ratingScoreSum',
  /** Ratings of 1 or 2 out of 5. */
  'ratingsDissatisfied',
] as const;
export type StatCounter = (typeof statCounters)[number];
export type Counters = Partial<Record<StatCounter, number>>;

export type StatChannel = 'online' | 'counter';

/** What the fold remembers of one dossier between its events. */
export interface StatsProfile {
  code: string;
  unit: string;
  procedureCode: string;
  channel: StatChannel;
  /** The appointment day: set at receipt, moved by a supplement (supplement time is excluded), never by an apology. */
  dueDay?: string;
  supplementRequests: number;
  paidOnline: boolean;
  finished: boolean;
}

/** What one event adds: counters for the day of the event, under the dossier's unit, procedure and channel. */
export interface StatIncrement {
  day: string;
  unit: string;
  procedureCode: string;
  channel: StatChannel;
  counters: Counters;
}

export interface FoldResult {
  profile: StatsProfile | undefined;
  increment?: StatIncrement;
}

/** The events the statistics read; the consumer subscribes to these and the rebuild replays them. */
export const statisticsEvents = [
  'DossierFiled',
  'DossierReceived',
  'DossierSupplementRequested',
  'DossierSupplemented',
  'DossierRefused',
  'DossierWithdrawn',
  'DossierStopped',
  'DossierResultReady',
  'DossierRejected',
  'DossierPaid',
  'DossierReturned',
  'DossierRated',
] as const satisfies readonly DomainEvent['name'][];

/** How a finished dossier counts against its due day (the appointment day, supplement time excluded). */
export function finishingClass(
  profile: Pick<StatsProfile, 'dueDay' | 'supplementRequests'>,
  day: string,
): 'finishedEarly' | 'finishedOnTime' | 'finishedLate' {
  if (profile.supplementRequests > 1) return 'finishedLate';
  if (!profile.dueDay || day === profile.dueDay) return 'finishedOnTime';
  return day < profile.dueDay ? 'finishedEarly' : 'finishedLate';
}

/**
 * One event folded into its dossier's profile. Events of a dossier arrive in order, except that a counter intake's
 * filing and receipt share a transaction: either may come first, and either creates the profile. An event with no
 * profile before it (its dossier's filing predates the statistics) changes nothing.
 */
export function foldEvent(profile: StatsProfile | undefined, event: DomainEvent): FoldResult {
  const day = ledgerDay(event.at);
  const at = (p: StatsProfile, counters: Counters): StatIncrement => ({
    day,
    unit: p.unit,
    procedureCode: p.procedureCode,
    channel: p.channel,
    counters,
  });
  switch (event.name) {
    case 'DossierFiled': {
      const p = event.payload as DomainEvent<'DossierFiled'>['payload'];
      return { profile: profile ?? newProfile(event.dossierCode, p) };
    }
    case 'DossierReceived': {
      const p = event.payload as DomainEvent<'DossierReceived'>['payload'];
      const next: StatsProfile = {
        ...(profile ?? newProfile(event.dossierCode, p)),
        ...(p.appointmentDay ? { dueDay: p.appointmentDay } : {}),
      };
      const reused = p.documents.filter((d) => d.source === 'personal-store').length;
      return {
        profile: next,
        increment: at(next, {
          received: 1,
          ...(p.channel === 'online' ? { verifiedFilings: 1 } : {}),
          ...(p.documents.length > 0 ? { digitizedInputs: 1, inputDocuments: p.documents.length } : {}),
          ...(reused > 0 ? { reusedInputs: reused } : {}),
          ...((p.feeVnd ?? 0) > 0 ? { feeBearing: 1 } : {}),
        }),
      };
    }
  }
  if (!profile) return { profile };
  switch (event.name) {
    case 'DossierSupplementRequested': {
      const next = { ...profile, supplementRequests: profile.supplementRequests + 1 };
      return {
        profile: next,
        increment: at(next, {
          supplementRequests: 1,
          ...(next.supplementRequests === 2 ? { multiSupplementDossiers: 1 } : {}),
        }),
      };
    }
    case 'DossierSupplemented': {
      const p = event.payload as DomainEvent<'DossierSupplemented'>['payload'];
      if (!p.appointmentDay || !p.appointmentDayChanged) return { profile };
      return { profile: { ...profile, dueDay: p.appointmentDay } };
    }
    case 'DossierRefused':
      return { profile, increment: at(profile, { refused: 1 }) };
    case 'DossierWithdrawn':
      return { profile, increment: at(profile, { withdrawn: 1 }) };
    case 'DossierStopped':
      return { profile, increment: at(profile, { stopped: 1 }) };
    case 'DossierResultReady':
    case 'DossierRejected': {
      if (profile.finished) return { profile };
      const next = { ...profile, finished: true };
      const documents =
        event.name === 'DossierResultReady'
          ? ((event.payload as DomainEvent<'DossierResultReady'>['payload']).documents ?? 0)
          : 0;
      return {
        profile: next,
        increment: at(next, {
          finished: 1,
          [finishingClass(profile, day)]: 1,
          ...(event.name === 'DossierRejected' ? { rejected: 1 } : {}),
          ...(documents > 0 ? { digitizedResults: 1 } : {}),
        }),
      };
    }
    case 'DossierPaid': {
      const p = event.payload as DomainEvent<'DossierPaid'>['payload'];
      if (profile.paidOnline || p.outstandingVnd > 0) return { profile };
      const next = { ...profile, paidOnline: true };
      return { profile: next, increment: at(next, { paidOnline: 1 }) };
    }
    case 'DossierReturned':
      return { profile, increment: at(profile, { returned: 1 }) };
    case 'DossierRated': {
      const p = event.payload as DomainEvent<'DossierRated'>['payload'];
      return {
        profile,
        increment: at(profile, {
          ratings: 1,
          ratingScoreSum: p.score,
          ...(p.score <= 2 ? { ratingsDissatisfied: 1 } : {}),
        }),
      };
    }
    default:
      return { profile };
  }
}

function newProfile(
  code: string,
  p: { unit: string; procedureCode: string; channel: StatChannel },
): StatsProfile {
  return {
    code,
    unit: p.unit,
    procedureCode: p.procedureCode,
    channel: p.channel,
    supplementRequests: 0,
    paidOnline: false,
    finished: false,
  };
}

/** Counters added together; absent counters are 0. */
export function addCounters(a: Counters, b: Counters): Counters {
  const sum: Counters = { ...a };
  for (const [name, value] of Object.entries(b) as [StatCounter, number][]) {
    sum[name] = (sum[name] ?? 0) + value;
  }
  return sum;
}

/** Every counter, 0 where absent: what the API shows. */
export function fullCounters(c: Counters): Record<StatCounter, number> {
  return Object.fromEntries(statCounters.map((name) => [name, c[name] ?? 0])) as Record<StatCounter, number>;
}

/** Counter items are sharded so that a busy unit's day is several partitions' writes, not one hot key. */
export const STAT_SHARDS = 4;

/** A dossier's shard: fixed by its code, so a rebuild puts its counts where the live consumer did. */
export function shardOf(code: string): number {
  let hash = 2166136261;
  for (let i = 0; i < code.length; i++) {
    hash ^= code.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return (hash >>> 0) % STAT_SHARDS;
}

/** The center as a unit of the rollups: every branch's counts are added to it too. */
export const CENTER = '*';

/** The rows one increment adds to: the detail (unit, procedure, channel), the unit's day, the center's day, and the center's rows of the unit for the day and the month. */
export interface CounterRow {
  unit: string;
  shard: number;
  day: string;
  channel: StatChannel;
  /** The detail rows by procedure (under a unit). */
  procedureCode?: string;
  /** The center's rows by branch (under `*`): the per-unit comparison in one read. */
  branch?: string;
}

/**
 * Which rows a read wants: the day totals, the detail by procedure, or (center only) by branch, per day or per month
 * (`branch-month` rows carry the month, `YYYY-MM`, as their `day`: a year's comparison reads 12 rows a branch, not 365).
 */
export type RowLevel = 'day' | 'procedure' | 'branch' | 'branch-month';

export function rowsOf(code: string, increment: StatIncrement): CounterRow[] {
  const shard = shardOf(code);
  const { unit, day, channel, procedureCode } = increment;
  return [
    { unit, shard, day, channel, procedureCode },
    { unit, shard, day, channel },
    { unit: CENTER, shard, day, channel },
    { unit: CENTER, shard, day, channel, branch: unit },
    { unit: CENTER, shard, day: day.slice(0, 7), channel, branch: unit },
  ];
}

/** A row's identity as one string: the in-memory store's key and the rebuild's comparison key. */
export const rowId = (row: CounterRow) =>
  [row.unit, row.shard, row.day, row.channel, row.procedureCode ?? '', row.branch ?? ''].join('|');

export const levelOf = (row: CounterRow): RowLevel =>
  row.procedureCode ? 'procedure' : row.branch ? (row.day.length === 7 ? 'branch-month' : 'branch') : 'day';
