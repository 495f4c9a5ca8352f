import { describe, expect, it } from 'vitest';
import { Clock } from '../emulator/clock.ts';
import { dateLiteralRange, likePattern, runQuery } from '../emulator/soql.ts';
import { Store } from '../emulator/store.ts';

function storeWith(rows: Array<Record<string, unknown>>, at = '2026-11-22T10:00:00Z'): Store {
	const clock = new Clock();
	clock.set(at);
	clock.freeze();
	const store = new Store(clock);
	for (const { at: createdAt, ...row } of rows) store.insert('Lead', { Company: 'C', ...row }, createdAt ? { at: new Date(createdAt as string) } : {});
	return store;
}
const names = (store: Store, soql: string) => runQuery(store, soql).records.map((r) => r.LastName);

describe('SOQL evaluator', () => {
	it('orders by several keys, keeps ties in insertion order, and places nulls', () => {
		const store = storeWith([
			{ LastName: 'b', Score__c: 1 }, { LastName: 'a', Score__c: 2 }, { LastName: 'c', Score__c: null }, { LastName: 'd', Score__c: 1 },
		]);
		expect(names(store, 'SELECT LastName FROM Lead ORDER BY Score__c')).toEqual(['c', 'b', 'd', 'a']);
		expect(names(store, 'SELECT LastName FROM Lead ORDER BY Score__c DESC')).toEqual(['a', 'b', 'd', 'c']);
		expect(names(store, 'SELECT LastName FROM Lead ORDER BY Score__c ASC NULLS LAST, LastName DESC')).toEqual(['d', 'b', 'a', 'c']);
		expect(names(store, 'SELECT LastName FROM Lead ORDER BY Score__c DESC NULLS FIRST LIMIT 2 OFFSET 1')).toEqual(['a', 'b']);
	});

	it('matches LIKE case-insensitively, with escaped wildcards', () => {
		const store = storeWith([{ LastName: '100% Pure' }, { LastName: '1000 Pure' }, { LastName: 'a_b' }, { LastName: 'axb' }]);
		expect(names(store, "SELECT LastName FROM Lead WHERE LastName LIKE '100\\%%'")).toEqual(['100% Pure']);
		expect(names(store, "SELECT LastName FROM Lead WHERE LastName LIKE '100%'")).toEqual(['100% Pure', '1000 Pure']);
		expect(names(store, "SELECT LastName FROM Lead WHERE LastName LIKE 'A\\_B'")).toEqual(['a_b']);
		expect(names(store, "SELECT LastName FROM Lead WHERE LastName LIKE 'a_b'")).toEqual(['a_b', 'axb']);
		expect(likePattern('x.y%').test('X.YZ')).toBe(true);
	});

	it('evaluates date literals against the clock', () => {
		const store = storeWith([
			{ LastName: 'today', at: '2026-11-22T01:00:00Z' }, { LastName: 'yesterday', at: '2026-11-21T23:59:59Z' },
			{ LastName: 'old', at: '2026-11-01T00:00:00Z' }, { LastName: 'ancient', at: '2025-01-01T00:00:00Z' },
		]);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate = TODAY')).toEqual(['today']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate = YESTERDAY')).toEqual(['yesterday']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate = LAST_N_DAYS:1')).toEqual(['today', 'yesterday']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate < LAST_N_DAYS:30')).toEqual(['ancient']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate = THIS_MONTH')).toEqual(['today', 'yesterday', 'old']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate > 2026-11-21T23:59:59Z')).toEqual(['today']);
		expect(names(store, 'SELECT LastName FROM Lead WHERE CreatedDate >= 2026-11-21T23:59:59.000+0000')).toEqual(['today', 'yesterday']);
		expect(dateLiteralRange(new Date('2026-11-22T10:00:00Z'), 'THIS_WEEK').start.toISOString()).toBe('2026-11-22T00:00:00.000Z');
	});

	it('combines AND, OR, NOT, IN, INCLUDES and null comparisons', () => {
		const store = storeWith([
			{ LastName: 'a', Rating: 'Hot', Interests__c: 'Cloud;AI' }, { LastName: 'b', Rating: 'Cold', Interests__c: 'Data' },
			{ LastName: 'c', Rating: null }, { LastName: 'd', Rating: 'Warm', Interests__c: 'AI' },
		]);
		expect(names(store, "SELECT LastName FROM Lead WHERE (Rating = 'hot' OR Rating = null) AND NOT LastName = 'c'")).toEqual(['a']);
		expect(names(store, "SELECT LastName FROM Lead WHERE Rating NOT IN ('Hot', 'Cold')")).toEqual(['c', 'd']);
		expect(names(store, "SELECT LastName FROM Lead WHERE Rating != 'Hot'")).toEqual(['b', 'c', 'd']);
		expect(names(store, "SELECT LastName FROM Lead WHERE Interests__c INCLUDES ('AI;Cloud', 'Data')")).toEqual(['a', 'b']);
		expect(names(store, "SELECT LastName FROM Lead WHERE Interests__c EXCLUDES ('AI')")).toEqual(['b', 'c']);
	});
});
