// The package in n8n's queue mode: Postgres, Redis, an n8n main and workers, the emulator at 50 ms latency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { NODE_TYPE, appCredential, callWebhook, packageHasNodes, webhookWorkflow } from '../e2e/support.ts';
import { QueueMode } from './cluster.ts';
import { missingServices, startPostgres, startRedis, type Postgres, type Redis } from './services.ts';

const CREDENTIAL = 'scaleCredential1';
const missing = missingServices();

const splitRows = { name: 'Rows', type: 'n8n-nodes-base.splitOut', typeVersion: 1, parameters: { fieldToSplitOut: 'body.rows', include: 'noOtherFields' } };
const createLeads = {
	name: 'Create Leads',
	type: NODE_TYPE,
	typeVersion: 2,
	parameters: { resource: 'lead', operation: 'create', dataMode: 'json', recordJson: '={{ JSON.stringify($json) }}' },
};

let emulator: Emulator;
let postgres: Postgres;
let redis: Redis;
let cluster: QueueMode;

describe.runIf(packageHasNodes && missing.length === 0)('queue mode', () => {
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0, latencyMs: 50 });
		postgres = await startPostgres();
		redis = await startRedis();
		cluster = await QueueMode.start({
			postgres,
			redis,
			workers: 1,
			concurrency: 5,
			credentials: [appCredential(CREDENTIAL, emulator.url)],
			workflows: [webhookWorkflow('scaleCreate00001', 'scale-create', [splitRows, createLeads], { id: CREDENTIAL })],
			publish: ['scaleCreate00001'],
		});
	});

	afterAll(async () => {
		await cluster?.stop();
		await redis?.stop();
		await postgres?.stop();
		await emulator?.close();
	});

	it('runs a webhook execution of the node on a worker', async () => {
		const rows = [1, 2, 3].map((n) => ({ LastName: `Queue ${n}`, Company: 'Queue Co', External_Id__c: `queue-${n}` }));
		const response = await callWebhook(cluster.main.url, 'scale-create', { rows });
		expect(response.status, `${response.text}\n${cluster.logs()}`).toBe(200);
		expect(response.items.map((i) => i.External_Id__c)).toEqual(rows.map((r) => r.External_Id__c));
		const leads = emulator.store.all('Lead').filter((l) => String(l.External_Id__c).startsWith('queue-'));
		expect(leads).toHaveLength(3);
		expect(cluster.workers[0]!.logs()).toMatch(/Worker started execution/i);
	});
});

if (missing.length > 0) {
	describe('queue mode', () => {
		it.skip(`needs ${missing.join(', ')}`, () => {});
	});
}
