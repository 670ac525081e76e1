import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthorizedError } from '../../shared/errors';
import { authorize, parseGroups, roleArnOf } from '../../shared/http/principal';
import { event } from './support/events';

const partners = { 'arn:aws:iam::111111111111:role/police': '000.33.08.H26' };

describe('parseGroups', () => {
  it('reads the forms API Gateway and tokens use', () => {
    expect(parseGroups(['officer', 'admin'])).toEqual(['officer', 'admin']);
    expect(parseGroups('[officer admin]')).toEqual(['officer', 'admin']);
    expect(parseGroups('officer,admin')).toEqual(['officer', 'admin']);
    expect(parseGroups(undefined)).toEqual([]);
  });
});

describe('authorize', () => {
  it('lets anyone through a public route', () => {
    expect(authorize(event(), { kind: 'public' }, partners)).toEqual({ kind: 'anonymous' });
  });

  it('gives a citizen their subject and ID number', () => {
    const principal = authorize(
      event({
        claims: { sub: 's1', 'cognito:groups': 'citizen', 'custom:cccd': '001090012345', name: 'An' },
      }),
      { kind: 'citizen' },
      partners,
    );
    expect(principal).toEqual({ kind: 'citizen', sub: 's1', name: 'An', citizenId: '001090012345' });
  });

  it('refuses staff on a citizen route and citizens on a staff route', () => {
    const staff = event({ claims: { sub: 's2', 'cognito:groups': 'officer' } });
    expect(() => authorize(staff, { kind: 'citizen' }, partners)).toThrow(ForbiddenError);
    const citizen = event({ claims: { sub: 's1', 'cognito:groups': 'citizen' } });
    expect(() => authorize(citizen, { kind: 'staff', roles: ['officer'] }, partners)).toThrow(ForbiddenError);
  });

  it('refuses an officer on an admin route', () => {
    const officer = event({ claims: { sub: 's2', 'cognito:groups': 'officer' } });
    expect(() => authorize(officer, { kind: 'staff', roles: ['admin'] }, partners)).toThrow(ForbiddenError);
  });

  it('answers 401 when no identity reached the function', () => {
    expect(() => authorize(event(), { kind: 'citizen' }, partners)).toThrow(UnauthorizedError);
    expect(() => authorize(event(), { kind: 'partner' }, partners)).toThrow(UnauthorizedError);
  });

  it('recognises a partner calling through an assumed session of its registered role', () => {
    const assumed = event({ userArn: 'arn:aws:sts::111111111111:assumed-role/police/session-42' });
    expect(authorize(assumed, { kind: 'partner' }, partners)).toMatchObject({ agency: '000.33.08.H26' });
    expect(roleArnOf('arn:aws:sts::111111111111:assumed-role/police/s')).toBe(
      'arn:aws:iam::111111111111:role/police',
    );
  });

  it('maps a registered partner principal to its agency and refuses others', () => {
    const known = event({ userArn: 'arn:aws:iam::111111111111:role/police' });
    expect(authorize(known, { kind: 'partner' }, partners)).toMatchObject({
      kind: 'agency',
      agency: '000.33.08.H26',
    });
    const unknown = event({ userArn: 'arn:aws:iam::111111111111:role/other' });
    expect(() => authorize(unknown, { kind: 'partner' }, partners)).toThrow(ForbiddenError);
  });
});

describe('authorize on a route open to citizens and staff', () => {
  const auth = { kind: 'user', roles: ['citizen', 'officer'] } as const;

  it('reads a citizen as a citizen and an officer as staff', () => {
    const citizen = authorize(event({ claims: { sub: 'c', 'cognito:groups': 'citizen' } }), auth, partners);
    expect(citizen.kind).toBe('citizen');
    const officer = authorize(
      event({ claims: { sub: 'o', 'cognito:groups': 'officer', 'custom:branch': 'B' } }),
      auth,
      partners,
    );
    expect(officer).toMatchObject({ kind: 'staff', branch: 'B' });
  });

  it('refuses a role the route does not list', () => {
    expect(() =>
      authorize(event({ claims: { sub: 'a', 'cognito:groups': 'admin' } }), auth, partners),
    ).toThrow(ForbiddenError);
  });
});
