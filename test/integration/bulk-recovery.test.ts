// Bulk API 2.0 through n8n-core when a step of the ingest job goes wrong: each step's failure is handled so that
// every item gets its true outcome, no record is written twice, and no item is reported failed whose record exists.
// Salesforce's documentation behind the expectations ("Bulk API 2.0 and Bulk API Developer Guide"):
// - Upload Complete: processing does not start until the job is marked UploadComplete, so a job whose create or
//   upload failed can be abandoned and started again;
// - Job States: Open → UploadComplete → InProgress → JobComplete | Failed | Aborted;
// - Get Job Successful / Failed Record Results, Get Job Unprocessed Record Results: a failed or aborted job's results
//   stay available; unprocessed rows are not failed rows ("Failed rows are processed but encounter an error");
// - Valid CSV Record Rows: "To set a field value to null, use a field value of #N/A".
import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { SalesforceClient, type SalesforceRecord, type SaveResult } from '../../nodes/Salesforce/transport';
import { bulkIngest, bulkPolicy, type BulkOperation } from '../../nodes/Salesforce/transport/bulk';
import { mapped, startNodeFixture, type NodeFixture } from './node-fixture.ts';

let fixture: NodeFixture;
beforeAll(async () => {
	bulkPolicy.pollIntervalMs = 5;
	fixture = await startNodeFixture();
});
afterAll(async () => await fixture?.close());
beforeEach(() => {
	fixture.emulator.faults.reset();
	fixture.emulator.requests.reset();
});

const JOB = /\/jobs\/ingest\/\w+$/;
const UPLOAD = /\/jobs\/ingest\/\w+\/batches$/;

const leads = (count: number, tag: string) =>
	Array.from({ length: count }, (_, index) => ({ last: `${tag} ${index}`, ext: `${tag}-${index}` }));

const createInBulk = {
	resource: 'lead',
	operation: 'create',
	columns: mapped({ LastName: '={{ $json.last }}', Company: 'Recovery Co', External_Id__c: '={{ $json.ext }}' }),
	options: { bulkMode: 'always' },
};

/** The stored leads of a test, by their unique External_Id__c. */
function stored(tag: string): Map<string, IDataObject[]> {
	const byExternalId = new Map<string, IDataObject[]>();
	for (const lead of fixture.emulator.store.all('Lead')) {
		const ext = String(lead.External_Id__c ?? '');
		if (ext.startsWith(`${tag}-`)) byExternalId.set(ext, [...(byExternalId.get(ext) ?? []), lead as IDataObject]);
	}
	return byExternalId;
}

/** Calls to one route of the emulator's request log, e.g. 'POST /services/data/v{version}/jobs/ingest'. */
function callsTo(route: string): number {
	return (fixture.emulator.requests.counts().byRoute as Record<string, number>)[route] ?? 0;
}

const outcomeCode = (item: INodeExecutionData) => item.json.errorCode ?? item.json.statusCode;

/** Every item is the lead created for it, each lead stored exactly once. */
function expectAllCreatedOnce(items: INodeExecutionData[], tag: string, count: number) {
	const leadsByExt = stored(tag);
	expect(leadsByExt.size).toBe(count);
	expect(items).toHaveLength(count);
	items.forEach((item, index) => {
		expect(item.pairedItem).toEqual({ item: index });
		const copies = leadsByExt.get(`${tag}-${index}`) ?? [];
		expect(copies).toHaveLength(1);
		expect(item.json).toMatchObject({ Id: copies[0].Id, LastName: `${tag} ${index}` });
	});
}

