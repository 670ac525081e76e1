import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { authorize, parseGroups, roleArnOf } from '../../shared/http/principal';
import { memoryPartnerRegistry } from './fakes/memory-partners';
import { event } from './support/events';

const partners = memoryPartnerRegistry({ 'arn:aws:iam::111111111111:role/police': '000.33.08.H26' });

describe('parseGroups', () => {
  it('reads the forms API Gateway and tokens use', () => {
    expect(parseGroups(['officer', 'admin'])).toEqual(['officer', 'admin']);
    expect(parseGroups('[officer admin]')).toEqual(['officer', 'admin']);
    expect(parseGroups('officer,admin')).toEqual(['officer', 'admin']);
    expect(parseGroups(undefined)).toEqual([]);
  });
});

describe('authorize', () => {
  it('lets anyone through a public route', async () => {
    expect(await authorize(event(), { kind: 'public' }, partners)).toEqual({ kind: 'anonymous' });
  });

  it('gives a citizen their subject and ID number', async () => {
    const principal = await authorize(
      event({
        claims: { sub: 's1', 'cognito:groups': 'citizen', 'custom:cccd': '001090012345', name: 'An' },
      }),
      { kind: 'citizen' },
      partners,
    );
    expect(principal).toEqual({ kind: 'citizen', sub: 's1', name: 'An', citizenId: '001090012345' });
  });

  it('refuses staff on a citizen route and citizens on a staff route', async () => {
    const staff = event({ claims: { sub: 's2', 'cognito:groups': 'officer' } });
    await expect(authorize(staff, { kind: 'citizen' }, partners)).rejects.toThrow(ForbiddenError);
    const citizen = event({ claims: { sub: 's1', 'cognito:groups': 'citizen' } });
    await expect(authorize(citizen, { kind: 'staff', roles: ['officer'] }, partners)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('refuses an officer on an admin route', async () => {
    const officer = event({ claims: { sub: 's2', 'cognito:groups': 'officer' } });
    await expect(authorize(officer, { kind: 'staff', roles: ['admin'] }, partners)).rejects.toThrow(
      ForbiddenError,
    );
  });

  it('answers 401 when no identity reached the function', async () => {
    await expect(authorize(event(), { kind: 'citizen' }, partners)).rejects.toThrow(UnauthorizedError);
    await expect(authorize(event(), { kind: 'partner' }, partners)).rejects.toThrow(UnauthorizedError);
  });

  it('looks an assumed-role session up by its role, and keys the caller by the role', async () => {
    const assumed = event({ userArn: 'arn:aws:sts::111111111111:assumed-role/police/session-42' });
    expect(await authorize(assumed, { kind: 'partner' }, partners)).toEqual({
      kind: 'agency',
      agency: '000.33.08.H26',
      principalArn: 'arn:aws:iam::111111111111:role/police',
    });
    expect(partners.lookups.at(-1)).toBe('arn:aws:iam::111111111111:role/police');
    expect(roleArnOf('arn:aws:sts::111111111111:assumed-role/police/s')).toBe(
      'arn:aws:iam::111111111111:role/police',
    );
  });

  it('maps a registered partner principal to its agency through the registry', async () => {
    const known = event({ userArn: 'arn:aws:iam::111111111111:role/police' });
    expect(await authorize(known, { kind: 'partner' }, partners)).toMatchObject({
      kind: 'agency',
      agency: '000.33.08.H26',
    });
  });

  it('refuses an unregistered principal with 403 ACCESS_DENIED', async () => {
    const unknown = event({ userArn: 'arn:aws:iam::111111111111:role/other' });
    await expect(authorize(unknown, { kind: 'partner' }, partners)).rejects.toMatchObject({
      status: 403,
      code: 'ACCESS_DENIED',
    });
  });

  it('sees a registration made after start-up', async () => {
    const registry = memoryPartnerRegistry({});
    const late = event({ userArn: 'arn:aws:iam::222222222222:role/ward' });
    await expect(authorize(late, { kind: 'partner' }, registry)).rejects.toThrow(ForbiddenError);
    await registry.register({
      principalArn: 'arn:aws:iam::222222222222:role/ward',
      agency: '000.00.33.H26',
      registeredAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await authorize(late, { kind: 'partner' }, registry)).toMatchObject({ agency: '000.00.33.H26' });
  });
});

describe('authorize on a route open to citizens and staff', () => {
  const auth = { kind: 'user', roles: ['citizen', 'officer'] } as const;

  it('reads a citizen as a citizen and an officer as staff', async () => {
    const citizen = await authorize(
      event({ claims: { sub: 'c', 'cognito:groups': 'citizen' } }),
      auth,
      partners,
    );
    expect(citizen.kind).toBe('citizen');
    const officer = await authorize(
      event({ claims: { sub: 'o', 'cognito:groups': 'officer', 'custom:branch': 'B' } }),
      auth,
      partners,
    );
    expect(officer).toMatchObject({ kind: 'staff', branch: 'B' });
  });

  it('refuses a role the route does not list', async () => {
    await expect(
      authorize(event({ claims: { sub: 'a', 'cognito:groups': 'admin' } }), auth, partners),
    ).rejects.toThrow(ForbiddenError);
  });
});
