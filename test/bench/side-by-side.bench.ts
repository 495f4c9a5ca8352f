// n8n's built-in Salesforce node (n8n-nodes-base.salesforce, unmodified) and ours, side by side in one running
// n8n 2.41.1 against the emulator at 0 and 50 ms latency: create, update, upsert and delete 1,000 leads, get 1 lead,
// get many (500 rows) and upsert 10,000 leads. Each case is a workflow started by a production webhook (Webhook →
// Rows (Code) → the Salesforce node), so one n8n process serves every run and keeps its warm caches (token,
// describe) the way a user's running n8n does; the package is packed and installed into n8n's nodes folder like a
// community package (test/e2e/support.ts).
//
// Per case and node, the median of RUNS runs (reads: RUNS × READ_REPEATS) of:
// - node time: the Salesforce node's executionTime in the execution n8n saved (its runData);
// - wall: that execution's startedAt → stoppedAt (webhook, the Rows Code node in n8n's task runner, bookkeeping);
// - API calls and token calls: the emulator's request log during the webhook call;
// - peak RSS of the n8n main process during the case (where both nodes run; the task runner is a child process and
//   not counted), with its growth over the RSS at the case's start (support.ts, peakRss);
// - floor: the fewest calls Salesforce needs for the case × the latency, and node time / floor.
// The built-in node sends one request per item: its 1,000-item cases at 50 ms latency and its 10,000-item upsert
// at 0 ms run once, its 10,000-item upsert at 50 ms not at all (≈10 minutes). Nothing here asserts a time; a failed execution or an unexpected
// item count is printed loudly with n8n's error.
import { cpus, loadavg } from 'node:os';

import { parse } from 'flatted';

import { startEmulator, type Emulator, type RequestCounts } from '../emulator/index.ts';
import {
	BUILTIN_CREDENTIAL_TYPE,
	BUILTIN_NODE_TYPE,
	N8nRest,
	NODE_TYPE,
	PACKAGE_NAME,
	ROWS_NODE,
	appCredential,
	builtinCredential,
	callWebhook,
	importCredentials,
	importWorkflows,
	installedFootprint,
	preparedUserFolder,
	startN8n,
	webhookWorkflow,
} from '../e2e/support.ts';
import { megabytes, peakRss } from './support.ts';

const RUNS = 3;
/** Reads take tens of milliseconds, where a few of noise matter: each pass reads this many times. */
const READ_REPEATS = 5;
const LATENCIES = [0, 50];
const BATCH = 1000;
const BULK = 10_000;
const READ_ROWS = 500;
/** Records per sObject Collections call, and the calls of one Bulk API 2.0 ingest job without its polling waits. */
const COLLECTION_SIZE = 200;
const BULK_JOB_CALLS = 6;

const OUR_CREDENTIAL = 'benchSbsOurs0001';
const BUILTIN_CREDENTIAL = 'benchSbsBuilt001';
const READ_COMPANY = 'Bench Read Co';
const WRITE_COMPANY = 'Bench Write Co';
const READ_FIELDS = ['FirstName', 'LastName', 'Company', 'Email', 'City', 'Status'];

type Side = 'builtin' | 'ours';
const SIDES: Side[] = ['builtin', 'ours'];
const SIDE_LABEL: Record<Side, string> = { builtin: 'built-in', ours: 'ours' };
type Node = Parameters<typeof webhookWorkflow>[2][number];
type Row = Record<string, unknown>;

/** The built-in node, its newest version (what a new workflow gets); its credential is added with the workflow. */
const builtin = (operation: string, parameters: Row): Node => ({
	name: 'Node',
	type: BUILTIN_NODE_TYPE,
	typeVersion: 1.1,
	parameters: { authentication: 'oAuth2', resource: 'lead', operation, ...parameters },
	credentials: { [BUILTIN_CREDENTIAL_TYPE]: { id: BUILTIN_CREDENTIAL, name: `Built-in Salesforce ${BUILTIN_CREDENTIAL}` } },
});
/** Ours, node version 3 (what a new workflow gets). */
const ours = (operation: string, parameters: Row): Node => ({ name: 'Node', type: NODE_TYPE, typeVersion: 3, parameters: { resource: 'lead', operation, ...parameters } });
const fromRow = (...fields: string[]) => Object.fromEntries(fields.map((field) => [field, `={{ $json.${field} }}`]));
const mapped = (value: Row) => ({ columns: { mappingMode: 'defineBelow', value, matchingColumns: [], schema: [] } });
/** Map Automatically: the node takes each item's fields as they are, with no expression to evaluate per item. */
const autoMapped = (...fields: string[]) => ({
	columns: {
		mappingMode: 'autoMapInputData',
		value: {},
		matchingColumns: [],
		schema: fields.map((id) => ({ id, displayName: id, required: false, defaultMatch: false, display: true, type: 'string', canBeUsedToMatch: false })),
	},
});
const byId = { recordId: { __rl: true, mode: 'id', value: '={{ $json.Id }}' } };
const builtinLead = {
	lastname: '={{ $json.LastName }}',
	company: '={{ $json.Company }}',
	additionalFields: { customFieldsUi: { customFieldsValues: [{ fieldId: 'External_Id__c', value: '={{ $json.External_Id__c }}' }] } },
};