describe('close (UploadComplete) whose answer is lost', () => {
	it('dropped after Salesforce processed it: the job is read by its id, every item gets its record', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'PATCH', path: JOB });
		const result = await fixture.run(createInBulk, leads(50, 'CloseLost'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'CloseLost', 50);
		expect(callsTo('POST /services/data/v{version}/jobs/ingest')).toBe(1);
	});

	it('dropped before it reached Salesforce: the job is still Open, so it is closed again', async () => {
		fixture.emulator.faults.inject({ kind: 'dropBefore', method: 'PATCH', path: JOB });
		const result = await fixture.run(createInBulk, leads(50, 'CloseAgain'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'CloseAgain', 50);
		expect(callsTo('PATCH /services/data/v{version}/jobs/ingest/{jobId}')).toBe(2);
	});

	it('lost every time while the job stays Open: the job is aborted and its rows reported not processed', async () => {
		fixture.emulator.faults.inject({ kind: 'dropBefore', method: 'PATCH', path: JOB, count: 4 });
		const result = await fixture.run(createInBulk, leads(5, 'NeverClosed'), 'continueRegularOutput');
		expect(stored('NeverClosed').size).toBe(0);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toMatch(/^UNPROCESSED: Bulk API 2.0 job 750\w+ ended Aborted before this row/);
		});
		expect((await fetchJobs()).at(-1)).toMatchObject({ state: 'Aborted' });
	});

	it('refused (REQUEST_LIMIT_EXCEEDED): the job is aborted unprocessed and the items fail with that error', async () => {
		fixture.emulator.faults.inject({ method: 'PATCH', path: JOB, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
		const result = await fixture.run(createInBulk, leads(5, 'CloseRefused'), 'continueRegularOutput');
		expect(stored('CloseRefused').size).toBe(0);
		expect(result.items.map(outcomeCode)).toEqual(Array(5).fill('REQUEST_LIMIT_EXCEEDED'));
		const jobs = await fetchJobs();
		expect(jobs.at(-1)).toMatchObject({ state: 'Aborted' });
	});
});

describe('create or upload that fails', () => {
	it('a dropped upload aborts that job and starts a new one: every item once', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'PUT', path: UPLOAD });
		const result = await fixture.run(createInBulk, leads(40, 'UploadLost'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'UploadLost', 40);
		const jobs = await fetchJobs();
		expect(jobs.slice(-2).map((job) => job.state)).toEqual(['Aborted', 'JobComplete']);
	});

	it('a session renewed during the upload (401) sends the same rows again at once, on the same job', async () => {
		fixture.emulator.faults.inject({ method: 'PUT', path: UPLOAD, status: 401, errorCode: 'INVALID_SESSION_ID' });
		const result = await fixture.run({ ...createInBulk, options: { bulkMode: 'always', timeout: 5 } }, leads(20, 'UploadRenewed'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'UploadRenewed', 20);
		expect(callsTo('POST /services/data/v{version}/jobs/ingest')).toBe(1);
		expect(callsTo('PUT /services/data/v{version}/jobs/ingest/{jobId}/batches')).toBe(2);
	});

	it('values with quotes, commas and line breaks reach Salesforce as they were', async () => {
		const tricky = ['Say "hi", then go', 'two\nlines', ' padded ', 'comma,only', 'semi;colon|pipe^caret\ttab'];
		const input = tricky.map((last, index) => ({ last, ext: `Tricky-${index}` }));
		const result = await fixture.run(createInBulk, input);
		expect(result.error).toBeUndefined();
		const leadsByExt = stored('Tricky');
		tricky.forEach((last, index) => {
			expect(leadsByExt.get(`Tricky-${index}`)?.[0]).toMatchObject({ LastName: last });
			expect(result.items[index].json).toMatchObject({ Id: leadsByExt.get(`Tricky-${index}`)?.[0].Id, LastName: last });
		});
	});

	it('a create whose answer was lost leaves an empty job behind and starts a new one: every item once', async () => {
		fixture.emulator.faults.inject({ kind: 'dropAfter', method: 'POST', path: /\/jobs\/ingest$/ });
		const result = await fixture.run(createInBulk, leads(30, 'CreateLost'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'CreateLost', 30);
		expect(callsTo('POST /services/data/v{version}/jobs/ingest')).toBe(2);
	});
});

