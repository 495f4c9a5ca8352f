// n8n in queue mode, as self-hosters run it: a main instance (editor, webhooks, triggers) that puts executions on a
// Bull queue in Redis, and workers (`n8n worker`) that run them; all share one Postgres database and one encryption
// key. Each process has its own user folder with this package installed as a community package, as on separate
// machines or containers. (n8n logs that the workers share a host ID, `worker-<hostname>` inside a container: they do
// run on one machine here; nothing else depends on it.)
import { randomBytes } from 'node:crypto';

import { N8nRest, importCredentials, importWorkflows, preparedUserFolder, startN8n, type N8nProcess } from '../e2e/support.ts';
import type { Postgres, Redis } from './services.ts';

export interface QueueModeOptions {
	postgres: Postgres;
	redis: Redis;
	/** Workers to start (more can be started later with startWorker). */
	workers: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`). */
	concurrency: number;
	credentials: unknown[];
	workflows: Array<{ id: string; [key: string]: unknown }>;
	/** Workflows to activate once main runs (webhooks registered, triggers started by main). */
	activate: string[];
	/** Extra environment for every process. */
	env?: Record<string, string>;
}

/**
 * The environment main and workers share: queue mode, Redis, Postgres, the encryption key. A killed worker's job
 * stalls; Bull notices it after the lock duration (plus a stalled-check interval), shortened here from 60 s and 30 s
 * so that a test sees n8n report it within about half a minute.
 */
export function queueModeEnv(postgres: Postgres, redis: Redis, encryptionKey: string): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		N8N_ENCRYPTION_KEY: encryptionKey,
		QUEUE_WORKER_LOCK_DURATION: '20000',
		QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
		QUEUE_WORKER_STALLED_INTERVAL: '10000',
	};
}

/** An execution as n8n's executions list reports it. */
export interface ExecutionSummary {
	id: string;
	workflowId: string;
	status: 'new' | 'running' | 'success' | 'error' | 'crashed' | 'canceled' | 'waiting' | 'unknown';
	mode: string;
	startedAt: string | null;
	retryOf?: string | null;
	retrySuccessId?: string | null;
}

export class QueueMode {
	readonly workers: Array<N8nProcess | undefined> = [];
	main!: N8nProcess;
	/** n8n's REST API on main, logged in as the owner (what the editor's executions list shows). */
	rest!: N8nRest;
	private readonly folders: Array<Awaited<ReturnType<typeof preparedUserFolder>>> = [];

	private constructor(
		readonly env: Record<string, string>,
		private readonly concurrency: number,
	) {}

	static async start(options: QueueModeOptions): Promise<QueueMode> {
		const env = { ...queueModeEnv(options.postgres, options.redis, randomBytes(24).toString('base64url')), ...options.env };
		const cluster = new QueueMode(env, options.concurrency);
		try {
			// One folder per process; n8n's CLI imports into the shared database from main's.
			for (let i = 0; i <= options.workers; i++) cluster.folders.push(await preparedUserFolder(i === 0 ? 'n8n-scale-main-' : `n8n-scale-worker${i}-`));
			const mainFolder = cluster.folders[0].userFolder;
			await importCredentials(mainFolder, options.credentials, { env });
			await importWorkflows(mainFolder, options.workflows, { env });
			const starting = Array.from({ length: options.workers }, (_, i) => cluster.startWorker(i));
			cluster.main = await startN8n({ userFolder: mainFolder, env });
			await Promise.all(starting);
			cluster.rest = new N8nRest(cluster.main.url);
			await cluster.rest.ensureOwner();
			for (const id of options.activate) await cluster.rest.activateWorkflow(id);
			return cluster;
		} catch (error) {
			await cluster.stop();
			throw error;
		}
	}

	/** Starts worker `index` (again, after a kill), in its own folder; resolves once it takes jobs. */
	async startWorker(index: number): Promise<N8nProcess> {
		this.folders[index + 1] ??= await preparedUserFolder(`n8n-scale-worker${index + 1}-`);
		const worker = await startN8n({
			userFolder: this.folders[index + 1].userFolder,
			args: ['worker', `--concurrency=${this.concurrency}`],
			env: this.env,
			processGroup: true,
		});
		this.workers[index] = worker;
		return worker;
	}

	/** SIGKILL to worker `index` and the task runners it started: no graceful shutdown, its jobs are left running. */
	async killWorker(index: number): Promise<void> {
		await this.workers[index]?.kill('SIGKILL');
		this.workers[index] = undefined;
	}

	/**
	 * The executions of a workflow after execution `afterId` (executions that never started have no start time),
	 * newest first, as n8n's executions list reports them.
	 */
	async executions(workflowId: string, afterId = 0): Promise<ExecutionSummary[]> {
		const executions = (await this.rest.executions(workflowId)) as ExecutionSummary[];
		return executions.filter((execution) => Number(execution.id) > afterId);
	}

	/** The newest execution's ID (0 when there is none): later executions have greater IDs. */
	async lastExecutionId(): Promise<number> {
		const page = (await this.rest.request('GET', '/rest/executions?limit=1')) as { results: ExecutionSummary[] };
		return Number(page.results[0]?.id ?? 0);
	}

	/** Retries a failed or crashed execution in n8n (the editor's Retry with the original workflow): the new execution's ID. */
	async retry(executionId: string): Promise<string> {
		const retried = (await this.rest.request('POST', `/rest/executions/${executionId}/retry`, { loadWorkflow: false })) as { id?: string } | string;
		return typeof retried === 'object' ? String(retried.id) : String(retried);
	}

	/** The executions a worker has started and not finished, from its log (IDs). */
	running(index: number): string[] {
		const log = this.workers[index]?.logs() ?? '';
		const ended = new Set([...log.matchAll(/Worker (?:finished|errored while running) execution (\d+)/g)].map((m) => m[1]));
		return [...log.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]).filter((id) => !ended.has(id));
	}

	/** Every process's log, for a failure message. */
	logs(tail = 4000): string {
		const parts = [['main', this.main], ...this.workers.map((w, i) => [`worker ${i + 1}`, w] as const)] as Array<[string, N8nProcess | undefined]>;
		return parts.map(([name, p]) => `--- ${name}\n${p?.logs().slice(-tail) ?? '(not running)'}`).join('\n');
	}

	async stop(): Promise<void> {
		await Promise.allSettled(this.workers.map((w) => w?.stop()));
		await this.main?.stop();
		for (const folder of this.folders) folder.cleanup();
	}
}
