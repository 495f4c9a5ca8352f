// The package in n8n's queue mode, on real components: PostgreSQL, Redis, an n8n main (webhooks, the polling trigger)
// and two workers (`n8n worker`), each process with the package installed in its own folder, against the emulator at
// 50 ms latency. Production executions start the way users start them, through webhooks: 20 at once, each carrying a
// batch of leads, created (even batches) or upserted by External ID (odd ones), then updated, then deleted. Faults
// during the run: the token expires while both workers run executions; one worker is killed (SIGKILL, with its task
// runner) mid-run and started again; Redis, which persists nothing, restarts once while updates run. The client does
// what the README tells users to do with executions n8n lost: upserts and updates are sent again, creates only for
// the records a lookup (Get Many through n8n) does not find.
//
// SCALE_ITEMS sets the items per execution: 500 by default, the issue's workload (10,000 records, 4–5 minutes with
// the setup); SCALE_ITEMS=100 runs 2,000 records in about 4. Figures are printed at the end.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startEmulator, type Emulator } from '../emulator/index.ts';
import { appCredential } from '../e2e/support.ts';
import { QueueMode, type ExecutionSummary } from './cluster.ts';
import { missingServices, startPostgres, startRedis, type Postgres, type Redis } from './services.ts';
import {
	OPERATIONS,
	execute,
	findLeads,
	newLeads,
	triggerWorkflow,
	workflowId,
	workloadWorkflows,
	type Answer,
	type Operation,
	type Row,
} from './workload.ts';

const ITEMS = Number(process.env.SCALE_ITEMS || 500);
const EXECUTIONS = 20;
const WORKERS = 2;
const CONCURRENCY = 5;
const RECORDS = EXECUTIONS * ITEMS;
const CREDENTIAL = 'scaleCredential1';
const TRIGGERS = { changes: 'scaleTriggerChng', deleted: 'scaleTriggerDele' };
const missing = missingServices();

/** An event the trigger workflows posted to the sink. */
interface Emitted {
	Id: string;
	key: string;
	type: 'created' | 'updated' | 'deleted';
	at: string;
}

