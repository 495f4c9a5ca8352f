// Conditional describes, driven by raw HTTP (jsforce's conn.request hides the status: it reads a 304 as an empty body).
// Follows the REST API Developer Guide: "sObject Describe" and "Describe Global" ("You can use the If-Modified-Since
// ... header with this resource. When using the If-Modified-Since header, if no available object's metadata has
// changed since the provided date, a 304 Not Modified status code is returned with no response body") and "Get Object
// Metadata Changes" (the request with `If-Modified-Since: Wed, 3 Jul 2013 19:43:31 GMT`, the 304 answer with its Date
// header, and the full describe once the object changed after that date). Record types are part of an object's
// describe (recordTypeInfos), so writing one changes it. Salesforce does not say what it does with a value that is no
// date: the emulator ignores it as HTTP says (RFC 9110, 13.1.3), and that test says so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { API_VERSION, clientCredentialsToken, connect } from './helpers.ts';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let token: string;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, clock: '2026-03-02T10:00:00Z' });
	emulator.clock.freeze();
	token = (await clientCredentialsToken(emulator)).access_token;
});
afterAll(() => emulator.close());

async function get(path: string, ifModifiedSince?: string) {
	const response = await fetch(`${emulator.url}/services/data/v${API_VERSION}${path}`, {
		headers: { Authorization: `Bearer ${token}`, ...(ifModifiedSince ? { 'If-Modified-Since': ifModifiedSince } : {}) },
	});
	return { status: response.status, date: response.headers.get('date'), text: await response.text() };
}

const seconds = (n: number) => emulator.clock.advance(n * 1000);

describe('sObject Describe with If-Modified-Since', () => {
	it('answers 304 without a body when nothing changed since the date, dated by Salesforce’s clock', async () => {
		const first = await get('/sobjects/Lead/describe');
		expect(first.status).toBe(200);
		expect(first.date).toBe('Mon, 02 Mar 2026 10:00:00 GMT');
		seconds(5);
		const again = await get('/sobjects/Lead/describe', first.date!);
		expect(again).toEqual({ status: 304, date: 'Mon, 02 Mar 2026 10:00:05 GMT', text: '' });
	});

	it('answers the full describe once a field was added after the date', async () => {
		const before = await get('/sobjects/Lead/describe');
		seconds(2);
		emulator.store.addField('Lead', { name: 'Conditional_Region__c', type: 'string', label: 'Region' });
		seconds(2);
		const after = await get('/sobjects/Lead/describe', before.date!);
		expect(after.status).toBe(200);
		expect((JSON.parse(after.text) as { fields: Array<{ name: string }> }).fields.map((field) => field.name)).toContain('Conditional_Region__c');
		// The date of that answer is now the one to ask with.
		expect((await get('/sobjects/Lead/describe', after.date!)).status).toBe(304);
	});

	it('answers the full describe for a date before the last change (the guide’s example date)', async () => {
		expect((await get('/sobjects/Lead/describe', 'Wed, 3 Jul 2013 19:43:31 GMT')).status).toBe(200);
	});

	it('answers the full describe of an object whose record types changed', async () => {
		const before = await get('/sobjects/Opportunity/describe');
		seconds(2);
		emulator.store.insert('RecordType', { Name: 'Upsell', DeveloperName: 'Upsell', SobjectType: 'Opportunity' });
		seconds(2);
		const after = await get('/sobjects/Opportunity/describe', before.date!);
		expect(after.status).toBe(200);
		expect((JSON.parse(after.text) as { recordTypeInfos: Array<{ developerName: string }> }).recordTypeInfos.map((info) => info.developerName)).toContain('Upsell');
		// Another object's describe did not change.
		expect((await get('/sobjects/Lead/describe', after.date!)).status).toBe(304);
	});

	it('ignores a value that is no date (Salesforce does not document this; HTTP says to ignore it)', async () => {
		const answer = await get('/sobjects/Lead/describe', 'yesterday');
		expect(answer.status).toBe(200);
		expect(JSON.parse(answer.text)).toMatchObject({ name: 'Lead' });
	});

	it('reaches jsforce, unmodified, as an empty body', async () => {
		const { conn } = await connect(emulator);
		const { date } = await get('/sobjects/Lead/describe');
		const body = await conn.request({ method: 'GET', url: `/services/data/v${API_VERSION}/sobjects/Lead/describe`, headers: { 'If-Modified-Since': date! } });
		expect(body).toBe('');
	});
});

describe('Describe Global with If-Modified-Since', () => {
	it('answers 304 while no object changed, the list once one did', async () => {
		const first = await get('/sobjects');
		expect(first.status).toBe(200);
		seconds(2);
		expect((await get('/sobjects', first.date!)).status).toBe(304);
		emulator.store.addField('Contact', { name: 'Conditional_Tier__c', type: 'string', label: 'Tier' });
		seconds(2);
		const after = await get('/sobjects', first.date!);
		expect(after.status).toBe(200);
		expect((JSON.parse(after.text) as { sobjects: unknown[] }).sobjects.length).toBeGreaterThan(0);
	});
});
