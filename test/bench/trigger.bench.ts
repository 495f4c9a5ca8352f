// Salesforce CRM Trigger figures, through n8n-core's polling path against the emulator: API calls per idle poll,
// and the peak memory of one poll over 100,000 changes with the per-poll cap. The emulator runs in a child process
// (support.ts) so that the heap measured here is the trigger's (n8n-core, jsforce, the cursor), not the emulator's.
import { createHarness, type Harness } from '../integration/harness.ts';
import { activatePolling, megabytes, peakHeapGrowth, RemoteEmulator } from './support.ts';

const CHANGES = 100_000;

async function idlePolls(emulator: RemoteEmulator, harness: Harness) {
	const poll = await activatePolling(harness, { sobject: 'Lead', event: 'createdOrUpdated' });
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
	const poll = await activatePolling(harness, parameters);
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