let emulator: Emulator;
let postgres: Postgres;
let redis: Redis;
let cluster: QueueMode;
let sink: Server;
const emitted: Emitted[] = [];
const started = Date.now();
const figures: Array<[string, string]> = [];
const figure = (what: string, value: unknown) => figures.push([what, String(value)]);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Salesforce datetimes (`…+0000`) and ISO strings as milliseconds. */
const instant = (value: unknown) => Date.parse(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
const scaleLeads = (includeDeleted = false) => emulator.store.all('Lead', { includeDeleted }).filter((lead) => String(lead.External_Id__c ?? '').startsWith('scale-'));

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 500): Promise<number> {
	const since = Date.now();
	while (!(await condition())) {
		if (Date.now() - since > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${cluster.logs()}`);
		await new Promise((r) => setTimeout(r, everyMs));
	}
	return Date.now() - since;
}

/** Every output item answers its own input row, in order (n8n's pairedItem, read by the workflows' Set node). */
function expectPaired(batch: Row[], answer: Answer) {
	expect(answer.status, answer.text.slice(0, 1000)).toBe(200);
	expect(answer.results.map((result) => result.key)).toEqual(batch.map((row) => row.External_Id__c));
	for (const result of answer.results) expect(result.Id).toMatch(/^00Q/);
}

/** The executions of workflows after execution `afterId`, by status. */
async function executionStatuses(ids: string[], afterId: number): Promise<Record<string, ExecutionSummary[]>> {
	const all = (await Promise.all(ids.map((id) => cluster.executions(id, afterId)))).flat();
	return Object.groupBy(all, (execution) => execution.status) as Record<string, ExecutionSummary[]>;
}

/** Retries, once each, the trigger executions n8n lost (as a user does from the executions list). */
const retriedTriggerExecutions = new Set<string>();
async function retryLostTriggerExecutions(): Promise<void> {
	for (const id of Object.values(TRIGGERS)) {
		for (const execution of await cluster.executions(id)) {
			if ((execution.status === 'error' || execution.status === 'crashed') && !retriedTriggerExecutions.has(execution.id)) {
				retriedTriggerExecutions.add(execution.id);
				await cluster.retry(execution.id);
			}
		}
	}
}

/** Sends batches again until each is answered 200 (executions n8n lost); the answers, in order. */
async function sendAgain(operation: Operation, batches: Row[][]): Promise<Answer[]> {
	const answers = await Promise.all(batches.map((batch) => execute(cluster.main.url, operation, batch)));
	batches.forEach((batch, i) => expectPaired(batch, answers[i]));
	return answers;
}

describe.runIf(missing.length === 0)(`queue mode: main + ${WORKERS} workers, Postgres, Redis; ${EXECUTIONS} executions × ${ITEMS} leads`, () => {
	const batches = newLeads(EXECUTIONS, ITEMS);
	const operationOf = (index: number): Operation => (index % 2 === 0 ? 'create' : 'upsert');
	/** Each record's SystemModstamp after the updates: the version the trigger must emit last before the deletes. */
	const finalStamps = new Map<string, number>();
	let ids: string[] = [];
	let tokenRequestsOfTheRun = 0;
	/** The phases done so far: each test needs the previous one. */
	const done = new Set<string>();
	const needs = (phase: string) => {
		if (!done.has(phase)) throw new Error(`skipped: the ${phase} phase did not pass`);
	};

	beforeAll(async () => {
		sink = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				emitted.push(...(JSON.parse(body) as { events: Emitted[] }).events);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
			});
		});
		await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
		const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
		emulator = await startEmulator({ port: 0, latencyMs: 50 });
		postgres = await startPostgres();
		redis = await startRedis();
		cluster = await QueueMode.start({
			postgres,
			redis,
			workers: WORKERS,
			concurrency: CONCURRENCY,
			credentials: [appCredential(CREDENTIAL, emulator.url)],
			workflows: [
				...workloadWorkflows(CREDENTIAL),
				triggerWorkflow(TRIGGERS.changes, 'createdOrUpdated', CREDENTIAL, sinkUrl),
				triggerWorkflow(TRIGGERS.deleted, 'deleted', CREDENTIAL, sinkUrl),
			],
			activate: [...OPERATIONS.map(workflowId), workflowId('find'), TRIGGERS.changes, TRIGGERS.deleted],
			// n8n's leader marks executions it lost track of (e.g. with Redis' data) as crashed every 30 s, not 3 hours.
			env: { N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.5' },
		});
		figure('setup: Postgres, Redis, package installed 3×, main + 2 workers ready', seconds(Date.now() - started));
		// The credential's first token and the first describe, outside the figures.
		expectPaired([{ External_Id__c: 'warm-up', LastName: 'Warm', Company: 'Up' }], await execute(cluster.main.url, 'create', [{ External_Id__c: 'warm-up', LastName: 'Warm', Company: 'Up' }]));
		emulator.requests.reset();
	});

	afterAll(async () => {
		if (figures.length) console.log(`\nqueue mode, ${EXECUTIONS} executions × ${ITEMS} items (SCALE_ITEMS=${ITEMS}):\n${figures.map(([what, value]) => `  ${what}: ${value}`).join('\n')}\n`);
		await cluster?.stop();
		await redis?.stop();
		await postgres?.stop();
		await emulator?.close();
		sink?.close();
	});

	it(`creates and upserts ${RECORDS} leads while the token expires on both workers and a worker is killed`, async () => {
		const phaseStart = new Date();
		const before = await cluster.lastExecutionId();
		let answered = 0;
		const calls = batches.map((batch, i) =>
			execute(cluster.main.url, operationOf(i), batch).then((answer) => {
				answered++;
				return answer;
			}),
		);
		const settled = Promise.all(calls);
		let allAnswered = false;
		void settled.then(() => (allAnswered = true));
		const faultFailed = (what: string) => () => {
			if (allAnswered) throw new Error(`the executions ended before ${what}: raise SCALE_ITEMS\n${cluster.logs()}`);
			return false;
		};

		// The token expires while both workers run executions.
		await waitFor('both workers busy', () => (answered >= 2 && cluster.running(0).length > 0 && cluster.running(1).length > 0) || faultFailed('the token expiry')(), 300_000, 50);
		emulator.faults.expireTokens();
		const tokenRequestsBefore = emulator.requests.counts().token;

		// Later (once an execution has answered after the renewal), worker 1 is killed with the executions it runs (none
		// of the trigger's: those are checked apart).
		const answeredAtExpiry = answered;
		// (A trigger execution waits in the queue behind the webhooks' executions: only one worker 1 runs matters.)
		const killable = async () => {
			const held = cluster.running(0);
			if (answered <= answeredAtExpiry || held.length === 0) return false;
			const triggerExecutions = new Set((await Promise.all(Object.values(TRIGGERS).map((id) => cluster.executions(id, before)))).flat().map((e) => e.id));
			return held.every((id) => !triggerExecutions.has(id));
		};
		await waitFor('worker 1 running executions, none of the trigger\'s, an execution answered after the expiry', async () => (await killable()) || faultFailed('the kill')(), 300_000, 20);
		await cluster.killWorker(0);
		const killedAt = Date.now();
		await cluster.startWorker(0);
		figure('worker 1 restarted after SIGKILL in', seconds(Date.now() - killedAt));

		const answers = await settled;
		const writeMs = Date.now() - phaseStart.getTime();
		const lost = answers.flatMap((answer, i) => (answer.status === 200 ? [] : [i]));
		answers.forEach((answer, i) => !lost.includes(i) && expectPaired(batches[i], answer));
		// Upserts of new External IDs: every record created, and the answer says so.
		answers.forEach((answer, i) => operationOf(i) === 'upsert' && !lost.includes(i) && expect(answer.results.every((r) => r.created === true)).toBe(true));

		// n8n reports the executions the killed worker held as failed, and no other failure (no renewal race).
		expect(lost.length, `the killed worker held no execution\n${cluster.logs()}`).toBeGreaterThan(0);
		let statuses: Record<string, ExecutionSummary[]> = {};
		await waitFor(
			'n8n to report the lost executions',
			async () => {
				statuses = await executionStatuses([workflowId('create'), workflowId('upsert')], before);
				return (statuses.error?.length ?? 0) + (statuses.crashed?.length ?? 0) >= lost.length;
			},
			60_000,
			1000,
		);
		expect([...(statuses.error ?? []), ...(statuses.crashed ?? [])]).toHaveLength(lost.length);
		expect(statuses.success ?? [], JSON.stringify(statuses)).toHaveLength(EXECUTIONS - lost.length);
		for (const i of lost) expect(answers[i].status, answers[i].text).toBe(500);

		// Tokens: n8n renews under a per-credential lock held in Redis in queue mode, and a process that finds the
		// stored token renewed uses it. n8n compares with the token it read when its renewal began, not the rejected
		// one: a process that read the credential just as another's new token was saved renews once more. So at most
		// one request per process using the credential (the workers, and main's trigger polls), usually one in all.
		const counts = emulator.requests.counts();
		const rejected = Object.entries(counts.byAnswer).filter(([answer]) => answer.startsWith('401 ')).reduce((sum, [, n]) => sum + n, 0);
		const tokenRequests = counts.token - tokenRequestsBefore;
		expect(tokenRequests).toBeGreaterThanOrEqual(1);
		expect(tokenRequests).toBeLessThanOrEqual(WORKERS + 1);
		expect(rejected).toBeGreaterThanOrEqual(2);
		figure('token expiry on both workers: calls rejected (401), then token requests', `${rejected}, then ${tokenRequests}`);
		tokenRequestsOfTheRun = counts.token;

		// What the lost executions had written: at most once each, as the node guarantees.
		const keyCounts = new Map<string, number>();
		for (const lead of scaleLeads()) keyCounts.set(lead.External_Id__c as string, (keyCounts.get(lead.External_Id__c as string) ?? 0) + 1);
		const written = lost.map((i) => batches[i].filter((row) => keyCounts.has(row.External_Id__c)).length);
		expect([...keyCounts.values()].every((n) => n === 1)).toBe(true);
		figure(
			'write phase: executions answered / lost to the killed worker (n8n: "error")',
			`${EXECUTIONS - lost.length} / ${lost.length} (${lost.map((i) => `${operationOf(i)} #${i}: ${written[lost.indexOf(i)]} of ${ITEMS} written`).join(', ') || 'none'})`,
		);

		// The client's recovery: upserts sent again whole; creates only for the records a lookup through n8n misses.
		const upserts = lost.filter((i) => operationOf(i) === 'upsert').map((i) => batches[i]);
		const creates: Row[][] = [];
		for (const i of lost.filter((index) => operationOf(index) === 'create')) {
			const found = new Set((await findLeads(cluster.main.url, `scale-${String(i).padStart(2, '0')}-`)).map((lead) => lead.External_Id__c));
			const missingRows = batches[i].filter((row) => !found.has(row.External_Id__c));
			if (missingRows.length) creates.push(missingRows);
		}
		const existing = new Set(scaleLeads().map((lead) => lead.External_Id__c as string));
		const upserted = await sendAgain('upsert', upserts);
		upserts.forEach((batch, b) => batch.forEach((row, i) => expect(upserted[b].results[i].created).toBe(!existing.has(row.External_Id__c))));
		await sendAgain('create', creates);

		const leads = scaleLeads();
		expect(leads).toHaveLength(RECORDS);
		expect(new Set(leads.map((lead) => lead.External_Id__c)).size).toBe(RECORDS);
		expect(new Set(leads.map((lead) => lead.External_Id__c))).toEqual(new Set(batches.flat().map((row) => row.External_Id__c)));
		ids = leads.map((lead) => lead.Id as string);
		figure(`write phase: ${RECORDS} records, faults included`, `${seconds(writeMs)} (${Math.round((RECORDS / writeMs) * 1000)} records/s)`);
		figure('records in the emulator / duplicated / lost', `${leads.length} / 0 / 0`);
		done.add('write');
	});

	it(`updates the ${RECORDS} leads while Redis restarts`, async () => {
		needs('write');
		const phaseStart = new Date();
		const before = await cluster.lastExecutionId();
		const byKey = new Map(scaleLeads().map((lead) => [lead.External_Id__c as string, lead.Id as string]));
		const updates = batches.map((batch) => batch.map((row) => ({ External_Id__c: row.External_Id__c, Id: byKey.get(row.External_Id__c), Title: 'Scaled out' })));
		const answers: Array<Answer | undefined> = updates.map(() => undefined);
		// Calls n8n never answers stay pending: the resends below take their place.
		updates.forEach((batch, i) => void execute(cluster.main.url, 'update', batch).then((answer) => (answers[i] = answer)));

		await waitFor('a quarter of the updates answered', () => answers.filter(Boolean).length >= EXECUTIONS / 4, 300_000, 50);
		await redis.restart();

		// With Redis' data gone, n8n answers no webhook call whose execution was queued or running: it settles once
		// every execution of the phase is finished (a worker saved it) or crashed (main's queue recovery found it lost).
		const settledAfter = await waitFor(
			'n8n to settle every update execution',
			async () => {
				if (answers.every(Boolean)) return true;
				const all = await cluster.executions(workflowId('update'), before);
				return all.length >= EXECUTIONS && all.every((e) => ['success', 'error', 'crashed'].includes(e.status));
			},
			240_000,
			2000,
		);
		await new Promise((r) => setTimeout(r, 2000)); // answers on their way
		const unanswered = updates.flatMap((_, i) => (answers[i]?.status === 200 ? [] : [i]));
		updates.forEach((batch, i) => !unanswered.includes(i) && expectPaired(batch, answers[i]!));
		const statuses = await executionStatuses([workflowId('update')], before);
		// The lost ones: crashed (never run: their job went with Redis) or error (e.g. queued while Redis was away).
		const crashed = [...(statuses.crashed ?? []), ...(statuses.error ?? [])];
		expect(crashed.length).toBeLessThanOrEqual(unanswered.length);
		figure(
			'update phase, Redis restarted: answered / unanswered (of which n8n saved as success / reported crashed or failed)',
			`${EXECUTIONS - unanswered.length} / ${unanswered.length} (${unanswered.length - crashed.length} / ${crashed.length}), settled ${seconds(settledAfter)} after the restart`,
		);

		await sendAgain('update', unanswered.map((i) => updates[i]));
		const leads = scaleLeads();
		expect(leads).toHaveLength(RECORDS);
		expect(leads.every((lead) => lead.Title === 'Scaled out')).toBe(true);
		for (const lead of leads) finalStamps.set(lead.Id as string, instant(lead.SystemModstamp));
		figure('update phase incl. the restart and the resends', seconds(Date.now() - phaseStart.getTime()));
		done.add('update');
	});

	it('the polling trigger on main emits every creation and the last update of every lead once', async () => {
		needs('update');
		const waited = await waitFor(
			'the trigger to emit every creation and every final update',
			async () => {
				await retryLostTriggerExecutions();
				const created = new Set(emitted.filter((e) => e.type === 'created').map((e) => e.Id));
				const final = new Set(emitted.filter((e) => e.type === 'updated' && instant(e.at) === finalStamps.get(e.Id)).map((e) => e.Id));
				return ids.every((id) => created.has(id) && final.has(id));
			},
			200_000,
			2000,
		);
		figure('trigger caught up with the creates and updates', `${seconds(waited)} after the last update`);
		done.add('trigger');
	});

	it(`deletes the ${RECORDS} leads`, async () => {
		needs('trigger');
		const phaseStart = Date.now();
		const rows = scaleLeads().map((lead) => ({ External_Id__c: lead.External_Id__c as string, Id: lead.Id as string }));
		const deletes = Array.from({ length: EXECUTIONS }, (_, e) => rows.slice(e * ITEMS, (e + 1) * ITEMS));
		const answers = await Promise.all(deletes.map((batch) => execute(cluster.main.url, 'delete', batch)));
		deletes.forEach((batch, i) => expectPaired(batch, answers[i]));
		expect(scaleLeads()).toHaveLength(0);
		expect(scaleLeads(true)).toHaveLength(RECORDS);
		const ms = Date.now() - phaseStart;
		figure(`delete phase: ${RECORDS} records`, `${seconds(ms)} (${Math.round((RECORDS / ms) * 1000)} records/s)`);
		done.add('delete');
	});

	it('the trigger emitted every change of the run exactly once', async () => {
		needs('delete');
		await waitFor(
			'the trigger to emit every deletion',
			async () => {
				await retryLostTriggerExecutions();
				const deleted = new Set(emitted.filter((e) => e.type === 'deleted').map((e) => e.Id));
				return ids.every((id) => deleted.has(id));
			},
			200_000,
			2000,
		);
		await new Promise((r) => setTimeout(r, 5000)); // anything else on its way
		const known = new Set(ids);
		const key = (e: Emitted) => `${e.Id}|${e.type}|${instant(e.at)}`;
		const twice = emitted.length - new Set(emitted.map(key)).size;
		const perType = (type: Emitted['type']) => emitted.filter((e) => e.type === type);
		const countBy = (events: Emitted[]) => events.reduce((map, e) => map.set(e.Id, (map.get(e.Id) ?? 0) + 1), new Map<string, number>());
		expect(emitted.filter((e) => !known.has(e.Id))).toEqual([]);
		expect(twice).toBe(0);
		for (const type of ['created', 'deleted'] as const) {
			const counts = countBy(perType(type));
			expect(counts.size, type).toBe(RECORDS);
			expect([...counts.values()].every((n) => n === 1), type).toBe(true);
		}
		const finalUpdates = countBy(perType('updated').filter((e) => instant(e.at) === finalStamps.get(e.Id)));
		expect(finalUpdates.size).toBe(RECORDS);
		expect([...finalUpdates.values()].every((n) => n === 1)).toBe(true);
		for (const e of perType('updated')) expect(instant(e.at)).toBeLessThanOrEqual(finalStamps.get(e.Id)!);
		figure(
			'trigger emissions: created / updated / deleted / emitted twice / missed',
			`${perType('created').length} / ${perType('updated').length} (the last of each lead: ${finalUpdates.size}) / ${perType('deleted').length} / 0 / 0`,
		);
		figure('trigger executions lost by n8n and retried from its executions list', retriedTriggerExecutions.size);
		// No token request besides the one renewal after the expiry: not at the worker's restart, nor Redis', nor by main's polls.
		expect(emulator.requests.counts().token).toBe(tokenRequestsOfTheRun);
		figure('token requests over the whole run (after the warm-up)', tokenRequestsOfTheRun);
		figure('layer run time', seconds(Date.now() - started));
	});
});

if (missing.length > 0) {
	describe('queue mode', () => {
		it.skip(`needs ${missing.join(', ')}`, () => {});
	});
}
