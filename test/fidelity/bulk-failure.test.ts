// A Bulk API 2.0 ingest job that ends Failed part-way, read back with jsforce 3.10.16's bulk2 client. Salesforce
// documents that a failed job's results stay retrievable and that rows it did not reach are "unprocessed", not
// failed ("Bulk API 2.0 and Bulk API Developer Guide": Job States; Get Job Successful Record Results; Get Job Failed
// Record Results; Get Job Unprocessed Record Results; Upload Job Data: "If a job fails, use the successful results,
// failed results, and unprocessed records resources to determine what records ... you need to resubmit"; Upload
// Complete: "You can't add any more job data").
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_BULK_FAILURE_MESSAGE } from '../emulator/faults.ts';
import { API_VERSION, clientCredentialsToken, onConnectedEmulator } from './helpers.ts';
import type { Connection } from 'jsforce';
import type { Emulator } from '../emulator/index.ts';

let emulator: Emulator;
let conn: Connection;

onConnectedEmulator((started) => ({ emulator, conn } = started));
beforeEach(() => emulator.faults.reset());

const rows = (tag: string) => [
	{ LastName: `${tag} 1`, Company: 'Bulk Co' },
	{ LastName: '', Company: 'Bulk Co' },
	{ LastName: `${tag} 3`, Company: 'Bulk Co' },
	{ LastName: `${tag} 4`, Company: 'Bulk Co' },
	{ LastName: `${tag} 5`, Company: 'Bulk Co' },
];
const leadsTagged = (tag: string) => emulator.store.all('Lead').filter((l) => String(l.LastName).startsWith(`${tag} `)).map((l) => l.LastName).sort();

async function runJob(input: Array<Record<string, unknown>>) {
	const job = conn.bulk2.createJob({ object: 'Lead', operation: 'insert' });
	await job.open();
	await job.uploadData(input);
	await job.close();
	const outcome = await job.poll(10, 10_000).then(() => 'complete', (error: Error) => error.message);
	return { job, outcome };
}

describe('failNextBulkJob', () => {
	it('processes the first rows for real, then the job is Failed with the rest unprocessed', async () => {
		emulator.faults.failNextBulkJob({ afterRows: 3, errorMessage: 'InternalServerError : simulated' });
		const { job, outcome } = await runJob(rows('Partial'));
		expect(outcome).toBe('Ingest job failed to complete due to: InternalServerError : simulated');
		expect(job.getInfo()).toMatchObject({ state: 'Failed', errorMessage: 'InternalServerError : simulated', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
		expect(leadsTagged('Partial')).toEqual(['Partial 1', 'Partial 3']);

		const { successfulResults, failedResults, unprocessedRecords } = await job.getAllResults();
		expect(successfulResults.map((r) => [(r as Record<string, unknown>).LastName, r.sf__Created])).toEqual([['Partial 1', 'true'], ['Partial 3', 'true']]);
		expect(failedResults.map((r) => r.sf__Error)).toEqual([expect.stringMatching(/^REQUIRED_FIELD_MISSING:/)]);
		expect(unprocessedRecords).toEqual([{ LastName: 'Partial 4', Company: 'Bulk Co' }, { LastName: 'Partial 5', Company: 'Bulk Co' }]);
	});

	it('fails only the next job, with a default message, and over the HTTP control too', async () => {
		const control = await fetch(`${emulator.url}/__emulator/faults`, {
			method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ failBulkJob: { afterRows: 0 } }),
		});
		expect(control.status).toBe(204);
		const failed = await runJob(rows('None'));
		expect(failed.job.getInfo()).toMatchObject({ state: 'Failed', errorMessage: DEFAULT_BULK_FAILURE_MESSAGE, numberRecordsProcessed: 0 });
		expect(leadsTagged('None')).toEqual([]);
		expect(await failed.job.getUnprocessedRecords()).toHaveLength(5);

		const next = await runJob(rows('After'));
		expect(next.outcome).toBe('complete');
		expect(next.job.getInfo()).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 5, numberRecordsFailed: 1 });
		expect(await next.job.getUnprocessedRecords()).toEqual([]);
	});
});

describe('job states', () => {
	it('an aborted job reports its uploaded rows as unprocessed', async () => {
		const job = conn.bulk2.createJob({ object: 'Lead', operation: 'insert' });
		await job.open();
		await job.uploadData(rows('Aborted'));
		await job.abort();
		expect(await job.getUnprocessedRecords()).toHaveLength(5);
		expect(leadsTagged('Aborted')).toEqual([]);
	});

	it('refuses more data once the upload is complete', async () => {
		const { job } = await runJob(rows('Closed'));
		const token = (await clientCredentialsToken(emulator)).access_token;
		const answer = await fetch(`${emulator.url}/services/data/v${API_VERSION}/jobs/ingest/${job.id}/batches`, {
			method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: 'LastName,Company\nLate 1,Bulk Co\n',
		});
		expect(answer.status).toBe(409);
		expect(await answer.json()).toEqual([{ errorCode: 'INVALIDJOBSTATE', message: 'Job is not in Open state: JobComplete' }]);
		expect(leadsTagged('Late')).toEqual([]);
	});
});