/** A case: each side's node, the items it must return, and the fewest calls Salesforce needs for it. */
interface Case {
	label: string;
	nodes: Record<Side, Node>;
	items: number;
	minimumCalls: number;
	floorNote: string;
}
const collectionCalls = Math.ceil(BATCH / COLLECTION_SIZE);
const CASES = {
	create: {
		label: `create ${BATCH.toLocaleString('en')}`,
		nodes: { builtin: builtin('create', builtinLead), ours: ours('create', mapped(fromRow('LastName', 'Company', 'External_Id__c'))) },
		items: BATCH,
		minimumCalls: collectionCalls,
		floorNote: `${collectionCalls} Collections calls`,
	},
	createAuto: {
		label: `create ${BATCH.toLocaleString('en')}, mapped automatically`,
		nodes: { builtin: builtin('create', builtinLead), ours: ours('create', autoMapped('LastName', 'Company', 'External_Id__c')) },
		items: BATCH,
		minimumCalls: collectionCalls,
		floorNote: `${collectionCalls} Collections calls`,
	},
	update: {
		label: `update ${BATCH.toLocaleString('en')}`,
		nodes: {
			builtin: builtin('update', { leadId: '={{ $json.Id }}', updateFields: { title: '={{ $json.Title }}' } }),
			ours: ours('update', { ...byId, ...mapped(fromRow('Title')) }),
		},
		items: BATCH,
		minimumCalls: collectionCalls,
		floorNote: `${collectionCalls} Collections calls`,
	},
	upsert: {
		label: `upsert ${BATCH.toLocaleString('en')} (½ new)`,
		nodes: {
			builtin: builtin('upsert', { externalId: 'External_Id__c', externalIdValue: '={{ $json.External_Id__c }}', lastname: builtinLead.lastname, company: builtinLead.company }),
			ours: ours('upsert', { externalIdField: 'External_Id__c', ...mapped(fromRow('LastName', 'Company', 'External_Id__c')) }),
		},
		items: BATCH,
		minimumCalls: collectionCalls,
		floorNote: `${collectionCalls} Collections calls`,
	},
	delete: {
		label: `delete ${BATCH.toLocaleString('en')}`,
		nodes: { builtin: builtin('delete', { leadId: '={{ $json.Id }}' }), ours: ours('delete', byId) },
		items: BATCH,
		minimumCalls: collectionCalls,
		floorNote: `${collectionCalls} Collections calls`,
	},
	get: {
		label: 'get 1',
		nodes: { builtin: builtin('get', { leadId: '={{ $json.Id }}' }), ours: ours('get', byId) },
		items: 1,
		minimumCalls: 1,
		floorNote: '1 call',
	},
	getMany: {
		label: `get many (${READ_ROWS} rows)`,
		nodes: {
			builtin: builtin('getAll', {
				returnAll: true,
				options: { fields: ['Id', ...READ_FIELDS].join(','), conditionsUi: { conditionValues: [{ field: 'Company', operation: 'equal', value: READ_COMPANY }] } },
			}),
			ours: ours('getAll', {
				queryMode: 'build',
				filterGroups: { groups: [{ combinator: 'AND', conditions: { condition: [{ field: 'Company', operator: 'equal', value: READ_COMPANY }] } }] },
				fieldSet: 'selected',
				fields: READ_FIELDS,
				returnAll: true,
			}),
		},
		items: READ_ROWS,
		minimumCalls: 1,
		floorNote: '1 query page',
	},
	bulkUpsert: {
		label: `upsert ${BULK.toLocaleString('en')} (new)`,
		nodes: {
			builtin: builtin('upsert', { externalId: 'External_Id__c', externalIdValue: '={{ $json.External_Id__c }}', lastname: builtinLead.lastname, company: builtinLead.company }),
			ours: ours('upsert', { externalIdField: 'External_Id__c', ...mapped(fromRow('LastName', 'Company', 'External_Id__c')) }),
		},
		items: BULK,
		minimumCalls: BULK_JOB_CALLS,
		floorNote: `1 Bulk API 2.0 job: ${BULK_JOB_CALLS} calls (create, upload, close, 1 status, successful and failed results), no polling wait, no processing time`,
	},
} satisfies Record<string, Case>;
type CaseKey = keyof typeof CASES;
const CASE_KEYS = Object.keys(CASES) as CaseKey[];

