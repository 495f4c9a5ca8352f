// API versions: the versions list, retired versions, and the upsert answer that changed in 46.0.
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import type { Emulator } from '../emulator/index.ts';
import { clientCredentialsToken } from './helpers.ts';

let emulator: Emulator;
let token: Record<string, string>;

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	token = await clientCredentialsToken(emulator);
});
afterAll(async () => {
	await emulator?.close();
});

const call = async (method: string, path: string, body?: unknown) => {
	const response = await fetch(`${emulator.url}${path}`, {
		method,
		headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
	const text = await response.text();
	const isJson = response.headers.get('content-type')?.startsWith('application/json');
	return { status: response.status, text, body: isJson ? (JSON.parse(text) as unknown) : undefined };
};
const jsforce = (version?: string) => new Connection({ instanceUrl: token.instance_url, accessToken: token.access_token, ...(version ? { version } : {}) });

describe('versions', () => {
	it('GET /services/data lists exactly the versions served, oldest 31.0', async () => {
		// "Versions" (REST API Developer Guide): each entry's url serves that version's resources.
		const { status, body } = await call('GET', '/services/data');
		expect(status).toBe(200);
		const versions = body as Array<{ version: string; url: string; label: string }>;
		expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
		expect(versions.at(-1)).toEqual({ label: "Spring '26", url: '/services/data/v66.0', version: '66.0' });
		for (const { url } of versions) expect((await call('GET', url)).status, url).toBe(200);
		expect((await call('GET', '/services/data/v67.0')).status).toBe(404);
	});

	it('a retired version (7.0–30.0) answers 410 GONE on every REST resource', async () => {
		// "API End-of-Life" (REST API Developer Guide) and "Salesforce Platform API Versions 21.0 through 30.0
		// Retirement" (Salesforce Help, retired Summer '25; 7.0–20.0 in Summer '22): REST API returns 410 GONE.
		for (const path of ['/services/data/v30.0', '/services/data/v20.0/sobjects', '/services/data/v21.0/query?q=SELECT+Id+FROM+Account', '/services/data/v30.0/jobs/ingest']) {
			const { status, body } = await call('GET', path);
			expect(status, path).toBe(410);
			expect((body as Array<{ errorCode: string }>)[0].errorCode, path).toBe('GONE');
		}
	});

	it('jsforce on a retired version gets the GONE error; on its default version and on 64.0 it works', async () => {
		await expect(jsforce('30.0').query('SELECT Id FROM Account')).rejects.toMatchObject({ errorCode: 'GONE' });
		expect((await jsforce().query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
		expect((await jsforce('64.0').query('SELECT Id FROM Account')).totalSize).toBeGreaterThan(0);
	});

	it('the SOAP endpoint on a retired version answers 500 UNSUPPORTED_API_VERSION', async () => {
		// "Salesforce Platform API Versions 21.0 through 30.0 Retirement" (Salesforce Help): SOAP API returns 500.
		const { status, text } = await call('POST', '/services/Soap/u/30.0', undefined);
		expect(status).toBe(500);
		expect(text).toContain('<sf:exceptionCode>UNSUPPORTED_API_VERSION</sf:exceptionCode>');
	});
});

describe('upsert by external ID ("Insert or Update (Upsert) a Record Using an External ID", REST API Developer Guide)', () => {
	const upsert = (version: string, externalId: string, name: string) =>
		call('PATCH', `/services/data/v${version}/sobjects/Contact/External_Id__c/${externalId}`, { LastName: name });

	it('from 46.0: 201 with created:true, then 200 with {id, success, errors, created:false}', async () => {
		const created = await upsert('46.0', 'ver-46', 'Created 46');
		expect(created.status).toBe(201);
		const { id } = created.body as { id: string };
		expect(created.body).toEqual({ id, success: true, errors: [], created: true });
		const updated = await upsert('46.0', 'ver-46', 'Updated 46');
		expect(updated.status).toBe(200);
		expect(updated.body).toEqual({ id, success: true, errors: [], created: false });
	});

	it('before 46.0: 201 with {id, success, errors}, then 204 without a body', async () => {
		const created = await upsert('45.0', 'ver-45', 'Created 45');
		expect(created.status).toBe(201);
		expect(created.body).toEqual({ id: expect.stringMatching(/^003\w{15}$/), success: true, errors: [] });
		const updated = await upsert('45.0', 'ver-45', 'Updated 45');
		expect(updated.status).toBe(204);
		expect(updated.text).toBe('');
		expect(emulator.store.get('Contact', (created.body as { id: string }).id)?.LastName).toBe('Updated 45');
	});

	it('jsforce upsert works on both sides of 46.0', async () => {
		for (const version of ['45.0', '64.0']) {
			const conn = jsforce(version);
			const first = await conn.sobject('Contact').upsert({ LastName: `jsforce ${version}`, External_Id__c: `js-${version}` }, 'External_Id__c');
			expect(first).toMatchObject({ success: true, id: expect.stringMatching(/^003/) });
			const again = await conn.sobject('Contact').upsert({ LastName: `jsforce ${version} again`, External_Id__c: `js-${version}` }, 'External_Id__c');
			expect(again.success).toBe(true);
			expect(emulator.store.get('Contact', (first as { id: string }).id)?.LastName).toBe(`jsforce ${version} again`);
		}
	});
});

describe('resources newer than the version asked for answer 404 NOT_FOUND', () => {
	const collectionUpsert = (version: string) =>
		call('PATCH', `/services/data/v${version}/composite/sobjects/Contact/External_Id__c`, {
			records: [{ attributes: { type: 'Contact' }, LastName: `Collection ${version}`, External_Id__c: `col-${version}` }],
		});

	it('sObject Collections upsert from 46.0 ("Upsert Records Using sObject Collections")', async () => {
		const before = await collectionUpsert('45.0');
		expect(before.status).toBe(404);
		expect(before.body).toEqual([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
		const from = await collectionUpsert('46.0');
		expect(from.status).toBe(200);
		expect(from.body).toEqual([{ id: expect.stringMatching(/^003/), success: true, errors: [], created: true }]);
	});

	it('sObject Collections from 42.0 ("sObject Collections")', async () => {
		const create = (version: string) =>
			call('POST', `/services/data/v${version}/composite/sobjects`, { records: [{ attributes: { type: 'Contact' }, LastName: `Collection ${version}` }] });
		expect((await create('41.0')).status).toBe(404);
		expect((await create('42.0')).status).toBe(200);
	});
});
