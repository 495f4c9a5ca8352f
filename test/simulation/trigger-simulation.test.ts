// Randomized simulation of the trigger against the emulator, its clock under the test's control: concurrent
// writers (interleaved creates, updates, deletes), many changes in the same instant, transactions that commit late
// inside the lookback window, bursts of more than 5,000 changes between polls, per-poll caps, failed polls,
// restarts from the last saved static data, and a local clock that disagrees with Salesforce's.
// Each schedule asserts that every change is emitted exactly once. SIM_SCHEDULES and SIM_SEED override the defaults.
import { describe, expect, it } from 'vitest';

import { toIso, type TriggerEvent } from '../../nodes/Salesforce/trigger/cursor.ts';
import { pollChanges, type PollSettings, type TriggerMemory } from '../../nodes/Salesforce/trigger/poll.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorSource } from './source.ts';

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 1000);
const SEED = Number(process.env.SIM_SEED ?? 20_260_301);
const BIG_EVERY = 333;
const BURST = 6000;

/** mulberry32: small, fast, reproducible. */
function random(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(values: T[]) => values[Math.floor(next() * values.length)],
		chance: (p: number) => next() < p,
	};
}

interface Totals {
	schedules: number;
	changes: number;
	lateCommits: number;
	polls: number;
	failedPolls: number;
	restarts: number;
	emitted: number;
}

const iso = (value: unknown) => toIso(value);
const SECOND = 1000;
const wholeSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;

