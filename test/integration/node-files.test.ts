// The File resource (Salesforce Files) through n8n-core against the emulator: upload with and without a linked record,
// byte-identical round trips, the files of many records in one query, download by document and by version, Continue
// On Fail, pairing, a batch of 1,000 uploads, and the transport's replays and lost answers on the way.
import type { IBinaryKeyData, IDataObject, INodeExecutionData, INodeParameters, NodeParameterValueType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { byId, byUrl, startNodeFixture, type NodeFixture } from './node-fixture.ts';
import type { OnError } from './harness.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());
beforeEach(() => {
	fixture.emulator.faults.reset();
	fixture.emulator.requests.reset();
});

/** Every byte value, forwards then backwards: not UTF-8, so any text decoding on the way would change it. */
const NON_UTF8 = Buffer.from([...Array.from({ length: 256 }, (_, i) => i), ...Array.from({ length: 256 }, (_, i) => 255 - i)]);

/** An item's binary field in n8n's in-memory form. */
function file(content: Buffer | string, fileName: string, mimeType = 'application/octet-stream', property = 'data'): IBinaryKeyData {
	const bytes = Buffer.isBuffer(content) ? content : Buffer.from(content);
	const extension = fileName.includes('.') ? fileName.split('.').pop() : undefined;
	return { [property]: { data: bytes.toString('base64'), mimeType, fileName, ...(extension ? { fileExtension: extension } : {}) } };
}

async function run(parameters: INodeParameters, items: IDataObject[] = [{}], binaries: Array<IBinaryKeyData | null> = [], onError?: OnError) {
	return await fixture.harness.runNode({ nodeType: fixture.nodeType, parameters, items, binaries, onError });
}

async function runOk(parameters: INodeParameters, items?: IDataObject[], binaries?: Array<IBinaryKeyData | null>): Promise<INodeExecutionData[]> {
	const result = await run(parameters, items, binaries);
	if (result.error) throw result.error;
	return result.items;
}

const upload = (extra: INodeParameters = {}): INodeParameters => ({ resource: 'file', operation: 'upload', binaryPropertyName: 'data', ...extra });
const download = (fileId: NodeParameterValueType): INodeParameters => ({ resource: 'file', operation: 'download', fileId, binaryPropertyName: 'data' });
const filesOf = (recordId: NodeParameterValueType): INodeParameters => ({ resource: 'file', operation: 'getAll', recordId });

/** Calls to the emulator routes matching `pattern` since the last reset, e.g. /POST .*composite\/sobjects$/. */
function callsTo(pattern: RegExp): number {
	return Object.entries(fixture.emulator.requests.counts().byRoute)
		.filter(([route]) => pattern.test(route))
		.reduce((sum, [, count]) => sum + count, 0);
}

const UPLOAD_CALLS = /^POST \/services\/data\/v\{version\}\/composite\/sobjects$/;
const QUERIES = /^GET \/services\/data\/v\{version\}\/query$/;
const BLOB_GETS = /^GET \/services\/data\/v\{version\}\/sobjects\/\{sobject\}\/\{field\}\/\{value\}$/;

const newLead = (lastName: string) => fixture.emulator.store.insert('Lead', { LastName: lastName, Company: `${lastName} Ltd` }).Id as string;
const bytesOf = (item: INodeExecutionData, property = 'data') => Buffer.from(item.binary![property].data, 'base64');

describe('upload', () => {
	it('uploads binary data as a file owned by the user: version, document, title from the file name, size', async () => {
		const [item] = await runOk(upload(), [{}], [file('hello files', 'Quarterly report.txt', 'text/plain')]);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(item.json).toMatchObject({
			Id: expect.stringMatching(/^068/), ContentDocumentId: expect.stringMatching(/^069/), Title: 'Quarterly report', PathOnClient: 'Quarterly report.txt',
			FileExtension: 'txt', FileType: 'TEXT', ContentSize: 11, VersionNumber: '1',
		});
		const version = fixture.emulator.store.get('ContentVersion', item.json.Id as string)!;
		expect(Buffer.from(version.VersionData as string, 'base64').toString()).toBe('hello files');
		expect(fixture.emulator.store.get('ContentDocument', item.json.ContentDocumentId as string)).toMatchObject({ Title: 'Quarterly report', IsDeleted: false });
		expect(callsTo(UPLOAD_CALLS)).toBe(1);
	});

	it('links the file to a record given by ID or by URL, with the title, file name and description chosen', async () => {
		const lead = newLead('Linked');
		const [byIdItem, byUrlItem] = await runOk(
			upload({ linkedRecordId: '={{ $json.link }}', title: '={{ $json.title }}', options: { fileName: 'scan.pdf', description: 'Signed' } }),
			[{ link: byId(lead), title: 'Contract' }, { link: byUrl(`https://acme.lightning.force.com/lightning/r/Lead/${lead}/view`), title: '' }],
			[file('%PDF-1', 'ignored.bin'), file('%PDF-2', 'ignored.bin')],
		);
		expect(byIdItem.json).toMatchObject({ Title: 'Contract', PathOnClient: 'scan.pdf', FileType: 'PDF', FirstPublishLocationId: lead });
		expect(byUrlItem.json).toMatchObject({ Title: 'scan', FirstPublishLocationId: lead });
		expect(fixture.emulator.store.get('ContentVersion', byIdItem.json.Id as string)).toMatchObject({ Description: 'Signed' });
		const listed = await runOk(filesOf(byId(lead)));
		expect(listed.map((item) => item.json.ContentDocumentId).sort()).toEqual([byIdItem.json.ContentDocumentId, byUrlItem.json.ContentDocumentId].sort());
	});

	it('names the parameter and the fix when the item has no such binary field, per item with Continue On Fail', async () => {
		const result = await run(upload({ binaryPropertyName: 'attachment' }), [{}, {}], [file('x', 'a.txt'), null], 'continueRegularOutput');
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json).toMatchObject({
			error: 'The item has no binary field "attachment" (item 0)',
			message: 'Set Input Binary Field to the field that holds the file: this item has "data".',
		});
		expect(result.items[1].json.message).toMatch(/^Input Binary Field names the binary field that holds the file, and this item has none/);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const stopped = await run(upload({ binaryPropertyName: 'attachment' }), [{}], [file('x', 'a.txt')]);
		expect(stopped.error?.message).toBe('The item has no binary field "attachment" (item 0)');
		expect((stopped.error as { description?: string }).description).toBe('Set Input Binary Field to the field that holds the file: this item has "data".');
	});

	it('with Continue On Fail, exactly the bad items fail (no file, an unknown record to link, a bad ID), paired, and the others are saved', async () => {
		const lead = newLead('Partial');
		const links = [byId(lead), byId(lead), byId('00Q8a0000000ZZZ'), byId(lead), byId('not-an-id')];
		const result = await run(
			upload({ linkedRecordId: '={{ $json.link }}' }),
			links.map((link) => ({ link })),
			[file('a', 'a.txt'), null, file('c', 'c.txt'), file('d', 'd.txt'), file('e', 'e.txt')],
			'continueRegularOutput',
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(result.items[0].json.Id).toMatch(/^068/);
		expect(result.items[1].json.error).toMatch(/no binary field "data"/);
		expect(result.items[2].json).toMatchObject({ statusCode: 'INVALID_CROSS_REFERENCE_KEY', fields: ['FirstPublishLocationId'], error: expect.stringMatching(/\(item 2\)$/) });
		expect(result.items[3].json.Id).toMatch(/^068/);
		expect(result.items[4].json).toMatchObject({ error: '"not-an-id" is not a Salesforce record ID (item 4)', message: expect.stringMatching(/^Set Link to Record to /) });
		expect(callsTo(UPLOAD_CALLS)).toBe(1);
	});

	it('links a file to a custom object record and lists it there', async () => {
		const project = fixture.emulator.store.insert('Project__c', { Name: 'With files' }).Id as string;
		const [uploaded] = await runOk(upload({ linkedRecordId: byId(project) }), [{}], [file('plan', 'plan.txt', 'text/plain')]);
		expect(uploaded.json).toMatchObject({ FirstPublishLocationId: project });
		const listed = await runOk(filesOf(byId(project)));
		expect(listed.map((item) => [item.json.Title, item.json.LinkedEntityId])).toEqual([['plan', project]]);
	});

	it('uploads 1,000 small files in 5 sObject Collections calls and reads them back in 5 queries, in input order', async () => {
		const lead = newLead('Thousand');
		const count = 1000;
		const items = Array.from({ length: count }, (_, n) => ({ n }));
		const binaries = items.map(({ n }) => file(`file number ${n}`, `file-${n}.txt`, 'text/plain'));
		fixture.emulator.requests.reset();
		const output = await runOk(upload({ linkedRecordId: byId(lead) }), items, binaries);
		expect(output).toHaveLength(count);
		expect(callsTo(UPLOAD_CALLS)).toBe(5);
		expect(callsTo(QUERIES)).toBe(5);
		expect(fixture.emulator.requests.counts().data).toBe(10);
		output.forEach((item, n) => {
			expect(item.pairedItem).toEqual({ item: n });
			expect(item.json).toMatchObject({ Title: `file-${n}`, ContentSize: `file number ${n}`.length, FirstPublishLocationId: lead });
		});
		expect(new Set(output.map((item) => item.json.ContentDocumentId)).size).toBe(count);

		fixture.emulator.requests.reset();
		const listed = await runOk(filesOf(byId(lead)));
		expect(listed).toHaveLength(count);
		expect(callsTo(QUERIES)).toBe(1);
	});

	it('reports a lost upload answer as OUTCOME_UNKNOWN, never as a failure: Salesforce may have saved the file', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: '/composite/sobjects' });
		const before = fixture.emulator.store.all('ContentVersion').length;
		const result = await run(upload(), [{}, {}], [file('one', 'one.txt'), file('two', 'two.txt')], 'continueRegularOutput');
		expect(result.items.map((item) => item.json)).toEqual([0, 1].map((n) => expect.objectContaining({
			errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown', error: expect.stringMatching(new RegExp(`upload may or may not have been saved.*\\(item ${n}\\)$`)),
		})));
		expect(callsTo(UPLOAD_CALLS)).toBe(1);
		expect(fixture.emulator.store.all('ContentVersion')).toHaveLength(before + 2);
	});

	it('still outputs a saved file when reading it back fails, saying so instead of failing the item', async () => {
		fixture.emulator.faults.inject({ method: 'GET', path: '/query', status: 500, errorCode: 'UNKNOWN_EXCEPTION', count: 4 });
		const [item] = await runOk(upload(), [{}], [file('kept', 'kept.txt')]);
		expect(item.json).toMatchObject({ Id: expect.stringMatching(/^068/), Title: 'kept', PathOnClient: 'kept.txt', ContentDocumentId: null, note: expect.stringMatching(/^The file was saved in Salesforce/) });
		expect(fixture.emulator.store.get('ContentVersion', item.json.Id as string)).toMatchObject({ IsDeleted: false });
	});
});

