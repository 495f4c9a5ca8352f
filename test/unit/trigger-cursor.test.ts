import { describe, expect, it } from 'vitest';

import {
	beginPoll,
	finishPoll,
	initialCursor,
	purgedDeletionsBefore,
	readPage,
	RECYCLE_BIN_RETENTION_MS,
	toIso,
	type ChangeRecord,
	type CursorState,
	type TriggerEvent,
} from '../../nodes/Salesforce/trigger/cursor.ts';

const MINUTE = 60_000;
const LOOKBACK = 10 * MINUTE;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const PLAN = { lookbackMs: LOOKBACK, rereadLimit: 2000 };
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString().replace('Z', '+0000');

function change(id: string, modifiedMs: number, createdMs = modifiedMs): ChangeRecord {
	return { Id: id, CreatedDate: at(createdMs), SystemModstamp: at(modifiedMs), Name: id };
}

/** One whole poll over one page, as pollChanges runs it. */
function poll(state: CursorState, records: ChangeRecord[], localNow: number, event: TriggerEvent = 'createdOrUpdated', cap = 100, options = PLAN) {
	const plan = beginPoll(state, localNow, options);
	const page = readPage(plan.state, records, { event, remaining: cap, floor: plan.state.floor });
	const next = finishPoll(page.state, { fromFloor: plan.fromFloor, reachedEnd: !page.capped, lookbackMs: LOOKBACK });
	return { plan, page, state: next, types: page.items.map((item) => `${item.type}:${String(item.record.Id)}`) };
}

