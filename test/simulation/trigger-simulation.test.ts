// Randomized simulation of the trigger against the emulator, its clock under the test's control: concurrent
// writers (interleaved creates, updates, deletes), many changes in the same instant, transactions that commit late
// inside the lookback window, bursts of more than 5,000 changes between polls and late commits inside a drained
// burst's stretch while it settles, per-poll caps, failed polls, restarts from the last saved static data, and a
// local clock that disagrees with Salesforce's.
// Each schedule asserts that every change is emitted exactly once. SIM_SCHEDULES and SIM_SEED override the defaults.
import { describe, expect, it } from 'vitest';

import { toIso, type Emission, type TriggerEvent } from '../../nodes/Salesforce/trigger/cursor.ts';
import { pollChanges, type ChangeSource, type PollSettings, type TriggerMemory } from '../../nodes/Salesforce/trigger/poll.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { emulatorSource } from './source.ts';

const SCHEDULES = Number(process.env.SIM_SCHEDULES ?? 1000);
const SEED = Number(process.env.SIM_SEED ?? 20_260_301);
const BIG_EVERY = 200;
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
	/** Polls after which a drained burst's stretch was settling (not re-read at every poll). */
	settlingPolls: number;
}

const iso = (value: unknown) => toIso(value);
const SECOND = 1000;
const wholeSecond = (ms: number) => Math.floor(ms / SECOND) * SECOND;
type Rng = ReturnType<typeof random>;

/** What one schedule watches: event, lookback window and cap drawn at random. */
function drawSettings(rng: Rng, big: boolean): PollSettings {
	return {
		sobject: 'Lead',
		event: rng.pick<TriggerEvent>(['createdOrUpdated', 'createdOrUpdated', 'createdOrUpdated', 'created', 'updated', 'deleted']),
		fields: ['LastName'],
		conditions: [],
		combinator: 'AND',
		lookbackMs: rng.pick([60_000, 5 * 60_000, 10 * 60_000]),
		maxRecordsPerPoll: big ? rng.pick([700, 1000, 2000]) : rng.pick([1, 3, 10, 2000]),
	};
}

/** The world generator: concurrent writers on the emulator's Leads, some of whose transactions commit late. */
class World {
	/** Live records and the stamp of their latest version. */
	private readonly live = new Map<string, number>();
	/** Everything after activation happens from this whole second on. */
	activatedAt = 0;

	constructor(
		private readonly emulator: Emulator,
		private readonly rng: Rng,
		private readonly index: number,
		private readonly lookbackMs: number,
		private readonly totals: Totals,
	) {}

	insert(at?: Date) {
		const record = this.emulator.store.insert('Lead', { LastName: `S${this.index}`, Company: 'Simulation' }, at ? { at } : {});
		this.live.set(String(record.Id), Date.parse(iso(record.SystemModstamp)));
	}

	/** Salesforce stamps to the second: activation is followed by the next whole second. */
	activate() {
		const { clock } = this.emulator;
		clock.advance(SECOND - (clock.now().getTime() % SECOND) + SECOND);
		this.activatedAt = clock.now().getTime();
	}

	/** One change: an insert, or an update or delete of a live record; late, stamped after `lateSince`, if given. */
	writeOne(preferInsert: boolean, lateSince?: number) {
		const ids = [...this.live.keys()];
		const action = preferInsert || ids.length === 0 ? 'insert' : this.rng.pick(['insert', 'update', 'update', 'delete']);
		this.totals.changes++;
		if (action === 'insert') return this.insert(this.stampFor(this.activatedAt - SECOND, lateSince));
		const id = this.rng.pick(ids);
		const at = this.stampFor(this.live.get(id)!, lateSince);
		if (action === 'update') {
			const record = this.emulator.store.update('Lead', id, { Title: `v${this.rng.int(0, 1e6)}` }, at ? { at } : {});
			this.live.set(id, Date.parse(iso(record.SystemModstamp)));
		} else {
			this.emulator.store.delete('Lead', id, at ? { at } : {});
			this.live.delete(id);
		}
	}

	/**
	 * The stamp of a record's next version: now, or earlier for a transaction that commits late (within 90 % of
	 * the lookback window; always, and after `lateSince`, when that is given). Two versions of one record never
	 * share a second (see the README's limits).
	 */
	private stampFor(previous: number, lateSince?: number): Date | undefined {
		const { clock } = this.emulator;
		if (wholeSecond(clock.now().getTime()) <= previous) clock.advance(previous + SECOND - clock.now().getTime());
		const now = wholeSecond(clock.now().getTime());
		if (lateSince === undefined && !this.rng.chance(0.15)) return undefined;
		const earliest = Math.max(this.activatedAt, previous + SECOND);
		const at =
			lateSince === undefined
				? Math.max(earliest, wholeSecond(now - this.rng.next() * 0.9 * this.lookbackMs))
				: wholeSecond(this.uniform(Math.max(earliest, lateSince, now - 0.9 * this.lookbackMs), now));
		if (at >= now) return undefined;
		this.totals.lateCommits++;
		return new Date(at);
	}