/** Why a side does not run a case at a latency; undefined: it does. */
function skipped(key: CaseKey, side: Side, latency: number): string | undefined {
	if (key === 'createAuto' && side === 'builtin') return 'not applicable: the built-in node has no automatic mapping';
	if (key !== 'bulkUpsert' || side !== 'builtin' || latency === 0) return undefined;
	return `not run: one request per item, ${BULK.toLocaleString('en')} × ≥${latency} ms ≈ ${Math.round((BULK * (latency + 10)) / 60_000)} min`;
}
/**
 * How many runs a side gets: the built-in node's one request per item makes its 1,000-item cases at 50 ms latency
 * and its 10,000-item upsert take a minute or more each, so they run once.
 */
const runsOf = (key: CaseKey, side: Side, latency: number) =>
	side === 'builtin' && (key === 'bulkUpsert' || (latency > 0 && CASES[key].items >= BATCH)) ? 1 : RUNS;

const workflowId = (key: CaseKey, side: Side) => `benchSbs${side === 'builtin' ? 'B' : 'O'}${String(CASE_KEYS.indexOf(key)).padStart(7, '0')}`;
const webhookPath = (key: CaseKey, side: Side) => `bench-side-by-side-${key}-${side}`;

interface Sample {
	nodeMs: number;
	wallMs: number;
	data: number;
	token: number;
	describes: number;
	rssPeak: number;
	rssGrowth: number;
}

interface SavedExecution {
	id: string;
	status: string;
	startedAt: string;
	stoppedAt?: string;
	data: string;
}
interface RunData {
	resultData: {
		error?: { message?: string; description?: string };
		runData: Record<string, Array<{ executionTime: number; error?: { message?: string; description?: string }; data?: { main?: unknown[][] } }>>;
	};
}

