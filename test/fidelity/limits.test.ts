// Request-size limits, a wide custom object, sObject Collections retrieve and the query batch size, driven by jsforce
// 3.10.16 and, where jsforce hides the wire, by raw HTTP.
import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../emulator/index.ts';
import { WIDE_FIELD_COUNT, WIDE_OBJECT, wideFieldName } from '../emulator/schema.ts';
import { API_VERSION, clientCredentialsToken, connect, rawRequest, selfSignedCertificate } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;
let bearer: Record<string, string>;
const certificate = selfSignedCertificate();
const DATA = `/services/data/v${API_VERSION}`;
const LIMIT = 16_384;
const WIDE_FIELDS = Array.from({ length: WIDE_FIELD_COUNT }, (_, i) => wideFieldName(i + 1));

beforeAll(async () => {
	emulator = await startEmulator({ port: 0, tls: { key: certificate.key, cert: certificate.cert } });
	({ conn } = await connect(emulator));
	bearer = { authorization: `Bearer ${(await clientCredentialsToken(emulator)).access_token}` };
});
afterAll(() => emulator.close());

/** The status line, headers and body of a raw exchange. */
function parse(raw: Buffer) {
	const text = raw.toString('latin1');
	const [head, ...body] = text.split('\r\n\r\n');
	const [statusLine, ...lines] = head.split('\r\n');
	return { statusLine, headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 2)])), body: body.join('\r\n\r\n') };
}

/** Exactly these headers (no others are added), so that URI + headers bytes are known. */
function exactHeaders(pad: number): Record<string, string> {
	const { host } = new URL(emulator.url);
	return { host, connection: 'close', 'content-length': '0', 'x-pad': 'p'.repeat(pad) };
}
const headerBytes = (headers: Record<string, string>) => Object.entries(headers).reduce((n, [k, v]) => n + Buffer.byteLength(`${k}: ${v}\r\n`), 0);

// "Salesforce Developer Limits and Allocations Quick Reference", API Request Limits and Allocations: "In each REST
// call, the maximum length for the combined URI and headers is 16,384 bytes. A request exceeding this limit returns a
// 431 Request Header Fields Too Large error. If the URI itself exceeds this limit, the request returns a 414 URI Too
// Long error." The bodies are those of Salesforce's Jetty front end, as clients report them (jsforce/jsforce#1134).
describe('URI and headers limit', () => {
	it('accepts exactly 16,384 bytes of URI plus headers, and answers 431 one byte over', async () => {
		const base = `/services/data?pad=`;
		const headers = exactHeaders(100);
		const path = base + 'u'.repeat(LIMIT - headerBytes(headers) - base.length);
		expect(Buffer.byteLength(path) + headerBytes(headers)).toBe(LIMIT);
		expect(parse(await rawRequest(emulator.url, 'GET', path, headers).received).statusLine).toBe('HTTP/1.1 200 OK');
		const over = parse(await rawRequest(emulator.url, 'GET', `${path}u`, headers).received);
		expect(over.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
		expect(over.headers['content-type']).toBe('text/html;charset=iso-8859-1');
		expect(over.body).toBe('<h1>Bad Message 431</h1><pre>reason: Request Header Fields Too Large</pre>');
	});

	it('answers 431 for long headers with a short URI, with Salesforce\'s body rather than Node\'s bare 431', async () => {
		const over = parse(await rawRequest(emulator.url, 'GET', '/services/data', exactHeaders(20_000)).received);
		expect(over.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
		expect(over.body).toBe('<h1>Bad Message 431</h1><pre>reason: Request Header Fields Too Large</pre>');
	});

	it('answers 414 when the URI alone is over the limit', async () => {
		const answer = parse(await rawRequest(emulator.url, 'GET', `/services/data?pad=${'u'.repeat(LIMIT)}`, exactHeaders(0)).received);
		expect(answer.statusLine).toBe('HTTP/1.1 414 URI Too Long');
		expect(answer.headers.connection).toBe('close');
		expect(answer.body).toBe('<h1>Bad Message 414</h1><pre>reason: URI Too Long</pre>');
	});

	it('jsforce meets 414 on a SOQL GET naming every field of the wide object; the request log counts it apart', async () => {
		emulator.requests.reset();
		const soql = `SELECT Id, ${WIDE_FIELDS.join(', ')} FROM ${WIDE_OBJECT}`;
		const error = await conn.query(soql).then(() => undefined, (e: unknown) => e);
		expect(error).toMatchObject({ errorCode: 'ERROR_HTTP_414', message: '<h1>Bad Message 414</h1><pre>reason: URI Too Long</pre>' });
		expect(emulator.requests.counts().byRoute).toEqual({ '414 GET /services/data/v{version}/query': 1 });
	});

	it('applies the same rule on the TLS listener', async () => {
		const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			const req = httpsRequest({ host: '127.0.0.1', port: emulator.tlsPort, path: `/services/data?pad=${'u'.repeat(LIMIT)}`, ca: certificate.cert }, (res) => {
				let body = '';
				res.on('data', (chunk) => (body += chunk));
				res.on('end', () => resolve({ status: res.statusCode!, body }));
			});
			req.on('error', reject);
			req.end();
		});
		expect(answer).toEqual({ status: 414, body: '<h1>Bad Message 414</h1><pre>reason: URI Too Long</pre>' });
	});
});