	private uniform(from: number, to: number) {
		return from + this.rng.next() * (to - from);
	}
}

/** The invariant checker: each change emitted at most once, and, after a complete read, every change emitted. */
class Ledger {
	private readonly emittedKeys = new Set<string>();
	private readonly createdIds = new Map<string, number>();
	private readonly deletedIds = new Map<string, number>();

	constructor(
		private readonly label: string,
		private readonly event: TriggerEvent,
		private readonly world: World,
	) {}

	/** Nothing emitted twice, nothing from before the activation, creations and updates told apart. */
	record(emissions: Emission[]) {
		const { label, world } = this;
		for (const { type, record } of emissions) {
			const id = String(record.Id);
			const version = iso(record.SystemModstamp);
			const key = `${type}|${id}|${version}`;
			expect(this.emittedKeys.has(key), `${label}: ${key} emitted twice`).toBe(false);
			this.emittedKeys.add(key);
			expect(Date.parse(version), `${label}: ${key} predates the activation`).toBeGreaterThanOrEqual(world.activatedAt);
			if (type === 'created') {
				this.createdIds.set(id, (this.createdIds.get(id) ?? 0) + 1);
				expect(this.createdIds.get(id), `${label}: ${id} created twice`).toBe(1);
				expect(Date.parse(iso(record.CreatedDate))).toBeGreaterThanOrEqual(world.activatedAt);
			}
			if (type === 'updated') expect(version > iso(record.CreatedDate), `${label}: creation reported as update`).toBe(true);
			if (type === 'deleted') {
				this.deletedIds.set(id, (this.deletedIds.get(id) ?? 0) + 1);
				expect(this.deletedIds.get(id)).toBe(1);
			}
		}
	}

	/** After a poll that re-read from the floor and reached the end: everything visible in `rows` was reported. */
	assertComplete(rows: Array<Record<string, unknown>>) {
		const { event, world } = this;
		for (const row of rows) {
			const id = String(row.Id);
			const version = iso(row.SystemModstamp);
			const created = iso(row.CreatedDate);
			if (Date.parse(version) < world.activatedAt) continue;
			const missing = (what: string) => `${this.label}: ${what} ${id}@${version} never emitted`;
			if (row.IsDeleted) {
				if (event === 'deleted') expect(this.deletedIds.get(id), missing('deletion')).toBe(1);
				continue;
			}
			if (event === 'deleted') continue;
			const createdAfterActivation = Date.parse(created) >= world.activatedAt;
			if (event === 'created') {
				if (createdAfterActivation) expect(this.createdIds.get(id), missing('creation')).toBe(1);
				continue;
			}
			const isCreation = created >= version;
			if (event === 'updated') {
				if (!isCreation) expect(this.emittedKeys.has(`updated|${id}|${version}`), missing('update')).toBe(true);
				continue;
			}
			const versionKey = isCreation ? `created|${id}|${version}` : `updated|${id}|${version}`;
			expect(this.emittedKeys.has(versionKey), missing('version')).toBe(true);
			if (createdAfterActivation) expect(this.createdIds.get(id), missing('creation')).toBe(1);
		}
	}
}

/** The poll driver: polls as n8n runs them, with restarts from the last saved static data and injected failures. */
class PollDriver {
	private memory: TriggerMemory = {};
	private saved: TriggerMemory = {};

	constructor(
		private readonly emulator: Emulator,
		private readonly source: ChangeSource,
		private readonly settings: PollSettings,
		private readonly rng: Rng,
		/** The local clock runs alike but shows another time: only durations may be used. */
		private readonly skewMs: number,
		private readonly totals: Totals,
	) {}

	/** The last poll read to the end of the stream. */
	get caughtUp(): boolean {
		return this.memory.cursor?.caughtUp === true;
	}

	private localNow() {
		return this.emulator.clock.now().getTime() + this.skewMs;
	}

	/** The activation's first poll: it only sets the start position. */
	async activate() {
		await pollChanges(this.source, this.memory, this.settings, this.localNow());
		this.saved = structuredClone(this.memory);
	}