const FINAL_STATUSES = new Set(['success', 'error', 'crashed', 'canceled']);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Bench {
	private lastExecution = 0;
	readonly samples = new Map<string, Sample[]>();
	readonly failures: string[] = [];
	readonly notes: string[] = [];

	constructor(
		private readonly emulator: Emulator,
		private readonly n8n: Awaited<ReturnType<typeof startN8n>>,
		private readonly rest: N8nRest,
	) {}

	/**
	 * Runs a case on one side with `rows`; records its sample unless `record` is false. Returns the JSON items the
	 * node returned (through the webhook), or undefined when the execution failed or returned another item count.
	 */
	async run(key: CaseKey, side: Side, latency: number, rows: Row[], { record = true, items = CASES[key].items } = {}): Promise<Row[] | undefined> {
		await this.ready();
		const logged = this.n8n.logs().length;
		this.emulator.requests.reset();
		const { result: response, start, peak } = await peakRss(this.n8n.pid!, async () => await callWebhook(this.n8n.url, webhookPath(key, side), { rows }));
		const calls = this.emulator.requests.counts();
		// Without a 200 the execution may never have started: a short look for it.
		const execution = await this.savedExecution(workflowId(key, side), response.status === 200 ? 60_000 : 2000);
		const run = (execution ? parse(execution.data) : { resultData: { runData: {} } }) as RunData;
		const task = run.resultData.runData.Node?.[0];
		const returned = task?.data?.main?.[0]?.length ?? 0;
		const what = `${CASES[key].label}, ${SIDE_LABEL[side]}, ${latency} ms latency${record ? '' : ' (warm-up)'}`;
		const pingFailures = this.n8n.logs().slice(logged).match(/Database ping failed.*/g) ?? [];
		if (pingFailures.length) {
			const note = `!!! ${what}: n8n's database ping failed (no answer within 5 s: its event loop or SQLite was blocked): ${pingFailures.join('; ')}`;
			console.error(`\n${note}\n`);
			this.notes.push(note);
		}
		if (!execution || execution.status !== 'success' || returned !== items || response.status !== 200) {
			const error = task?.error ?? run.resultData.error;
			const failure = [
				`!!! ${what}: ${execution ? `execution ${execution.id} ${execution.status}` : 'no execution saved'}, ${returned} items where ${items} were expected, webhook HTTP ${response.status}`,
				`!!! n8n's error: ${error ? `${error.message}${error.description ? ` — ${error.description}` : ''}` : 'none'}`,
				`!!! API calls ${calls.data}, token calls ${calls.token}, routes ${JSON.stringify(calls.byAnswer)}`,
				...(response.status === 200 ? [] : [`!!! webhook answer: ${response.text.slice(0, 500)}`]),
			].join('\n');
			console.error(`\n${failure}\n`);
			this.failures.push(failure);
			return undefined;
		}
		if (record) {
			const samples = this.samples.get(sampleKey(key, side, latency)) ?? [];
			samples.push({
				nodeMs: task!.executionTime,
				wallMs: Date.parse(execution.stoppedAt!) - Date.parse(execution.startedAt),
				data: calls.data,
				token: calls.token,
				describes: describesOf(calls),
				rssPeak: peak,
				rssGrowth: peak - start,
			});
			this.samples.set(sampleKey(key, side, latency), samples);
		}
		return response.items;
	}

	/**
	 * n8n answers 503 "Database is not ready!" after a failed database ping until the next one succeeds (2 s later):
	 * each case starts once n8n is ready again.
	 */
	private async ready(): Promise<void> {
		for (let waited = 0; waited < 60_000; waited += 100) {
			if ((await fetch(`${this.n8n.url}/healthz/readiness`)).ok) return;
			await pause(100);
		}
		throw new Error(`n8n not ready for 60 s\n${this.n8n.logs().slice(-3000)}`);
	}

	/** A call of n8n's REST API, again once n8n is ready when it answered 503 (a failed database ping). */
	private async whenReady<T>(call: () => Promise<T>): Promise<T> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await call();
			} catch (error) {
				if (attempt === 10 || !/→ 503/.test(String(error))) throw error;
				await this.ready();
			}
		}
	}

	/** The workflow's newest execution once n8n has saved it finished (after the webhook answered), if within `patienceMs`. */
	private async savedExecution(workflow: string, patienceMs: number): Promise<SavedExecution | undefined> {
		for (let waited = 0; waited < patienceMs; waited += 20) {
			const executions = (await this.whenReady(() => this.rest.newestExecutions(workflow, 5))) as Array<{ id: string; status: string }>;
			const newest = executions.filter((e) => Number(e.id) > this.lastExecution).sort((a, b) => Number(b.id) - Number(a.id))[0];
			if (newest && FINAL_STATUSES.has(newest.status)) {
				this.lastExecution = Number(newest.id);
				return (await this.whenReady(() => this.rest.request('GET', `/rest/executions/${newest.id}`))) as SavedExecution;
			}
			await pause(20);
		}
		return undefined;
	}
}

/** A change in memory with its sign: +3.0 MB, −0.2 MB. */
const signed = (bytes: number) => `${bytes < 0 ? '−' : '+'}${megabytes(Math.abs(bytes))}`;

const sampleKey = (key: CaseKey, side: Side, latency: number) => `${key} ${side} ${latency}`;
const describesOf = (calls: RequestCounts) =>
	Object.entries(calls.byRoute)
		.filter(([route]) => route.includes('/describe'))
		.reduce((sum, [, n]) => sum + n, 0);

