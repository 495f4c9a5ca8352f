// What the benchmarks share: the emulator in a child process (so that the heap measured in the bench's process is the
// trigger's: n8n-core, jsforce, the node; not the emulator's), a sampler of peak heap growth, and the peak RSS of
// another process (a running n8n).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SalesforceCrmTrigger } from '../../nodes/Salesforce/SalesforceCrmTrigger.node.ts';
import { DEFAULT_APP_KEY, DEFAULT_APP_SECRET, type RetainedEvent } from '../emulator/index.ts';
import type { Harness } from '../integration/harness.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export interface RequestCounts {
	data: number;
	token: number;
	byRoute: Record<string, number>;
}

/** The emulator as a separate process, driven over HTTP. */
export class RemoteEmulator {
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

	async counts(): Promise<RequestCounts> {
		return (await (await fetch(`${this.url}/__emulator/requests`)).json()) as RequestCounts;
	}

	async resetCounts(): Promise<void> {
		await fetch(`${this.url}/__emulator/requests`, { method: 'DELETE' });
	}

	/** Moves the emulator's clock (Salesforce's) on. */
	async advanceClock(ms: number): Promise<void> {
		await fetch(`${this.url}/__emulator/clock`, { method: 'POST', body: JSON.stringify({ advance: ms }) });
	}

	/** The change events the emulator retains, with the time each was published (its commit; the emulator's clock). */
	async changeEvents(): Promise<RetainedEvent[]> {
		return (await (await fetch(`${this.url}/__emulator/cdc/events`)).json()) as RetainedEvent[];
	}

	/** Creates one lead (one REST call, one transaction); its ID. */
	async createLead(lastName: string, company: string): Promise<string> {
		const [id] = await this.post('/sobjects/Lead', { LastName: lastName, Company: company });
		return id;
	}

	/** Creates `count` leads through sObject Collections, 200 a call, a few calls at a time; their IDs. */
	async insertLeads(count: number, company: string): Promise<string[]> {
		const calls = Array.from({ length: Math.ceil(count / 200) }, (_, call) => call);
		const post = async (call: number) => {
			const records = Array.from({ length: Math.min(200, count - call * 200) }, (_, index) => ({
				attributes: { type: 'Lead' },
				LastName: `Bench ${call * 200 + index}`,
				Company: company,
			}));
			return await this.post('/composite/sobjects', { allOrNone: true, records });
		};
		const ids: string[] = [];
		for (let next = 0; next < calls.length; next += 8) ids.push(...(await Promise.all(calls.slice(next, next + 8).map(post))).flat());
		return ids;
	}

	stop(): void {
		this.child.kill();
	}

	/** A REST POST; the IDs of the records it created. */
	private async post(path: string, body: unknown): Promise<string[]> {
		const response = await fetch(`${this.url}/services/data/v64.0${path}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		if (!response.ok) throw new Error(`POST ${path} failed: ${await response.text()}`);
		return [(await response.json()) as { id: string } | Array<{ id: string }>].flat().map((result) => result.id);
	}
}

/** Activates the polling trigger (its first poll) as n8n does; each call of the returned function is the next poll. */
export async function activatePolling(harness: Harness, parameters: INodeParameters): Promise<() => Promise<INodeExecutionData[]>> {
	const nodeType = new SalesforceCrmTrigger();
	let staticData: IDataObject = {};
	const poll = async () => {
		const result = await harness.poll({ nodeType, parameters, staticData });
		staticData = result.staticData;
		return result.items?.[0] ?? [];
	};
	await poll();
	return poll;
}

const PROC_MEMORY_SAMPLE_MS = 50;

/** A memory line of /proc/<pid>/status (VmRSS, VmHWM), in bytes. */
function procMemory(pid: number, line: 'VmRSS' | 'VmHWM'): number {
	const kilobytes = new RegExp(`^${line}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
	return Number(kilobytes) * 1024;
}

/**
 * The resident set size (RSS) of another process while `work` runs, from Linux's /proc/<pid>/status: at the start,
 * and its peak. The peak is the kernel's high-water mark (VmHWM) reset before the work (`5` into
 * /proc/<pid>/clear_refs), or where that reset is not allowed, the highest VmRSS sampled every 50 ms.
 */
export async function peakRss<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; start: number; peak: number }> {
	let exact = true;
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
	} catch {
		exact = false;
	}
	const start = procMemory(pid, 'VmRSS');
	let sampled = start;
	const sampler = setInterval(() => (sampled = Math.max(sampled, procMemory(pid, 'VmRSS'))), PROC_MEMORY_SAMPLE_MS);
	try {
		const result = await work();
		return { result, start, peak: exact ? procMemory(pid, 'VmHWM') : Math.max(sampled, procMemory(pid, 'VmRSS')) };
	} finally {
		clearInterval(sampler);
	}
}

/**
 * Heap growth while `work` runs, sampled every few milliseconds, over a collected baseline; and what is left of it
 * once the work is done and the heap collected again.
 */
export async function peakHeapGrowth<T>(work: () => Promise<T>): Promise<{ result: T; peak: number; retained: number }> {
	collectGarbage();
	const baseline = process.memoryUsage().heapUsed;
	let peak = baseline;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 2);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().heapUsed);
		collectGarbage();
		return { result, peak: peak - baseline, retained: process.memoryUsage().heapUsed - baseline };
	} finally {
		clearInterval(sampler);
	}
}