async function runSchedule(index: number, totals: Totals): Promise<void> {
	const rng = random(SEED + index * 7919);
	const big = index % BIG_EVERY === 7;
	const event: TriggerEvent = rng.pick(['createdOrUpdated', 'createdOrUpdated', 'createdOrUpdated', 'created', 'updated', 'deleted']);
	const lookbackMs = rng.pick([60_000, 5 * 60_000, 10 * 60_000]);
	const settings: PollSettings = {
		sobject: 'Lead',
		event,
		fields: ['LastName'],
		conditions: [],
		combinator: 'AND',
		lookbackMs,
		maxRecordsPerPoll: big ? rng.pick([700, 1000, 2000]) : rng.pick([1, 3, 10, 2000]),
	};
	const emulator: Emulator = await startEmulator({ port: 0, seed: false, clock: new Date(Date.UTC(2026, 0, 1) + index * 86_400_000) });
	try {
		emulator.clock.freeze();
		const source = await emulatorSource(emulator.url);
		// The local clock runs alike but shows another time: only durations may be used.
		const skewMs = rng.int(-86_400_000, 86_400_000);
		const localNow = () => emulator.clock.now().getTime() + skewMs;

		const live = new Map<string, { stamp: number }>();
		const write = {
			insert(at?: Date) {
				const record = emulator.store.insert('Lead', { LastName: `S${index}`, Company: 'Simulation' }, at ? { at } : {});
				live.set(String(record.Id), { stamp: Date.parse(iso(record.SystemModstamp)) });
			},
			update(id: string, at?: Date) {
				const record = emulator.store.update('Lead', id, { Title: `v${rng.int(0, 1e6)}` }, at ? { at } : {});
				live.set(id, { stamp: Date.parse(iso(record.SystemModstamp)) });
			},
			delete(id: string, at?: Date) {
				emulator.store.delete('Lead', id, at ? { at } : {});
				live.delete(id);
			},
		};
		for (let count = rng.int(0, 5); count > 0; count--) {
			write.insert();
			emulator.clock.advance(rng.int(0, 2000));
		}

		let memory: TriggerMemory = {};
		await pollChanges(source, memory, settings, localNow());
		let saved = structuredClone(memory);
		// Salesforce stamps to the second: everything after activation happens from the next whole second on.
		emulator.clock.advance(SECOND - (emulator.clock.now().getTime() % SECOND) + SECOND);
		const activatedAt = emulator.clock.now().getTime();

		const emittedKeys = new Set<string>();
		const createdIds = new Map<string, number>();
		const deletedIds = new Map<string, number>();

		/**
		 * The stamp of a record's next version: now, or earlier for a transaction that commits late (within 90 % of
		 * the lookback window). Two versions of one record never share a second (see the README's limits).
		 */
		const stampFor = (previous: number): Date | undefined => {
			if (wholeSecond(emulator.clock.now().getTime()) <= previous) {
				emulator.clock.advance(previous + SECOND - emulator.clock.now().getTime());
			}
			const now = wholeSecond(emulator.clock.now().getTime());
			if (!rng.chance(0.15)) return undefined;
			const earliest = Math.max(activatedAt, previous + SECOND);
			const at = Math.max(earliest, wholeSecond(now - rng.next() * 0.9 * lookbackMs));
			if (at >= now) return undefined;
			totals.lateCommits++;
			return new Date(at);
		};

		const writeOne = (preferInsert: boolean) => {
			const ids = [...live.keys()];
			const action = preferInsert || ids.length === 0 ? 'insert' : rng.pick(['insert', 'update', 'update', 'delete']);
			totals.changes++;
			if (action === 'insert') return write.insert(stampFor(activatedAt - SECOND));
			const id = rng.pick(ids);
			const at = stampFor(live.get(id)!.stamp);
			if (action === 'update') write.update(id, at);
			else write.delete(id, at);
		};

		/** One poll as n8n runs it; true when it re-read from the floor to the end (a complete read). */
		const poll = async (): Promise<boolean> => {
			if (rng.chance(0.08)) {
				memory = structuredClone(saved);
				totals.restarts++;
			}
			if (rng.chance(0.05)) {
				emulator.faults.inject({ path: '/query', status: rng.pick([403, 503]), errorCode: rng.pick(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']), count: 1 });
			}
			const fromFloor = memory.cursor?.caughtUp ?? true;
			totals.polls++;
			let outcome;
			try {
				outcome = await pollChanges(source, memory, settings, localNow());
			} catch {
				totals.failedPolls++;
				return false;
			}
			emulator.faults.reset();
			if (outcome.interruptedBy !== undefined && outcome.emissions.length === 0) totals.failedPolls++;
			for (const { type, record } of outcome.emissions) {
				const id = String(record.Id);
				const version = iso(record.SystemModstamp);
				const key = `${type}|${id}|${version}`;
				expect(emittedKeys.has(key), `schedule ${index}: ${key} emitted twice`).toBe(false);
				emittedKeys.add(key);
				expect(Date.parse(version), `schedule ${index}: ${key} predates the activation`).toBeGreaterThanOrEqual(activatedAt);
				if (type === 'created') {
					createdIds.set(id, (createdIds.get(id) ?? 0) + 1);
					expect(createdIds.get(id), `schedule ${index}: ${id} created twice`).toBe(1);
					expect(Date.parse(iso(record.CreatedDate))).toBeGreaterThanOrEqual(activatedAt);
				}
				if (type === 'updated') expect(version > iso(record.CreatedDate), `schedule ${index}: creation reported as update`).toBe(true);
				if (type === 'deleted') {
					deletedIds.set(id, (deletedIds.get(id) ?? 0) + 1);
					expect(deletedIds.get(id)).toBe(1);
				}
			}
			totals.emitted += outcome.emissions.length;
			if (outcome.emissions.length > 0) saved = structuredClone(memory);
			const complete = fromFloor && memory.cursor?.caughtUp === true && outcome.interruptedBy === undefined;
			if (complete) assertComplete();
			return complete;
		};

		/** After a poll that re-read from the floor and reached the end: everything visible has been reported. */
		const assertComplete = () => {
			const rows = emulator.store.all('Lead', { includeDeleted: true });
			for (const row of rows) {
				const id = String(row.Id);
				const version = iso(row.SystemModstamp);
				const created = iso(row.CreatedDate);
				if (Date.parse(version) < activatedAt) continue;
				const missing = (what: string) => `schedule ${index} (${event}, seed ${SEED}): ${what} ${id}@${version} never emitted`;
				if (row.IsDeleted) {
					if (event === 'deleted') expect(deletedIds.get(id), missing('deletion')).toBe(1);
					continue;
				}
				if (event === 'deleted') continue;
				const createdAfterActivation = Date.parse(created) >= activatedAt;
				if (event === 'created') {
					if (createdAfterActivation) expect(createdIds.get(id), missing('creation')).toBe(1);
					continue;
				}
				const isCreation = created >= version;
				if (event === 'updated') {
					if (!isCreation) expect(emittedKeys.has(`updated|${id}|${version}`), missing('update')).toBe(true);
					continue;
				}
				const versionKey = isCreation ? `created|${id}|${version}` : `updated|${id}|${version}`;
				expect(emittedKeys.has(versionKey), missing('version')).toBe(true);
				if (createdAfterActivation) expect(createdIds.get(id), missing('creation')).toBe(1);
			}
		};

		const rounds = big ? rng.int(2, 3) : rng.int(2, 8);
		for (let round = 0; round < rounds; round++) {
			const burst = big && round === 0;
			const changes = burst ? BURST : rng.int(0, 15);
			for (let count = 0; count < changes; count++) {
				// Concurrent writers: many changes land in the same instant, others spread over seconds.
				if (!burst && rng.chance(0.6)) emulator.clock.advance(rng.int(1, 3000));
				if (burst && rng.chance(0.01)) emulator.clock.advance(rng.int(1, 1500));
				writeOne(burst && count < BURST * 0.8);
			}
			for (let polls = burst ? 20 : rng.int(1, 3); polls > 0; polls--) {
				await poll();
				emulator.clock.advance(rng.int(0, Math.floor(lookbackMs * 1.5)));
			}
		}
		// Drain: let every transaction settle, then poll until a complete re-read.
		emulator.clock.advance(lookbackMs + 1000);
		emulator.faults.reset();
		let complete = false;
		for (let attempt = 0; attempt < 40 && !complete; attempt++) complete = await poll();
		expect(complete, `schedule ${index}: never caught up`).toBe(true);
		totals.schedules++;
	} finally {
		await emulator.close();
	}
}

describe('trigger simulation', () => {
	it(`emits every change exactly once over ${SCHEDULES} seeded schedules`, { timeout: 900_000 }, async () => {
		const totals: Totals = { schedules: 0, changes: 0, lateCommits: 0, polls: 0, failedPolls: 0, restarts: 0, emitted: 0 };
		const started = Date.now();
		for (let index = 0; index < SCHEDULES; index++) await runSchedule(index, totals);
		console.log(`trigger simulation (seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(totals)}`);
		expect(totals.schedules).toBe(SCHEDULES);
	});
});