	/**
	 * One poll; its emissions go to the ledger. True when it re-read from the floor to the end (a complete read): it
	 * started caught up, reached the end, and left no settling stretch (a poll that reads past one leaves it set).
	 */
	async poll(ledger: Ledger): Promise<boolean> {
		const { rng, emulator, totals } = this;
		if (rng.chance(0.08)) {
			this.memory = structuredClone(this.saved);
			totals.restarts++;
		}
		if (rng.chance(0.05)) {
			emulator.faults.inject({ path: '/query', status: rng.pick([403, 503]), errorCode: rng.pick(['REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE']), count: 1 });
		}
		const caughtUp = this.memory.cursor?.caughtUp ?? true;
		totals.polls++;
		let outcome;
		try {
			outcome = await pollChanges(this.source, this.memory, this.settings, this.localNow());
		} catch {
			totals.failedPolls++;
			return false;
		}
		emulator.faults.reset();
		if (outcome.interruptedBy !== undefined && outcome.emissions.length === 0) totals.failedPolls++;
		ledger.record(outcome.emissions);
		totals.emitted += outcome.emissions.length;
		if (outcome.emissions.length > 0) this.saved = structuredClone(this.memory);
		const cursor = this.memory.cursor;
		if (cursor?.settling) totals.settlingPolls++;
		const complete = caughtUp && cursor?.caughtUp === true && !cursor.settling && outcome.interruptedBy === undefined;
		if (complete) ledger.assertComplete(emulator.store.all('Lead', { includeDeleted: true }));
		return complete;
	}
}

async function runSchedule(index: number, totals: Totals): Promise<void> {
	const rng = random(SEED + index * 7919);
	const big = index % BIG_EVERY === 7;
	const settings = drawSettings(rng, big);
	const { lookbackMs } = settings;
	const emulator = await startEmulator({ port: 0, seed: false, clock: new Date(Date.UTC(2026, 0, 1) + index * 86_400_000) });
	try {
		emulator.clock.freeze();
		const driver = new PollDriver(emulator, await emulatorSource(emulator.url), settings, rng, rng.int(-86_400_000, 86_400_000), totals);
		const world = new World(emulator, rng, index, lookbackMs, totals);
		for (let count = rng.int(0, 5); count > 0; count--) {
			world.insert();
			emulator.clock.advance(rng.int(0, 2000));
		}
		await driver.activate();
		world.activate();
		const ledger = new Ledger(`schedule ${index} (${settings.event}, seed ${SEED})`, settings.event, world);

		const rounds = big ? rng.int(2, 3) : rng.int(2, 8);
		for (let round = 0; round < rounds; round++) {
			const burst = big && round === 0;
			const changes = burst ? BURST : rng.int(0, 15);
			for (let count = 0; count < changes; count++) {
				// Concurrent writers: many changes land in the same instant, others spread over seconds.
				if (!burst && rng.chance(0.6)) emulator.clock.advance(rng.int(1, 3000));
				if (burst && rng.chance(0.01)) emulator.clock.advance(rng.int(1, 1500));
				world.writeOne(burst && count < BURST * 0.8);
			}
			if (burst) {
				// Drain the burst within seconds, then commit late inside its stretch while it settles.
				const burstStartedAt = world.activatedAt;
				const settlingBefore = totals.settlingPolls;
				for (let polls = 0; polls < 12; polls++) {
					await driver.poll(ledger);
					if (driver.caughtUp) break;
					emulator.clock.advance(rng.int(0, 2000));
				}
				for (let count = rng.int(5, 40); count > 0; count--) {
					world.writeOne(false, burstStartedAt);
					if (rng.chance(0.2)) await driver.poll(ledger);
					emulator.clock.advance(rng.int(0, 3000));
				}
				for (let polls = 0; polls < 8; polls++) {
					await driver.poll(ledger);
					emulator.clock.advance(rng.int(0, Math.floor(lookbackMs / 4)));
				}
				// More than a page of creations was read: the late commits above went into a settling stretch.
				if (settings.event === 'created' || settings.event === 'createdOrUpdated') {
					expect(totals.settlingPolls, `schedule ${index}: the burst never settled`).toBeGreaterThan(settlingBefore);
				}
			}
			for (let polls = burst ? 20 : rng.int(1, 3); polls > 0; polls--) {
				await driver.poll(ledger);
				emulator.clock.advance(rng.int(0, Math.floor(lookbackMs * 1.5)));
			}
		}
		// Drain: let every transaction settle, then poll until a complete re-read.
		emulator.clock.advance(lookbackMs + 1000);
		emulator.faults.reset();
		let complete = false;
		for (let attempt = 0; attempt < 40 && !complete; attempt++) complete = await driver.poll(ledger);
		expect(complete, `schedule ${index}: never caught up`).toBe(true);
		totals.schedules++;
	} finally {
		await emulator.close();
	}
}

describe('trigger simulation', () => {
	it(`emits every change exactly once over ${SCHEDULES} seeded schedules`, { timeout: 900_000 }, async () => {
		const totals: Totals = { schedules: 0, changes: 0, lateCommits: 0, polls: 0, failedPolls: 0, restarts: 0, emitted: 0, settlingPolls: 0 };
		const started = Date.now();
		for (let index = 0; index < SCHEDULES; index++) await runSchedule(index, totals);
		console.log(`trigger simulation (seed ${SEED}, ${((Date.now() - started) / 1000).toFixed(1)} s): ${JSON.stringify(totals)}`);
		expect(totals.schedules).toBe(SCHEDULES);
	});
});
