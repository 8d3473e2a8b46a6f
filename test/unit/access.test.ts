/** The access rules as a table: every role against every operation, on the caller's own order and on another's. */
import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS,
  type Caller,
  catalogueEditAccess,
  listingScope,
  type OrderOperation,
  orderAccess,
  placingFor,
  SYSTEM,
  type Verdict,
} from '../../common/access';

const ada: Caller = { kind: 'user', subject: 'ada', role: 'customer' };
const staff: Caller = { kind: 'user', subject: 'grace', role: 'staff' };
const admin: Caller = { kind: 'user', subject: 'root', role: 'admin' };
const callers = { anonymous: ANONYMOUS, customer: ada, staff, admin, system: SYSTEM };
type Who = keyof typeof callers;

const OWN = { customerId: 'ada' };
const OTHER = { customerId: 'bob' };

/** [operation, anonymous, customer on own, customer on other's, staff, admin] */
const ORDER_TABLE: [OrderOperation, Verdict, Verdict, Verdict, Verdict, Verdict][] = [
  ['read', 'UNAUTHENTICATED', 'ALLOWED', 'NOT_FOUND', 'ALLOWED', 'ALLOWED'],
  ['subscribe', 'UNAUTHENTICATED', 'ALLOWED', 'NOT_FOUND', 'ALLOWED', 'ALLOWED'],
  ['pay', 'UNAUTHENTICATED', 'ALLOWED', 'NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN'],
  ['cancel', 'UNAUTHENTICATED', 'ALLOWED', 'NOT_FOUND', 'ALLOWED', 'ALLOWED'],
  ['requestReturn', 'UNAUTHENTICATED', 'ALLOWED', 'NOT_FOUND', 'ALLOWED', 'ALLOWED'],
  ['audit', 'UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'ALLOWED', 'ALLOWED'],
  ['approveReturn', 'UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'ALLOWED', 'ALLOWED'],
];

describe('who may act on an order', () => {
  it.each(ORDER_TABLE)(
    '%s: anonymous %s, own %s, other customer %s, staff %s, admin %s',
    (operation, ...want) => {
      const got = [
        orderAccess(ANONYMOUS, operation, OWN),
        orderAccess(ada, operation, OWN),
        orderAccess(ada, operation, OTHER),
        orderAccess(staff, operation, OTHER),
        orderAccess(admin, operation, OTHER),
      ];
      expect(got).toEqual(want);
      expect(orderAccess(SYSTEM, operation, OTHER)).toBe('ALLOWED');
    },
  );
});

describe('who may list, place and edit the catalogue', () => {
  const cases: [Who, string | null, ReturnType<typeof listingScope>][] = [
    ['anonymous', null, 'UNAUTHENTICATED'],
    ['customer', null, { customerId: 'ada', empty: false }],
    ['customer', 'ada', { customerId: 'ada', empty: false }],
    ['customer', 'bob', { customerId: 'ada', empty: true }],
    ['staff', null, { customerId: null, empty: false }],
    ['staff', 'bob', { customerId: 'bob', empty: false }],
    ['admin', 'bob', { customerId: 'bob', empty: false }],
  ];
  it.each(cases)('%s listing customerId %s sees %j', (who, customerId, scope) => {
    expect(listingScope(callers[who], customerId)).toEqual(scope);
  });

  const placing: [Who, string | null, ReturnType<typeof placingFor>][] = [
    ['anonymous', 'ada', 'UNAUTHENTICATED'],
    ['customer', null, { customerId: 'ada' }],
    ['customer', 'ada', { customerId: 'ada' }],
    ['customer', 'bob', 'FORBIDDEN'],
    ['customer', ' ', { customerId: ' ' }],
    ['staff', 'bob', { customerId: 'bob' }],
    ['staff', null, { customerId: null }],
    ['admin', 'bob', { customerId: 'bob' }],
  ];
  it.each(placing)('%s placing for %s: %j', (who, customerId, answer) => {
    expect(placingFor(callers[who], customerId)).toEqual(answer);
  });

  it.each([
    ['anonymous', 'UNAUTHENTICATED'],
    ['customer', 'FORBIDDEN'],
    ['staff', 'FORBIDDEN'],
    ['admin', 'ALLOWED'],
    ['system', 'ALLOWED'],
  ] as [Who, Verdict][])('%s editing the catalogue: %s', (who, verdict) => {
    expect(catalogueEditAccess(callers[who])).toBe(verdict);
  });
});
