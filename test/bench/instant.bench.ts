// Salesforce CRM Instant Trigger figures, through n8n-core's trigger path (the harness's activateTrigger) against the
// emulator's Change Data Capture over CometD, the emulator in a child process (support.ts) so that the heap measured
// here is the trigger's: event-to-item latency over 1,000 separate changes, REST calls while idle, and a burst of
// 10,000 changes while the trigger listens; then the polling trigger over the same burst, for comparison.
// Latency runs from each event's publication at its commit (the emulator's publishedAt, in milliseconds, real time
// in both processes) to the trigger's emit of its item: the event bus, the CometD long poll's answer, jsforce, the
// trigger and n8n-core's emit. The event's commitTimestamp cannot serve: like SystemModstamp it has whole seconds only.
// Also printed: from the start of the create call (the client's request and the commit included).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SalesforceCrmInstantTrigger } from '../../nodes/Salesforce/SalesforceCrmInstantTrigger.node.ts';
import { DEFAULT_LOOKBACK_MINUTES } from '../../nodes/Salesforce/trigger/settings.ts';
import { createHarness, waitUntil, type ActiveTrigger, type Harness } from '../integration/harness.ts';
import { activatePolling, megabytes, peakHeapGrowth, RemoteEmulator, type RequestCounts } from './support.ts';

const LATENCY_EVENTS = 1000;
/** Pause after each item of the latency run, so that each change is a separate event meeting a waiting long poll. */
const LATENCY_SPACING_MS = 20;
const IDLE_MS = 5000;
const BURST = 10_000;
/** How long the burst's trigger is watched after its last expected item, for late or duplicate ones. */
const AFTERMATH_MS = 1000;

const trigger = new SalesforceCrmInstantTrigger();
/** Wall-clock time with sub-millisecond precision, comparable with the emulator's publishedAt (same machine). */
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const count = (value: number) => value.toLocaleString('en');

function percentile(values: number[], p: number): string {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(1);
}

/** The requests that were CometD's (handshake, subscribe, long polls), and all other API calls. */
function split(counts: RequestCounts): { cometd: number; rest: number } {
	const cometd = Object.entries(counts.byRoute)
		.filter(([route]) => route.includes('/cometd'))
		.reduce((sum, [, calls]) => sum + calls, 0);
	return { cometd, rest: counts.data - cometd };
}

const eventOf = (item: INodeExecutionData) => item.json.$event as IDataObject;

/** From each change's publication (and from its create call) to the emission of its item, one change at a time. */
async function latency(emulator: RemoteEmulator, harness: Harness): Promise<void> {
	const emittedAt = new Map<string, number>();
	let emitted: () => void = () => undefined;
	const live = await harness.activateTrigger({
		nodeType: trigger,
		parameters: { sobject: 'Lead', events: ['created'] },
		onEmit: (items) => {
			const at = now();
			for (const item of items) emittedAt.set(String(item.json.Id), at);
			emitted();
		},
	});
	const fromCall: number[] = [];
	try {
		for (let n = 0; n < LATENCY_EVENTS; n++) {
			const arrival = new Promise<void>((resolve) => (emitted = resolve));
			const sentAt = now();
			const id = await emulator.createLead(`Latency ${n}`, 'Latency');
			await Promise.race([arrival, pause(10_000)]);
			const at = emittedAt.get(id);
			if (at === undefined) throw new Error(`lead ${id} (change ${n + 1}) was not emitted within 10 s: an event was lost`);
			fromCall.push(at - sentAt);
			await pause(LATENCY_SPACING_MS);
		}
		if (live.items().length !== LATENCY_EVENTS) throw new Error(`${live.items().length} items for ${LATENCY_EVENTS} changes`);
		const published = new Map((await emulator.changeEvents()).map((event) => [event.data.payload.ChangeEventHeader.recordIds[0], event.publishedAt]));
		const fromCommit = [...emittedAt].map(([id, at]) => at - published.get(id)!);
		console.log(
			`  latency over ${count(LATENCY_EVENTS)} changes (one lead created at a time, ${LATENCY_SPACING_MS} ms apart), from the event's publication at commit to the item's emit: median ${percentile(fromCommit, 50)} ms, p99 ${percentile(fromCommit, 99)} ms, max ${percentile(fromCommit, 100)} ms`,
		);
		console.log(`    from the start of the create call: median ${percentile(fromCall, 50)} ms, p99 ${percentile(fromCall, 99)} ms, max ${percentile(fromCall, 100)} ms`);
		await idle(emulator, live);
	} finally {
		await live.close();
	}
}

async function idle(emulator: RemoteEmulator, live: ActiveTrigger): Promise<void> {
	await emulator.resetCounts();
	await pause(IDLE_MS);
	const counts = await emulator.counts();
	const { cometd, rest } = split(counts);
	if (live.errors.length > 0) throw live.errors[0];
	console.log(`  idle, listening ${IDLE_MS / 1000} s: ${rest} REST API calls, ${counts.token} token requests, ${cometd} CometD requests`);
}