const median = (values: number[]) => {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const duration = (ms: number) => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`);
/** A count over the runs: the median, with the range when the runs differ. */
const countOf = (values: number[]) => {
	const [min, max] = [Math.min(...values), Math.max(...values)];
	return min === max ? min.toLocaleString('en') : `${median(values).toLocaleString('en')} (${min}–${max})`;
};

/** `count` new leads, named and keyed by `tag` (each side and run writes its own). */
const leads = (tag: string, count: number, from = 0): Row[] =>
	Array.from({ length: count }, (_, n) => ({ LastName: `${tag} ${from + n}`, Company: WRITE_COMPANY, External_Id__c: `${tag}-${from + n}` }));

/** The leads Get and Get Many read: READ_ROWS leads of one company, inserted into the emulator directly. */
function seedReadLeads(emulator: Emulator): string[] {
	return Array.from({ length: READ_ROWS }, (_, n) =>
		String(emulator.store.insert('Lead', { FirstName: `Reader${n}`, LastName: `Read ${n}`, Company: READ_COMPANY, Email: `read${n}@example.com`, City: 'Lyon' }).Id),
	);
}

interface PassOptions {
	/** Items of the 1,000-item cases; 0 leaves them out. */
	size: number;
	/** The lead Get reads. */
	readId: string;
	/** False for the warm-up: checked, not measured. */
	record: boolean;
}

/**
 * One pass over the cases on one side: create, update, upsert (half of them existing), delete, get, get many. The
 * leads the upsert created go to the Recycle Bin afterwards (unmeasured, in the emulator's store), so that every
 * pass meets the same live leads: the emulator answers a SOQL query by reading each live row.
 */
async function pass(bench: Bench, emulator: Emulator, side: Side, latency: number, tag: string, { size, readId, record }: PassOptions) {
	if (size > 0) {
		const created = leads(tag, size);
		const ids = (await bench.run('create', side, latency, created, { record, items: size }))?.map(idOf);
		if (!skipped('createAuto', side, latency)) {
			const autoCreated = await bench.run('createAuto', side, latency, leads(`${tag} Auto`, size), { record, items: size });
			for (const item of autoCreated ?? []) emulator.store.delete('Lead', idOf(item));
		}
		if (ids) {
			await bench.run('update', side, latency, ids.map((Id, n) => ({ Id, Title: `Title ${n}` })), { record, items: size });
			const upserted = await bench.run('upsert', side, latency, [...created.slice(size / 2), ...leads(tag, size / 2, size)], { record, items: size });
			await bench.run('delete', side, latency, ids.map((Id) => ({ Id })), { record, items: size });
			for (const item of upserted?.slice(size / 2) ?? []) emulator.store.delete('Lead', idOf(item));
		}
	}
	for (let repeat = 0; repeat < READ_REPEATS; repeat++) {
		await bench.run('get', side, latency, [{ Id: readId }], { record });
		await bench.run('getMany', side, latency, [{}], { record });
	}
}

/** The record ID in an item: the built-in node returns Salesforce's `{ id, success, … }`, ours the record with `Id`. */
const idOf = (item: Row) => String(item.Id ?? item.id);

function printTable(bench: Bench): void {
	const header = ['case', 'latency', 'node', 'runs', 'node time', 'wall', 'API calls', 'token calls', 'peak RSS (growth)', 'floor', 'node time / floor'];
	const lines = [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
	for (const latency of LATENCIES) {
		for (const key of CASE_KEYS) {
			const { label, minimumCalls } = CASES[key];
			const floor = minimumCalls * latency;
			for (const side of SIDES) {
				const samples = bench.samples.get(sampleKey(key, side, latency)) ?? [];
				const reason = skipped(key, side, latency);
				const cells = (() => {
					if (reason) return [reason, '', '', '', '', ''];
					if (samples.length === 0) return ['FAILED (see above)', '', '', '', '', ''];
					const describes = median(samples.map((s) => s.describes));
					const nodeMs = median(samples.map((s) => s.nodeMs));
					return [
						duration(nodeMs),
						duration(median(samples.map((s) => s.wallMs))),
						`${countOf(samples.map((s) => s.data))}${describes ? ` (${describes} describe)` : ''}`,
						countOf(samples.map((s) => s.token)),
						`${megabytes(median(samples.map((s) => s.rssPeak)))} (${signed(median(samples.map((s) => s.rssGrowth)))})`,
						floor ? `${duration(floor)}` : '—',
						floor ? `${(nodeMs / floor).toFixed(1)}×` : '—',
					];
				})();
				const runs = reason ? '0' : `${samples.length}`;
				lines.push(`| ${[label, `${latency} ms`, SIDE_LABEL[side], runs, ...cells].join(' | ')} |`);
			}
		}
	}
	console.log(lines.join('\n'));
	console.log('\nFloors (fewest calls Salesforce needs × latency):');
	for (const key of CASE_KEYS) console.log(`  ${CASES[key].label}: ${CASES[key].floorNote}`);
}

export default async function sideBySide(): Promise<void> {
	const began = Date.now();
	const emulator = await startEmulator({ port: 0 });
	const folder = await preparedUserFolder('n8n-bench-side-');
	let n8n: Awaited<ReturnType<typeof startN8n>> | undefined;
	try {
		const readIds = seedReadLeads(emulator);
		const credential = await builtinCredential(BUILTIN_CREDENTIAL, emulator.url);
		await importCredentials(folder.userFolder, [credential, appCredential(OUR_CREDENTIAL, emulator.url)]);
		const workflows = CASE_KEYS.flatMap((key) =>
			SIDES.map((side) => webhookWorkflow(workflowId(key, side), webhookPath(key, side), [ROWS_NODE, CASES[key].nodes[side]], { id: OUR_CREDENTIAL })),
		);
		await importWorkflows(folder.userFolder, workflows);
		n8n = await startN8n({ userFolder: folder.userFolder });
		const rest = new N8nRest(n8n.url);
		await rest.ensureOwner();
		for (const workflow of workflows) await rest.activateWorkflow(workflow.id);
		const installed = installedFootprint(folder.userFolder);

		const bench = new Bench(emulator, n8n, rest);
		const cpu = cpus();
		console.log(
			`\nThe built-in Salesforce node and ours side by side in one running n8n 2.41.1 (webhook workflows), against the emulator; expression engine ${process.env.N8N_EXPRESSION_ENGINE ?? 'vm (n8n\'s default)'} (N8N_EXPRESSION_ENGINE); ${cpu.length} cores (${cpu[0]?.model.trim()}), load average ${loadavg()[0].toFixed(1)} at the start, ${new Date().toISOString().slice(0, 10)}.`,
		);
		// Warm-up: every workflow once with a few items (n8n loads the nodes, ours fetches its token and describes
		// Lead, shared with later executions); not measured.
		for (const side of SIDES) {
			await pass(bench, emulator, side, 0, `Warm ${side}`, { size: 2, readId: readIds[0], record: false });
			await bench.run('bulkUpsert', side, 0, leads(`Warm ${side} Bulk`, 2), { record: false, items: 2 });
		}
		for (const latency of LATENCIES) {
			emulator.faults.setLatency(latency);
			for (let run = 1; run <= RUNS; run++) {
				for (const side of SIDES) {
					const size = run <= runsOf('create', side, latency) ? BATCH : 0;
					await pass(bench, emulator, side, latency, `Bench ${side} ${latency} ${run}`, { size, readId: readIds[run], record: true });
				}
			}
		}
		// The 10,000-lead upserts last: the leads they create stay, and no other case reads past them.
		for (const latency of LATENCIES) {
			emulator.faults.setLatency(latency);
			for (let run = 1; run <= RUNS; run++) {
				for (const side of SIDES.filter((s) => !skipped('bulkUpsert', s, latency) && run <= runsOf('bulkUpsert', s, latency))) {
					await bench.run('bulkUpsert', side, latency, leads(`Bench ${side} ${latency} ${run} Bulk`, BULK));
				}
			}
		}
		emulator.faults.setLatency(0);

		console.log(`\nMedian of ${RUNS} runs (get 1 and get many: ${RUNS * READ_REPEATS}; the built-in node's 1,000-item cases at 50 ms and its 10,000-item upsert: 1 run). Node time: the Salesforce node's executionTime in the saved execution; wall: the execution's startedAt → stoppedAt.`);
		console.log('API calls and token calls: the emulator\'s request log. Peak RSS: the n8n main process (both nodes run in it; Code nodes run in its task runner, not counted), growth over its RSS at the case\'s start.\n');
		printTable(bench);
		console.log(`\nInstalled footprint: npm install of the packed ${PACKAGE_NAME} into n8n's nodes folder (as n8n installs a community package): ${megabytes(installed.diskBytes)} on disk, ${installed.packages.length} package(s): ${installed.packages.join(', ')}.`);
		for (const note of bench.notes) console.error(note);
		if (bench.failures.length) console.error(`\n!!! ${bench.failures.length} execution(s) failed or returned an unexpected item count: see the !!! lines above.`);
		console.log(`Side-by-side bench: ${Math.round((Date.now() - began) / 1000)} s.`);
	} finally {
		await n8n?.stop();
		await emulator.close();
		folder.cleanup();
	}
}