describe('the wide custom object', () => {
	it('is listed as a queryable, createable, updateable, triggerable custom object', async () => {
		const { sobjects } = await conn.describeGlobal();
		expect(sobjects.find((o) => o.name === WIDE_OBJECT)).toMatchObject({
			label: 'Wide Object', custom: true, queryable: true, createable: true, updateable: true, triggerable: true, keyPrefix: 'a01',
		});
	});

	it('describes 800 custom text fields with long API names and the usual system fields', async () => {
		const { fields } = await conn.describe(WIDE_OBJECT);
		const custom = fields.filter((f) => f.custom);
		expect(custom.map((f) => f.name)).toEqual(WIDE_FIELDS);
		expect(custom.every((f) => f.type === 'string' && f.name.length >= 40 && f.createable && f.updateable)).toBe(true);
		expect(fields.filter((f) => !f.custom).map((f) => f.name).sort()).toEqual(
			['CreatedById', 'CreatedDate', 'Id', 'IsDeleted', 'LastModifiedById', 'LastModifiedDate', 'Name', 'OwnerId', 'SystemModstamp'],
		);
	});

	it('creates, updates and queries records, and comes with a few seeded ones', async () => {
		const values = Object.fromEntries(WIDE_FIELDS.map((f, i) => [f, `value ${i + 1}`]));
		const created = await conn.sobject(WIDE_OBJECT).create({ Name: 'Everything', ...values });
		expect(created.success).toBe(true);
		await conn.sobject(WIDE_OBJECT).update({ Id: created.id!, [WIDE_FIELDS[799]]: 'changed' });
		const { records } = await conn.query<Record<string, unknown>>(`SELECT Name, ${WIDE_FIELDS[0]}, ${WIDE_FIELDS[799]} FROM ${WIDE_OBJECT} WHERE Id = '${created.id}'`);
		expect(records).toMatchObject([{ Name: 'Everything', [WIDE_FIELDS[0]]: 'value 1', [WIDE_FIELDS[799]]: 'changed' }]);
		const seeded = await conn.query(`SELECT Id FROM ${WIDE_OBJECT} WHERE Name LIKE 'Wide %'`);
		expect(seeded.totalSize).toBe(3);
	});
});

