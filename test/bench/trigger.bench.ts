// Salesforce CRM Trigger figures, through n8n-core's polling path against the emulator: API calls per idle poll,
// and the peak memory of one poll over 100,000 changes with the per-poll cap. The emulator runs in a child process
// so that the heap measured here is the trigger's (n8n-core, jsforce, the cursor), not the emulator's.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET } from '../emulator/index.ts';
import { createHarness, type Harness } from '../integration/harness.ts';

const CHANGES = 100_000;
const trigger = new SalesforceCrmTrigger();

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The emulator as a separate process, driven over HTTP. */
class RemoteEmulator {
	private constructor(
		readonly url: string,
		private readonly child: ChildProcess,
		private readonly token: string,
	) {}

	static async start(): Promise<RemoteEmulator> {
		const cli = fileURLToPath(new URL('../emulator/cli.ts', import.meta.url));
		const child = spawn(process.execPath, ['--max-old-space-size=8192', cli, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
		let output = '';
		child.stdout!.setEncoding('utf8');
		while (!/listening on (\S+)/.test(output)) {
			const [chunk] = (await once(child.stdout!, 'data')) as [string];
			output += chunk;
		}
		const url = /listening on (\S+)/.exec(output)![1];
		const response = await fetch(`${url}/services/oauth2/token`, {
			method: 'POST',
			body: new URLSearchParams({ grant_type: 'client_credentials', client_id: DEFAULT_APP_KEY, client_secret: DEFAULT_APP_SECRET }),
		});
		const { access_token: token } = (await response.json()) as { access_token: string };
		return new RemoteEmulator(url, child, token);
	}

	async counts(): Promise<{ data: number; token: number }> {
		return (await (await fetch(`${this.url}/__emulator/requests`)).json()) as { data: number; token: number };
	}

	async resetCounts(): Promise<void> {
		await fetch(`${this.url}/__emulator/requests`, { method: 'DELETE' });
	}

	/** Creates `count` leads through sObject Collections, 200 a call, a few calls at a time. */
	async insertLeads(count: number, company: string): Promise<void> {
		const calls = Array.from({ length: Math.ceil(count / 200) }, (_, call) => call);
		const post = async (call: number) => {
			const records = Array.from({ length: Math.min(200, count - call * 200) }, (_, index) => ({
				attributes: { type: 'Lead' },
				LastName: `Bench ${call * 200 + index}`,
				Company: company,
			}));
			const response = await fetch(`${this.url}/services/data/v64.0/composite/sobjects`, {
				method: 'POST',
				headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ allOrNone: true, records }),
			});
			if (!response.ok) throw new Error(`insert failed: ${await response.text()}`);
		};
		for (let next = 0; next < calls.length; next += 8) await Promise.all(calls.slice(next, next + 8).map(post));
	}

	stop(): void {
		this.child.kill();
	}
}

async function activate(harness: Harness, parameters: INodeParameters) {
	let staticData: IDataObject = {};
	const poll = async () => {
		const result = await harness.poll({ nodeType: trigger, parameters, staticData });
		staticData = result.staticData;
		return result.items?.[0] ?? [];
	};
	await poll();
	return poll;
}

/** Heap growth while `work` runs, sampled every few milliseconds, over a collected baseline. */
async function peakHeapGrowth<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
	collectGarbage();
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		return { result, peak: peak - baseline };
	} finally {
		clearInterval(sampler);
	}
}

async function idlePolls(emulator: RemoteEmulator, harness: Harness) {
	const poll = await activate(harness, { sobject: 'Lead', event: 'createdOrUpdated' });
	await poll();
	await emulator.resetCounts();
	const rounds = 20;
	for (let round = 0; round < rounds; round++) await poll();
	const { data, token } = await emulator.counts();
	console.log(`  idle poll (all fields, nothing changed): ${data / rounds} API call(s) per poll, ${token} token request(s) in ${rounds} polls`);
}

async function bigBacklog(emulator: RemoteEmulator, harness: Harness, maxRecordsPerPoll: number) {
	const company = `Bench ${maxRecordsPerPoll}`;
	const parameters = { sobject: 'Lead', event: 'created', filters: { where: `Company = '${company}'` }, options: { maxRecordsPerPoll } };
	const poll = await activate(harness, parameters);
	await emulator.insertLeads(CHANGES, company);
	await emulator.resetCounts();
	const started = Date.now();
	const { result: items, peak } = await peakHeapGrowth(poll);
	const elapsed = Date.now() - started;
	const calls = (await emulator.counts()).data;
	console.log(
		`  poll over ${CHANGES.toLocaleString('en')} changes, cap ${maxRecordsPerPoll.toLocaleString('en')}: ${items.length.toLocaleString('en')} items, ${calls} API calls, peak heap growth ${megabytes(peak)}, ${elapsed} ms`,
	);
	let polls = 1;
	let total = items.length;
	await emulator.resetCounts();
	for (let batch = await poll(); batch.length > 0; batch = await poll()) {
		polls++;
		total += batch.length;
	}
	console.log(`    drained: ${total.toLocaleString('en')} items in ${polls} polls (+1 empty), ${(await emulator.counts()).data} API calls after the first poll`);
}

export default async function run(): Promise<void> {
	const emulator = await RemoteEmulator.start();
	try {
		const harness = await createHarness(emulator);
		console.log('Salesforce CRM Trigger');
		await idlePolls(emulator, harness);
		await bigBacklog(emulator, harness, 2000);
		await bigBacklog(emulator, harness, 10_000);
	} finally {
		emulator.stop();
	}
}