describe('a job that ends Failed after processing rows', () => {
	it('maps successful, failed and unprocessed rows to their items (Failed after 700 of 2,500)', async () => {
		fixture.emulator.faults.failNextBulkJob({ afterRows: 700 });
		const input = leads(2500, 'Partial').map((item, index) => (index === 10 ? { ...item, last: '' } : item));
		const result = await fixture.run(createInBulk, input, 'continueRegularOutput');
		expect(result.items).toHaveLength(2500);
		const leadsByExt = stored('Partial');
		expect(leadsByExt.size).toBe(699);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			const copies = leadsByExt.get(`Partial-${index}`) ?? [];
			if (index === 10) expect(item.json).toMatchObject({ statusCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'] });
			else if (index < 700) expect(item.json).toMatchObject({ Id: copies[0]?.Id, LastName: `Partial ${index}` });
			else {
				expect(copies).toHaveLength(0);
				expect(item.json).toMatchObject({ statusCode: 'UNPROCESSED' });
				expect(item.json.error).toMatch(/^UNPROCESSED: Bulk API 2.0 job 750\w+ ended Failed before this row: nothing was written, running the item again is safe/);
			}
		});

		const retried = await fixture.run(createInBulk, input.slice(700));
		expect(retried.error).toBeUndefined();
		expect(stored('Partial').size).toBe(2499);
		expect([...stored('Partial').values()].every((copies) => copies.length === 1)).toBe(true);
	});

	it('without continue-on-fail, stops on the first failed item, not on the processed ones', async () => {
		fixture.emulator.faults.failNextBulkJob({ afterRows: 3 });
		const result = await fixture.run(createInBulk, leads(6, 'PartialStop'));
		expect(stored('PartialStop').size).toBe(3);
		expect(result.error?.message).toMatch(/^UNPROCESSED: .*\(item 3\)$/);
	});
});