describe('trigger cursor', () => {
	const start = { at: toIso(at(0)), id: 'A0' };

	it('emits new changes once and remembers them as Id:SystemModstamp', () => {
		const first = poll(initialCursor(start, 0), [change('A1', 1000), change('A2', 1000)], 5000);
		expect(first.types).toEqual(['created:A1', 'created:A2']);
		expect(first.state.position).toEqual({ at: toIso(at(1000)), id: 'A2' });
		expect(first.state.seen[toIso(at(1000))]).toEqual(['A1', 'A2']);

		const again = poll(first.state, [change('A1', 1000), change('A2', 1000)], 6000);
		expect(again.types).toEqual([]);
	});

	it('re-reads from the floor and emits a late commit inside the lookback window exactly once', () => {
		const first = poll(initialCursor(start, 0), [change('A1', 60_000)], 61_000);
		// Salesforce's clock is at least 61 s: the floor is H - L, before the start, so it stays at the start.
		expect(first.state.floor).toEqual(start);
		expect(first.state.caughtUp).toBe(true);

		const plan = beginPoll(first.state, 120_000, PLAN);
		expect(plan.fromFloor).toBe(true);
		expect(plan.from).toEqual(start);
		// A transaction stamped at 30 s commits now, behind A1.
		const late = poll(first.state, [change('L1', 30_000), change('A1', 60_000)], 120_000);
		expect(late.types).toEqual(['created:L1']);
		const replay = poll(late.state, [change('L1', 30_000), change('A1', 60_000)], 121_000);
		expect(replay.types).toEqual([]);
	});

	it('moves the floor to H - L and prunes what is below it, by time and not by count', () => {
		let state = initialCursor({ at: toIso(at(0)) }, 0);
		state = poll(state, [change('A1', 1000), change('A2', 20 * MINUTE)], 20 * MINUTE).state;
		// H = 20 min, L = 10 min: the floor is 10 min, A1 (1 s) leaves the dedupe set, A2 stays.
		expect(state.floor).toEqual({ at: toIso(at(10 * MINUTE)) });
		expect(Object.values(state.seen).flat()).toEqual(['A2']);

		// Local time passes without changes: H moves on and the floor reaches the position itself.
		state = poll(state, [change('A2', 20 * MINUTE)], 40 * MINUTE).state;
		expect(state.floor).toEqual({ at: toIso(at(20 * MINUTE)), id: 'A2' });
		expect(Object.values(state.seen).flat()).toEqual(['A2']);
	});

	it('never lets a clock going backwards move the lower bound of server time back', () => {
		const state = { ...initialCursor(start, 10_000), serverTimeAtLeast: toIso(at(5000)) };
		expect(beginPoll(state, 4000, PLAN).state.serverTimeAtLeast).toBe(toIso(at(5000)));
		expect(beginPoll(state, 13_000, PLAN).state.serverTimeAtLeast).toBe(toIso(at(8000)));
	});

	it('caps a poll, then reads the backlog forward from the position and keeps the floor until caught up', () => {
		const records = Array.from({ length: 5 }, (_, index) => change(`B${index}`, 1000 * (index + 1)));
		const first = poll(initialCursor(start, 0), records, 1000, 'createdOrUpdated', 2);
		expect(first.types).toEqual(['created:B0', 'created:B1']);
		expect(first.page.capped).toBe(true);
		expect(first.state.caughtUp).toBe(false);
		expect(first.state.position).toEqual({ at: toIso(at(2000)), id: 'B1' });

		const plan = beginPoll(first.state, 2000, PLAN);
		expect(plan.fromFloor).toBe(false);
		expect(plan.from).toEqual(first.state.position);
		const second = poll(first.state, records.slice(2), 2000, 'createdOrUpdated', 2);
		expect(second.types).toEqual(['created:B2', 'created:B3']);
		expect(second.state.floor).toEqual(first.state.floor);

		const third = poll(second.state, records.slice(4), 3000, 'createdOrUpdated', 2);
		expect(third.types).toEqual(['created:B4']);
		expect(third.state.caughtUp).toBe(true);
		expect(beginPoll(third.state, 4000, PLAN).fromFloor).toBe(true);
	});

	it('counts the cap in records and keeps reading records it has already seen past the cap', () => {
		const state = poll(initialCursor(start, 0), [change('S1', 1000)], 1000).state;
		const result = poll(state, [change('S1', 1000), change('N1', 2000), change('N2', 3000)], 2000, 'createdOrUpdated', 1);
		expect(result.types).toEqual(['created:N1']);
		expect(result.state.position.id).toBe('N1');
	});

	describe('created or updated, decided per record', () => {
		const fresh = () => initialCursor(start, 0);

		it('a version stamped at its creation is the creation', () => {
			expect(poll(fresh(), [change('C1', 1000)], 1000).types).toEqual(['created:C1']);
		});

		it('a record created and edited between two polls yields created, then updated', () => {
			const result = poll(fresh(), [change('C1', 5000, 1000)], 5000);
			expect(result.types).toEqual(['created:C1', 'updated:C1']);
			expect(result.page.items[0].at).toBe(toIso(at(1000)));
			expect(result.page.items[1].at).toBe(toIso(at(5000)));
		});

		it('a record already reported yields updated only', () => {
			const first = poll(fresh(), [change('C1', 1000)], 1000);
			expect(poll(first.state, [change('C1', 9000, 1000)], 9000).types).toEqual(['updated:C1']);
		});

		it('a record created before the watch started yields updated only', () => {
			expect(poll(fresh(), [change('OLD', 5000, -60_000)], 5000).types).toEqual(['updated:OLD']);
		});

		it('Updated skips creations; Created and Deleted report every new change as such', () => {
			expect(poll(fresh(), [change('C1', 1000), change('C2', 5000, 1000)], 5000, 'updated').types).toEqual(['updated:C2']);
			const created = { Id: 'C3', CreatedDate: at(1000), SystemModstamp: at(9000) };
			expect(poll(fresh(), [created], 9000, 'created').page.items).toMatchObject([{ type: 'created', at: toIso(at(1000)) }]);
			expect(poll(fresh(), [change('D1', 2000, 0)], 2000, 'deleted').types).toEqual(['deleted:D1']);
		});
	});

	it('reports deletions the Recycle Bin may have purged when the trigger read nothing for 15 days', () => {
		const state = { ...initialCursor({ at: toIso(at(0)) }, 0), caughtUp: true };
		expect(purgedDeletionsBefore(state, LOOKBACK, 14 * 24 * 60 * MINUTE)).toBeUndefined();
		const gap = purgedDeletionsBefore(state, LOOKBACK, RECYCLE_BIN_RETENTION_MS + 60 * MINUTE);
		expect(gap).toEqual({ readThrough: toIso(at(0)), oldestKept: toIso(at(60 * MINUTE)) });
	});

	it('reads Salesforce datetimes in any offset', () => {
		expect(toIso('2026-03-01T14:00:00.000+0200')).toBe('2026-03-01T12:00:00.000Z');
		expect(() => toIso('yesterday')).toThrow(/unreadable datetime/);
	});
});

describe('trigger cursor after a failed re-read', () => {
	it('keeps the floor when a re-read from the floor fails before reaching the end', () => {
		const start = { at: toIso(at(0)) };
		let state = poll(initialCursor(start, 0), [change('A1', 1000)], 1000).state;
		const plan = beginPoll(state, 60 * MINUTE, PLAN);
		expect(plan.fromFloor).toBe(true);
		// The first query fails: nothing read, but Salesforce's clock has moved on by an hour.
		state = finishPoll(plan.state, { fromFloor: true, reachedEnd: false, lookbackMs: LOOKBACK });
		expect(state.floor).toEqual(start);
		expect(state.caughtUp).toBe(false);
		// A late commit inside the stretch that was not re-read is still found once the backlog is read.
		const forward = poll(state, [], 61 * MINUTE);
		expect(forward.plan.fromFloor).toBe(false);
		const reread = poll(forward.state, [change('LATE', 500), change('A1', 1000)], 62 * MINUTE);
		expect(reread.plan.from).toEqual(start);
		expect(reread.types).toEqual(['created:LATE']);
	});
});