describe('download', () => {
	it('round-trips non-UTF-8 bytes exactly, by document ID (the latest version) and by version ID (that version)', async () => {
		const [first] = await runOk(upload(), [{}], [file(NON_UTF8, 'bytes.png', 'image/png')]);
		const documentId = first.json.ContentDocumentId as string;
		const second = fixture.emulator.store.insert('ContentVersion', {
			ContentDocumentId: documentId, PathOnClient: 'bytes-v2.png', VersionData: NON_UTF8.subarray(0, 100).toString('base64'),
		});
		fixture.emulator.requests.reset();
		const [latest, older] = await runOk(download('={{ $json.file }}'), [{ file: byId(documentId) }, { file: byId(first.json.Id as string) }]);
		expect(latest.json).toMatchObject({ Id: second.Id, ContentDocumentId: documentId, VersionNumber: '2', IsLatest: true });
		expect(bytesOf(latest).equals(NON_UTF8.subarray(0, 100))).toBe(true);
		expect(latest.binary!.data).toMatchObject({ fileName: 'bytes-v2.png', mimeType: 'image/png' });
		expect(older.json).toMatchObject({ Id: first.json.Id, VersionNumber: '1', IsLatest: false });
		expect(bytesOf(older).equals(NON_UTF8)).toBe(true);
		expect(older.pairedItem).toEqual({ item: 1 });
		expect(callsTo(QUERIES)).toBe(1);
		expect(callsTo(BLOB_GETS)).toBe(2);
	});

	it('puts the file in the binary field chosen, named after its title, and accepts a file URL', async () => {
		const [uploaded] = await runOk(upload({ title: 'Report.csv' }), [{}], [file('a,b\n1,2\n', 'data.csv', 'text/csv')]);
		const documentId = uploaded.json.ContentDocumentId as string;
		const [item] = await runOk({ ...download(byUrl(`https://acme.lightning.force.com/lightning/r/ContentDocument/${documentId}/view`)), binaryPropertyName: 'report' });
		expect(Object.keys(item.binary!)).toEqual(['report']);
		expect(item.binary!.report).toMatchObject({ fileName: 'Report.csv', mimeType: 'text/csv' });
		expect(bytesOf(item, 'report').toString()).toBe('a,b\n1,2\n');
	});

	it('downloads 20 files with one query and one blob call each, paired', async () => {
		const uploaded = await runOk(upload(), Array.from({ length: 20 }, () => ({})), Array.from({ length: 20 }, (_, n) => file(NON_UTF8.subarray(n), `f${n}.bin`)));
		fixture.emulator.requests.reset();
		const items = await runOk(download('={{ $json.id }}'), uploaded.map((item) => ({ id: byId(item.json.ContentDocumentId as string) })));
		expect(items.map((item) => item.pairedItem)).toEqual(uploaded.map((_, item) => ({ item })));
		items.forEach((item, n) => expect(bytesOf(item).equals(NON_UTF8.subarray(n))).toBe(true));
		expect(callsTo(QUERIES)).toBe(1);
		expect(callsTo(BLOB_GETS)).toBe(20);
	});

	it('replays a blob read after a 503 page, and after a 401 once the session is renewed, still byte-identical', async () => {
		const [uploaded] = await runOk(upload(), [{}], [file(NON_UTF8, 'replayed.bin')]);
		fixture.emulator.faults.inject({ kind: 'html', status: 503, method: 'GET', path: /VersionData$/ });
		const [replayed] = await runOk(download(byId(uploaded.json.ContentDocumentId as string)));
		expect(bytesOf(replayed).equals(NON_UTF8)).toBe(true);
		expect(callsTo(/^(503 )?GET .*\{field\}\/\{value\}$/)).toBe(2);

		fixture.emulator.requests.reset();
		fixture.emulator.faults.inject({ method: 'GET', path: /VersionData$/, status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' });
		const [renewed] = await runOk(download(byId(uploaded.json.Id as string)));
		expect(bytesOf(renewed).equals(NON_UTF8)).toBe(true);
		expect(callsTo(BLOB_GETS)).toBe(2);
		// Renewed with one token request, no probe call.
		expect(fixture.emulator.requests.counts().token).toBe(1);
		expect(callsTo(/^GET .*\/limits$/)).toBe(0);
	});

	it('fails items with a bad ID (naming the parameter), an unknown file (NOT_FOUND) or a deleted one, the others succeed', async () => {
		const [kept, gone] = await runOk(upload(), [{}, {}], [file('kept', 'kept.txt'), file('gone', 'gone.txt')]);
		fixture.emulator.store.delete('ContentDocument', gone.json.ContentDocumentId as string);
		const ids = [kept.json.ContentDocumentId, '00Q000000000000AAA', '069000000000000AAA', gone.json.ContentDocumentId] as string[];
		const result = await run(download('={{ $json.id }}'), ids.map((id) => ({ id: byId(id) })), [], 'continueRegularOutput');
		expect(bytesOf(result.items[0]).toString()).toBe('kept');
		expect(result.items[1].json.error).toBe('"00Q000000000000AAA" is not the ID of a file or of a file version (item 1)');
		expect(result.items[2].json).toMatchObject({ errorCode: 'NOT_FOUND', error: 'NOT_FOUND: No file or file version with ID 069000000000000AAA (item 2)' });
		expect(result.items[3].json).toMatchObject({ errorCode: 'NOT_FOUND' });
		expect(result.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		const stopped = await run(download(byId('00Q000000000000AAA')));
		expect((stopped.error as { description?: string }).description).toMatch(/^Set File to a ContentDocument ID \(069…/);
	});

	it('reports Salesforce’s own error of the blob call (a binary read, whose JSON error jsforce does not parse)', async () => {
		const [uploaded] = await runOk(upload(), [{}], [file('secret', 'secret.txt')]);
		fixture.emulator.faults.inject({ method: 'GET', path: /VersionData$/, status: 403, errorCode: 'INSUFFICIENT_ACCESS', message: 'insufficient access rights on object id' });
		const result = await run(download(byId(uploaded.json.Id as string)), [{}], [], 'continueRegularOutput');
		expect(result.items).toEqual([{
			json: expect.objectContaining({ errorCode: 'INSUFFICIENT_ACCESS', httpCode: '403', error: 'INSUFFICIENT_ACCESS: insufficient access rights on object id (item 0)' }),
			pairedItem: { item: 0 },
		}]);
	});

	it('finds files by title for the File list', async () => {
		const [uploaded] = await runOk(upload({ title: 'Searchable brochure' }), [{}], [file('b', 'brochure.pdf')]);
		const { results } = await fixture.harness.listSearch(fixture.nodeType, 'searchFiles', { resource: 'file', operation: 'download' }, 'brochure');
		expect(results).toContainEqual(expect.objectContaining({ name: 'Searchable brochure (pdf)', value: uploaded.json.ContentDocumentId }));
	});
});

describe('files of a record', () => {
	it('lists the files of several records in one query, each file paired with the item that asked', async () => {
		const [withTwo, withOne, withNone] = ['Two files', 'One file', 'No files'].map(newLead);
		const uploaded = await runOk(
			upload({ linkedRecordId: '={{ $json.link }}' }),
			[withTwo, withTwo, withOne].map((link) => ({ link: byId(link) })),
			[file('1', 'first.txt'), file('22', 'second.pdf'), file('333', 'third.png')],
		);
		fixture.emulator.requests.reset();
		const items = await runOk(filesOf('={{ $json.record }}'), [withOne, withNone, withTwo, withOne].map((record) => ({ record: byId(record) })));
		expect(callsTo(QUERIES)).toBe(1);
		expect(items.map((item) => [item.pairedItem, item.json.Title])).toEqual([
			[{ item: 0 }, 'third'], [{ item: 2 }, 'first'], [{ item: 2 }, 'second'], [{ item: 3 }, 'third'],
		]);
		expect(items[0].json).toEqual({
			ContentDocumentId: uploaded[2].json.ContentDocumentId, Title: 'third', FileExtension: 'png', FileType: 'PNG', ContentSize: 3,
			LatestPublishedVersionId: uploaded[2].json.Id, OwnerId: expect.stringMatching(/^005/), CreatedDate: expect.any(String), LastModifiedDate: expect.any(String),
			VersionNumber: '1', PathOnClient: 'third.png', Checksum: expect.stringMatching(/^[0-9a-f]{32}$/),
			LinkedEntityId: withOne, ShareType: 'V', Visibility: 'AllUsers', ContentDocumentLinkId: expect.stringMatching(/^06A/),
		});
	});

	it('names the Record parameter for an ID that is not one, per item with Continue On Fail', async () => {
		const result = await run(filesOf('={{ $json.record }}'), [{ record: byId('nope') }, { record: byId(newLead('Fine')) }], [], 'continueRegularOutput');
		expect(result.items).toHaveLength(1);
		expect(result.items[0]).toMatchObject({
			json: { error: '"nope" is not a Salesforce record ID (item 0)', message: 'Set Record to the 15- or 18-character ID of a record (e.g. 0015g00000AbCdEFGH) or its Salesforce URL.' },
			pairedItem: { item: 0 },
		});
	});
});
