// Throughput of the node in n8n's queue mode (Postgres, Redis, an n8n main and `n8n worker` processes, the package
// installed in each) against the emulator at 50 ms latency: 20 concurrent webhook executions of 500 leads each
// (10,000 records, sObject Collections) with 1 worker, then the same with a second worker started, in one run.
// `npm run bench -- queue` runs only this module (about 4 minutes: most of it starting the processes).
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';

import { appCredential } from '../e2e/support.ts';
import { startEmulator } from '../emulator/index.ts';
import { QueueMode } from '../scale/cluster.ts';
import { missingServices, startPostgres, startRedis } from '../scale/services.ts';
import { OPERATIONS, execute, newLeads, workflowId, workloadWorkflows } from '../scale/workload.ts';

const EXECUTIONS = 20;
const ITEMS = 500;
const CONCURRENCY = 5;
const CREDENTIAL = 'benchCredential1';

interface Round {
	workers: number;
	ms: number;
	medianExecutionMs: number;
	calls: number;
	/** CPU seconds main and the workers used during the round. */
	cpu: { main: number; workers: number };
	/** The machine's 1-minute load average at the round's end (other processes included). */
	load: number;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 elsewhere. */
function cpuSeconds(pid: number | undefined): number {
	try {
		const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return 0;
	}
}

export default async function queueModeBench(): Promise<void> {
	const missing = missingServices();
	if (missing.length > 0) {
		console.log(`queue mode: skipped (needs ${missing.join(', ')})`);
		return;
	}
	const emulator = await startEmulator({ port: 0, latencyMs: 50 });
	const postgres = await startPostgres();
	const redis = await startRedis();
	let cluster: QueueMode | undefined;
	try {
		cluster = await QueueMode.start({
			postgres,
			redis,
			workers: 1,
			concurrency: CONCURRENCY,
			credentials: [appCredential(CREDENTIAL, emulator.url)],
			workflows: workloadWorkflows(CREDENTIAL),
			activate: OPERATIONS.map(workflowId),
		});
		const main = cluster.main.url;
		const round = async (workers: number): Promise<Round> => {
			// Each worker's first execution fetches Lead's describe; the round counts steady-state executions.
			for (let i = 0; i < workers; i++) await execute(main, 'create', newLeads(1, 1, `warm${workers}${i}`)[0]);
			emulator.requests.reset();
			const cpu = () => ({ main: cpuSeconds(cluster!.main.pid), workers: cluster!.workers.reduce((sum, w) => sum + cpuSeconds(w?.pid), 0) });
			const cpuBefore = cpu();
			const started = performance.now();
			const answers = await Promise.all(newLeads(EXECUTIONS, ITEMS, `bench${workers}`).map((batch) => execute(main, 'create', batch)));
			const ms = performance.now() - started;
			const failed = answers.filter((answer) => answer.status !== 200 || answer.results.length !== ITEMS);
			if (failed.length) throw new Error(`${failed.length} executions failed: ${failed[0].text.slice(0, 500)}`);
			const durations = answers.map((answer) => answer.ms).sort((a, b) => a - b);
			const cpuAfter = cpu();
			return {
				workers,
				ms,
				medianExecutionMs: durations[durations.length >> 1],
				calls: emulator.requests.counts().data,
				cpu: { main: cpuAfter.main - cpuBefore.main, workers: cpuAfter.workers - cpuBefore.workers },
				load: loadavg()[0],
			};
		};
		const one = await round(1);
		await cluster.startWorker(1);
		const two = await round(2);

		const records = EXECUTIONS * ITEMS;
		console.log(`\nqueue mode: ${EXECUTIONS} concurrent webhook executions × ${ITEMS} leads created (${records.toLocaleString('en')} records), emulator at 50 ms, worker concurrency ${CONCURRENCY}`);
		console.log('| workers | wall time | records/s | median execution (webhook call → answer) | API calls | CPU main / workers | load average |');
		console.log('| --- | --- | --- | --- | --- | --- | --- |');
		for (const r of [one, two]) {
			console.log(
				`| ${r.workers} | ${(r.ms / 1000).toFixed(1)} s | ${Math.round((records / r.ms) * 1000)} | ${(r.medianExecutionMs / 1000).toFixed(1)} s | ${r.calls} | ${r.cpu.main.toFixed(0)} s / ${r.cpu.workers.toFixed(0)} s | ${r.load.toFixed(1)} on ${availableParallelism()} cores |`,
			);
		}
	} finally {
		await cluster?.stop();
		await redis.stop();
		await postgres.stop();
		await emulator.close();
	}
}