describe('polling and results', () => {
	it('dropped status checks are repeated until the job answers', async () => {
		fixture.emulator.faults.inject({ kind: 'dropBefore', method: 'GET', path: JOB, count: 2 });
		const result = await fixture.run(createInBulk, leads(10, 'PollDropped'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'PollDropped', 10);
	});

	it('a hung status check is given up after the Timeout option and polling goes on', async () => {
		fixture.emulator.faults.inject({ kind: 'hang', method: 'GET', path: JOB });
		const result = await fixture.run({ ...createInBulk, options: { bulkMode: 'always', timeout: 1 } }, leads(10, 'PollHung'));
		expect(result.error).toBeUndefined();
		expectAllCreatedOnce(result.items, 'PollHung', 10);
	});

	it('a job whose state cannot be learnt within the poll timeout makes every item OUTCOME_UNKNOWN', async () => {
		const { pollTimeoutMs } = bulkPolicy;
		bulkPolicy.pollTimeoutMs = 1500;
		try {
			fixture.emulator.faults.inject({ kind: 'hang', method: 'GET', path: JOB, count: 5 });
			const result = await fixture.run({ ...createInBulk, options: { bulkMode: 'always', timeout: 1 } }, leads(5, 'PollTimeout'), 'continueRegularOutput');
			expect(stored('PollTimeout').size).toBe(5);
			result.items.forEach((item, index) => {
				expect(item.pairedItem).toEqual({ item: index });
				expect(item.json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
				expect(item.json.error).toMatch(/^OUTCOME_UNKNOWN: Bulk API 2.0 job 750\w+ could not be read \(Salesforce did not answer within 1 s \(option Timeout\)\)/);
			});
		} finally {
			bulkPolicy.pollTimeoutMs = pollTimeoutMs;
		}
	});

	it('results that cannot be read make every item OUTCOME_UNKNOWN, never failed', async () => {
		fixture.emulator.faults.inject({ method: 'GET', path: /successfulResults$/, status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED' });
		const result = await fixture.run(createInBulk, leads(5, 'NoResults'), 'continueRegularOutput');
		expect(stored('NoResults').size).toBe(5);
		expect(result.items).toHaveLength(5);
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json).toMatchObject({ errorCode: 'OUTCOME_UNKNOWN', outcome: 'unknown' });
			expect(item.json.error).toMatch(/^OUTCOME_UNKNOWN: Bulk API 2.0 job 750\w+ ended, but its results could not be read \(ERROR_HTTP_403\) \(Setup → Bulk Data Load Jobs shows what it saved\)/);
		});
	});
});

describe('the text "#N/A", which Bulk CSV reads as null', () => {
	/** bulkIngest with the SalesforceClient n8n-core's LoadOptionsContext opens for the credential. */
	async function ingest(operation: BulkOperation, records: SalesforceRecord[], externalIdField?: string) {
		let results: SaveResult[] = [];
		const probe = {
			description: fixture.nodeType.description,
			methods: {
				loadOptions: {
					async ingest(this: ILoadOptionsFunctions) {
						const client = await SalesforceClient.for(this);
						results = await bulkIngest(client.conn, operation, 'Lead', records, externalIdField, client);
						return [];
					},
				},
			},
		} as unknown as INodeType;
		await fixture.harness.loadOptions(probe, 'ingest', { resource: 'lead' });
		return results;
	}

	it('reaches Salesforce literally through sObject Collections; the other records go through the Bulk job, results in input order', async () => {
		const records = [
			{ LastName: 'Literal 0', Company: 'Plain Co', External_Id__c: 'Literal-0' },
			{ LastName: '#N/A', Company: 'Literal Co', External_Id__c: 'Literal-1' },
			{ LastName: 'Literal 2', Company: 'Plain Co', External_Id__c: 'Literal-2', Title: null },
			{ LastName: 'Literal 3', Company: '#N/A', External_Id__c: 'Literal-3' },
		];
		const results = await ingest('insert', records);
		expect(results.map((result) => result.success)).toEqual([true, true, true, true]);
		const leadsByExt = stored('Literal');
		records.forEach((record, index) => expect(leadsByExt.get(record.External_Id__c)?.[0].Id).toBe(results[index].id));
		expect(leadsByExt.get('Literal-1')?.[0]).toMatchObject({ LastName: '#N/A' });
		expect(leadsByExt.get('Literal-3')?.[0]).toMatchObject({ Company: '#N/A' });
		expect(callsTo('POST /services/data/v{version}/composite/sobjects')).toBe(1);
		expect(callsTo('POST /services/data/v{version}/jobs/ingest')).toBe(1);

		const updated = await ingest('update', [{ Id: results[0].id, Title: '#N/A' }, { Id: results[2].id, Title: 'Plain' }]);
		expect(updated.map((result) => result.success)).toEqual([true, true]);
		expect(stored('Literal').get('Literal-0')?.[0]).toMatchObject({ Title: '#N/A' });
		expect(stored('Literal').get('Literal-2')?.[0]).toMatchObject({ Title: 'Plain' });
	});

	it('through the node, a literal "#N/A" is never stored as an empty value', async () => {
		const input = leads(6, 'NodeLiteral').map((item, index) => (index % 3 === 1 ? { ...item, last: '#N/A' } : item));
		const result = await fixture.run(createInBulk, input, 'continueRegularOutput');
		expect(result.items).toHaveLength(6);
		const leadsByExt = stored('NodeLiteral');
		result.items.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.error).toBeUndefined();
			expect(leadsByExt.get(`NodeLiteral-${index}`)).toEqual([expect.objectContaining({ Id: item.json.Id, LastName: input[index].last })]);
		});
	});
});

/** The org's ingest jobs, oldest first (GET /jobs/ingest). */
async function fetchJobs(): Promise<Array<{ id: string; state: string }>> {
	const token = (fixture.harness.credentials.oauthTokenData as { access_token: string }).access_token;
	const answer = await fetch(`${fixture.emulator.url}/services/data/v64.0/jobs/ingest`, { headers: { authorization: `Bearer ${token}` } });
	fixture.emulator.requests.reset();
	return ((await answer.json()) as { records: Array<{ id: string; state: string }> }).records;
}