describe('trigger cursor after a burst: a stretch too long to re-read at every poll', () => {
	// Three changes already read fill a "page" here, as 2,000 do in a poll.
	const SMALL_PAGE = { lookbackMs: LOOKBACK, rereadLimit: 3 };
	const start = { at: toIso(at(0)) };
	const burst = Array.from({ length: 5 }, (_, index) => change(`B${index}`, 1000 * (index + 1)));
	const drained = () => poll(initialCursor(start, 0), burst, 5000, 'createdOrUpdated', 100, SMALL_PAGE).state;
	const ids = (state: CursorState) => Object.values(state.seen).flat();

	it('is read forward only, its end marked settling, while the floor and the dedupe set stay', () => {
		const state = drained();
		const plan = beginPoll(state, 65_000, SMALL_PAGE);
		expect(plan.fromFloor).toBe(false);
		expect(plan.from).toEqual({ at: toIso(at(5000)), id: 'B4' });
		expect(plan.state.settling).toEqual(plan.from);

		const idle = poll(state, [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE);
		expect(idle.state.floor).toEqual(start);
		expect(idle.state.settling).toEqual({ at: toIso(at(5000)), id: 'B4' });
		expect(ids(idle.state)).toEqual(['B0', 'B1', 'B2', 'B3', 'B4']);
	});

	it('re-reads after its end at every poll, so a late commit after the burst is still reported at the next poll', () => {
		const settling = poll(drained(), [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const plan = beginPoll(settling, 125_000, SMALL_PAGE);
		expect(plan.from).toEqual(settling.settling);
		// A transaction stamped at 30 s commits now, after the burst's end and behind N1.
		const next = poll(settling, [change('M1', 30_000), change('N1', 120_000)], 125_000, 'createdOrUpdated', 100, SMALL_PAGE);
		expect(next.types).toEqual(['created:M1', 'created:N1']);
		expect(next.state.floor).toEqual(start);
	});

	it('reads forward from the position when what follows its end fills a page too', () => {
		const settling = poll(drained(), [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const more = [6, 7, 8].map((second) => change(`C${second}`, second * 1000));
		const after = poll(settling, more, 70_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const plan = beginPoll(after, 75_000, SMALL_PAGE);
		expect(plan.from).toEqual({ at: toIso(at(8000)), id: 'C8' });
		expect(plan.state.settling).toEqual(settling.settling);
	});

	it('is re-read from the floor once H - L passes its end: a late commit inside it is reported then, once', () => {
		let state = poll(drained(), [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		// A transaction stamped at 2.5 s commits inside the burst: the polls before H - L passes 5 s do not read it.
		const late = change('L1', 2500);
		state = poll(state, [], 5000 + LOOKBACK - 1000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const plan = beginPoll(state, 5000 + LOOKBACK, SMALL_PAGE);
		expect(plan.fromFloor).toBe(true);
		expect(plan.from).toEqual(start);
		const reread = poll(state, [burst[0], burst[1], late, ...burst.slice(2)], 5000 + LOOKBACK, 'createdOrUpdated', 100, SMALL_PAGE);
		expect(reread.types).toEqual(['created:L1']);
		// Settled: the floor moves past the burst, the dedupe set forgets it, and re-reads are cheap again.
		expect(reread.state.settling).toBeUndefined();
		expect(reread.state.floor).toEqual({ at: toIso(at(5000)), id: 'B4' });
		expect(ids(reread.state)).toEqual(['B4']);
		expect(beginPoll(reread.state, 6000 + LOOKBACK, SMALL_PAGE)).toMatchObject({ fromFloor: true, from: reread.state.floor });
	});

	it('keeps its end when the settled re-read is cut short, and re-reads from the floor again once the backlog is read', () => {
		const settling = poll(drained(), [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const fresh = [change('N1', 20 * MINUTE), change('N2', 20 * MINUTE)];
		const capped = poll(settling, [...burst, ...fresh], 20 * MINUTE, 'createdOrUpdated', 1, SMALL_PAGE);
		expect(capped.plan.fromFloor).toBe(true);
		expect(capped.types).toEqual(['created:N1']);
		expect(capped.state).toMatchObject({ caughtUp: false, floor: start, settling: settling.settling });
		const backlog = poll(capped.state, [fresh[1]], 20 * MINUTE + 1000, 'createdOrUpdated', 1, SMALL_PAGE);
		expect(backlog.plan.fromFloor).toBe(false);
		expect(backlog.types).toEqual(['created:N2']);
		expect(beginPoll(backlog.state, 20 * MINUTE + 2000, SMALL_PAGE).fromFloor).toBe(true);
	});

	it('counts as read only up to the floor when deletions may have been purged', () => {
		const settling = poll(drained(), [], 65_000, 'createdOrUpdated', 100, SMALL_PAGE).state;
		const gap = purgedDeletionsBefore(settling, LOOKBACK, 65_000 + RECYCLE_BIN_RETENTION_MS + 60 * MINUTE);
		expect(gap?.readThrough).toBe(start.at);
	});
});