// "REST API Developer Guide": Get Records Using sObject Collections (GET) and Get Records With a Request Body Using
// sObject Collections (POST): up to 2,000 records of one object, as many results as IDs, null for an ID that is
// invalid or not accessible, 400 for an invalid field; about 800 IDs fit in a GET before 414 URI Too Long.
describe('sObject Collections retrieve', () => {
	it('jsforce retrieves all 800 wide fields in one POST, in input order, null for missing, deleted and foreign IDs', async () => {
		const values = Object.fromEntries(WIDE_FIELDS.map((f) => [f, `${f} value`]));
		const [first, second, gone] = await conn.sobject(WIDE_OBJECT).create([{ Name: 'R1', ...values }, { Name: 'R2' }, { Name: 'R3' }]);
		await conn.sobject(WIDE_OBJECT).destroy(gone.id!);
		const lead = emulator.store.all('Lead')[0].Id as string;
		const neverCreated = `${first.id!.slice(0, 5)}ZZZZZZZZZZ`;
		const records = await conn.retrieve(WIDE_OBJECT, [second.id!, neverCreated, gone.id!, first.id!, 'not-an-id', lead], { fields: ['Id', 'Name', ...WIDE_FIELDS] });
		expect(records.map((r) => r && (r as Record<string, unknown>).Name)).toEqual(['R2', null, null, 'R1', null, null]);
		expect(records[3]).toMatchObject({ attributes: { type: WIDE_OBJECT, url: `${DATA}/sobjects/${WIDE_OBJECT}/${first.id}` }, Id: first.id, ...values });
		expect(Object.keys(records[0]!)).toEqual(['attributes', 'Id', 'Name', ...WIDE_FIELDS]);
	});

	it('answers with each field under its API name, whatever case was asked', async () => {
		const lead = emulator.store.all('Lead')[0];
		const [record] = await conn.retrieve('Lead', [lead.Id as string], { fields: ['lastname', 'COMPANY'] });
		expect(record).toEqual({ attributes: { type: 'Lead', url: `${DATA}/sobjects/Lead/${lead.Id}` }, LastName: lead.LastName, Company: lead.Company });
	});

	it('refuses an unknown field with 400 INVALID_FIELD', async () => {
		const lead = emulator.store.all('Lead')[0].Id as string;
		await expect(conn.retrieve('Lead', [lead], { fields: ['Id', 'No_Such__c'] })).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
	});

	it('takes up to 2,000 IDs and refuses more', async () => {
		const ids = emulator.store.all('Lead').map((l) => l.Id as string);
		const many = Array.from({ length: 2000 }, (_, i) => ids[i % ids.length]);
		expect(await conn.retrieve('Lead', many, { fields: ['Id'] })).toHaveLength(2000);
		await expect(conn.retrieve('Lead', [...many, ids[0]], { fields: ['Id'] })).rejects.toMatchObject({
			errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 2000 records into this call',
		});
	});

	it('requires ids and fields', async () => {
		const post = (body: unknown) => fetch(`${emulator.url}${DATA}/composite/sobjects/Lead`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const lead = emulator.store.all('Lead')[0].Id as string;
		const noFields = await post({ ids: [lead] });
		expect(noFields.status).toBe(400);
		expect(await noFields.json()).toEqual([{ errorCode: 'MISSING_ARGUMENT', message: 'fields: required parameter is missing' }]);
		const noIds = await post({ fields: ['Id'] });
		expect(noIds.status).toBe(400);
		expect(await noIds.json()).toEqual([{ errorCode: 'MISSING_ARGUMENT', message: 'ids: required parameter is missing' }]);
	});

	it('answers the GET form the same way, until the ID list makes the URL too long', async () => {
		const [a, b] = emulator.store.all('Lead').map((l) => l.Id as string);
		const answer = await fetch(`${emulator.url}${DATA}/composite/sobjects/Lead?ids=${b},${a}&fields=Id`, { headers: bearer });
		expect(await answer.json()).toEqual([b, a].map((Id) => ({ attributes: { type: 'Lead', url: `${DATA}/sobjects/Lead/${Id}` }, Id })));
		const tooMany = await fetch(`${emulator.url}${DATA}/composite/sobjects/Lead?ids=${Array(900).fill(a).join(',')}&fields=Id`, { headers: bearer });
		expect(tooMany.status).toBe(414);
	});
});

// "REST API Developer Guide", Query Options Header: "Sforce-Query-Options: batchSize=N ... The default is 2,000; the
// minimum is 200, and the maximum is 2,000."
describe('query batch size', () => {
	const firstPage = async (header?: string) => {
		const answer = await fetch(`${emulator.url}${DATA}/query?q=${encodeURIComponent('SELECT Id FROM Lead')}`, {
			headers: { ...bearer, ...(header ? { 'sforce-query-options': header } : {}) },
		});
		return (await answer.json()) as { totalSize: number; records: unknown[]; nextRecordsUrl?: string };
	};

	beforeAll(() => {
		for (let i = emulator.store.all('Lead').length; i < 2500; i++) emulator.store.insert('Lead', { LastName: `Batch ${i}`, Company: 'Batch Co' });
	});

	it('pages by the requested size within 200..2,000', async () => {
		const page = await firstPage('batchSize=500');
		expect(page.records).toHaveLength(500);
		const next = await fetch(`${emulator.url}${page.nextRecordsUrl}`, { headers: bearer });
		expect(((await next.json()) as { records: unknown[] }).records).toHaveLength(500);
	});

	it.each([
		['no header', undefined, 2000],
		['below the minimum', 'batchSize=50', 200],
		['above the maximum', 'batchSize=5000', 2000],
	])('uses the documented bounds: %s', async (_, header, size) => {
		const page = await firstPage(header);
		expect(page.totalSize).toBe(2500);
		expect(page.records).toHaveLength(size);
	});
});