/** 10,000 leads created through sObject Collections while the trigger listens (and the polling trigger is active). */
async function burst(emulator: RemoteEmulator, harness: Harness): Promise<void> {
	const company = 'Burst';
	const poll = await activatePolling(harness, { sobject: 'Lead', event: 'created', filters: { where: `Company = '${company}'` } });
	const times = new Map<string, number>();
	let items = 0;
	let emissions = 0;
	let lastEmitAt = 0;
	let otherItems = 0;
	const live: ActiveTrigger = await harness.activateTrigger({
		nodeType: trigger,
		parameters: { sobject: 'Lead', events: ['created'] },
		onEmit: (emitted) => {
			emissions++;
			lastEmitAt = now();
			for (const item of emitted) {
				if (eventOf(item).type === 'created') times.set(String(item.json.Id), (times.get(String(item.json.Id)) ?? 0) + 1);
				else otherItems++;
			}
			items += emitted.length;
			// Handed over to n8n's executions: what stays on the heap is the trigger's.
			live.emissions.splice(0);
		},
	});
	try {
		await emulator.resetCounts();
		const startedAt = now();
		let createdAt = 0;
		const { result: ids, peak, retained } = await peakHeapGrowth(async () => {
			const created = await emulator.insertLeads(BURST, company);
			createdAt = now();
			await waitUntil(() => (items >= BURST || live.errors.length > 0 ? true : undefined), 60_000, `${count(BURST)} items`);
			return created;
		});
		await pause(AFTERMATH_MS);
		if (live.errors.length > 0) throw live.errors[0];
		const lost = ids.filter((id) => !times.has(id));
		const repeated = [...times].filter(([, seen]) => seen > 1);
		const burstIds = new Set(ids);
		const foreign = [...times.keys()].filter((id) => !burstIds.has(id));
		if (items !== BURST || lost.length || repeated.length || foreign.length || otherItems) {
			throw new Error(
				`burst of ${count(BURST)} changes: ${count(items)} items, ${lost.length} lost (${lost.slice(0, 3).join(', ')}), ${repeated.length} repeated, ${foreign.length + otherItems} not of the burst`,
			);
		}
		const { cometd, rest } = split(await emulator.counts());
		const calls = Math.ceil(BURST / 200);
		console.log(
			`  burst of ${count(BURST)} leads (${calls} Collections calls, 8 at a time) while listening: ${count(items)} items (each lead once), ${emissions} emissions (executions), peak heap growth ${megabytes(peak)}, ${megabytes(retained)} left once drained and collected (the bench's ID checks included)`,
		);
		console.log(
			`    last item ${(lastEmitAt - startedAt).toFixed(0)} ms after the first create call, ${(lastEmitAt - createdAt).toFixed(0)} ms after the last one returned; ${rest - calls} REST API calls by the trigger, ${cometd} CometD requests`,
		);
	} finally {
		await live.close();
	}
	await pollingBurst(emulator, poll, company);
}

/**
 * The polling trigger, activated before the same burst, polled until it has emitted it all; then idle while the burst
 * settles, and ten minutes later (one new lead shows the trigger Salesforce's clock moved on) the one re-read of it.
 */
async function pollingBurst(emulator: RemoteEmulator, poll: () => Promise<INodeExecutionData[]>, company: string): Promise<void> {
	let items = 0;
	let polls = 0;
	let peakPerPoll = 0;
	await emulator.resetCounts();
	for (;;) {
		const { result, peak } = await peakHeapGrowth(poll);
		peakPerPoll = Math.max(peakPerPoll, peak);
		if (result.length === 0) break;
		items += result.length;
		polls++;
	}
	const burstCalls = split(await emulator.counts()).rest;
	if (items !== BURST) throw new Error(`polling trigger: ${count(items)} items for a burst of ${count(BURST)}`);
	/** The next poll's items and API calls. */
	const measured = async () => {
		await emulator.resetCounts();
		const result = await poll();
		return { items: result.length, calls: split(await emulator.counts()).rest };
	};
	const settling = [await measured(), await measured()];
	await emulator.advanceClock(DEFAULT_LOOKBACK_MINUTES * 60_000);
	await emulator.createLead('After the burst', company);
	const settled = [await measured(), await measured(), await measured()];
	if (settling.some((poll) => poll.items > 0) || settled.map((poll) => poll.items).join() !== '1,0,0') {
		throw new Error(`polling trigger after the burst: ${JSON.stringify({ settling, settled })}`);
	}
	console.log(
		`  polling trigger, same burst (default 2,000 per poll): ${count(items)} items in ${polls} polls (+1 empty), ${burstCalls} API calls, peak heap growth ${megabytes(peakPerPoll)} per poll`,
	);
	console.log(
		`    a change waits for the next poll (n8n polls once a minute at most); the next polls while the burst is inside the 10-minute lookback window: ${settling.map((poll) => poll.calls).join(', ')} API calls (it is not re-read)`,
	);
	console.log(
		`    10 minutes on, the next polls: ${settled[0].calls} (reads a new lead), ${settled[1].calls} (re-reads the settled burst once, for late commits), ${settled[2].calls} API calls`,
	);
}

export default async function run(): Promise<void> {
	const emulator = await RemoteEmulator.start();
	try {
		const harness = await createHarness(emulator);
		console.log('Salesforce CRM Instant Trigger');
		await latency(emulator, harness);
		await burst(emulator, harness);
	} finally {
		emulator.stop();
	}
}
