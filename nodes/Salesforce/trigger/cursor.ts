/**
 * The trigger's cursor, as pure functions: state + one page of records → items to emit + new state. No I/O.
 *
 * Changes are read in Salesforce's order, `ORDER BY <stamp>, Id`, where the stamp is SystemModstamp (updates,
 * deletes) or CreatedDate (creations). A transaction's stamp is taken when it starts, but other readers only see
 * it when it commits: a change can appear "in the past", behind changes already read. Every change becomes visible
 * within the lookback window L of its stamp, so a change still invisible when Salesforce's clock read Q has a stamp
 * after Q - L. The cursor therefore keeps:
 *
 * - `position`: the last change read, in server order (Ids are never compared here, only by Salesforce);
 * - `floor`: the lowest position that may still receive a late commit; polls re-read from it;
 * - `seen`: the changes read at or after the floor's second, keyed Id:stamp, so a re-read emits nothing twice;
 *   pruned by time (the floor), never by count;
 * - `serverTimeAtLeast`: a lower bound H of Salesforce's clock: the newest stamp seen, advanced by the local time
 *   elapsed between polls (durations only: the two clocks need not agree, they only need to tick alike);
 * - `settling`: see below.
 *
 * Why nothing is missed: the floor moves only at the end of a poll that re-read from the floor to the end of the
 * stream, and only up to H - L (H being a lower bound of Salesforce's clock when that read's query ran): every
 * change stamped at or below H - L had committed before the query, so the read returned it, and nothing can commit
 * there later. Why nothing is emitted twice: `seen` holds every change read from the floor's second on, whichever
 * way it was read.
 *
 * A poll that hits the per-poll cap leaves a backlog: the next poll reads forward from `position` only and the
 * floor stays where it was, so a large backlog is read once, not re-read at every poll.
 *
 * A re-read from the floor costs one query call as long as fewer changes than one query page were read since the
 * floor. A longer stretch (a burst) is not re-read at every poll for L: once caught up, the cursor marks its end as
 * `settling` (S) and later polls re-read only what follows S (or, when that too fills a page, read forward from the
 * position). The first poll with H - L at or past S re-reads from the floor once: no late commit can reach the
 * stretch any more, so that one read finds every late commit inside it, the floor moves past it and `seen` forgets
 * it. Until then the floor stays, so the argument above holds unchanged; the price is that a late commit inside a
 * burst's stretch is reported up to L (plus one poll interval) after the stretch's end rather than at the next poll.
 *
 * Nothing cheaper is safe, because no query tells whether a stretch holds a change missing from `seen` without
 * returning the stretch. A count of the stretch's changes (SOQL cannot group by a datetime, so there are no
 * per-second counts either) stays the same when a late commit enters it while a change already read leaves it
 * (updated again, deleted, no longer matching the filter, purged), or when a late update moves a record already
 * read to another stamp inside it. Salesforce's replication calls (getUpdated's latestDateCovered, which does wait
 * for long-running transactions) cover whole minutes, are meant to be polled every five minutes at most, and may
 * stay behind for hours (Knowledge Article 000199029), so they cannot release the floor sooner than H - L does.
 */

/** Which stream the trigger follows. */
export type TriggerEvent = 'created' | 'updated' | 'createdOrUpdated' | 'deleted';
export type EventType = 'created' | 'updated' | 'deleted';

/** A place in the ordered change stream. Without an Id: the start of that second (inclusive). */
export interface Position {
	at: string;
	id?: string;
}

export interface CursorState {
	/** Where watching began; changes before it are not reported. */
	start: Position;
	position: Position;
	floor: Position;
	/** The last poll read to the end of the stream (no cap, no error): the next poll re-reads from the floor. */
	caughtUp: boolean;
	/** ISO stamp → Ids of the changes read with that stamp. */
	seen: Record<string, string[]>;
	serverTimeAtLeast: string;
	/** Local clock (ms) at the last poll; only differences are used. */
	polledAt: number;
	/**
	 * The end of a stretch from the floor too long to re-read at every poll: read once, re-read from the floor once
	 * H - L reaches it. Absent while re-reads from the floor are cheap.
	 */
	settling?: Position;
}

export interface ChangeRecord {
	Id?: string;
	[field: string]: unknown;
}

export interface Emission {
	type: EventType;
	/** The stamp of the change that produced this item (SystemModstamp, or CreatedDate for creations). */
	at: string;
	record: ChangeRecord;
}

/** The stamp field a stream is ordered by. */
export function stampFieldOf(event: TriggerEvent): 'CreatedDate' | 'SystemModstamp' {
	return event === 'created' ? 'CreatedDate' : 'SystemModstamp';
}

/** Salesforce datetimes (`2026-01-31T10:00:00.000+0000`) as ISO strings in UTC. */
export function toIso(value: unknown): string {
	const date = new Date(String(value).replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	if (Number.isNaN(date.getTime())) throw new Error(`Salesforce returned an unreadable datetime: ${String(value)}`);
	return date.toISOString();
}

const secondOf = (iso: string) => Math.floor(Date.parse(iso) / 1000);
const isoOfSecond = (second: number) => new Date(second * 1000).toISOString();

/** State for a trigger that starts at `start` (the newest change at activation, or a chosen date). */
export function initialCursor(start: Position, localNow: number): CursorState {
	return {
		start,
		position: start,
		floor: start,
		caughtUp: true,
		seen: {},
		serverTimeAtLeast: start.at,
		polledAt: localNow,
	};
}

export interface PollPlan {
	/** Read changes strictly after this position (or from its second on, when it has no Id). */
	from: Position;
	/** True when this poll re-reads from the floor (late commits), false when it reads from a later position. */
	fromFloor: boolean;
	state: CursorState;
}

export interface PlanOptions {
	lookbackMs: number;
	/** A poll re-reads fewer changes already read than this (one query page); a longer stretch waits to settle. */
	rereadLimit: number;
}

/**
 * Starts a poll: advances the lower bound of Salesforce's clock by the local time elapsed since the last poll, and
 * chooses where to read from: the position (a backlog), the floor (the usual re-read, or a settled stretch), or the
 * end of a stretch that is still settling.
 */
export function beginPoll(state: CursorState, localNow: number, options: PlanOptions): PollPlan {
	const elapsed = Math.max(0, localNow - state.polledAt);
	const serverTimeAtLeast = new Date(Date.parse(state.serverTimeAtLeast) + elapsed).toISOString();
	const next = { ...state, serverTimeAtLeast, polledAt: localNow };
	if (!state.caughtUp) return { from: state.position, fromFloor: false, state: next };
	const settling = state.settling ?? (seenSince(state, state.floor) < options.rereadLimit ? undefined : state.position);
	if (!settling) return { from: state.floor, fromFloor: true, state: next };
	if (Date.parse(serverTimeAtLeast) - options.lookbackMs >= Date.parse(settling.at)) {
		return { from: state.floor, fromFloor: true, state: { ...next, settling } };
	}
	const from = seenSince(state, settling) < options.rereadLimit ? settling : state.position;
	return { from, fromFloor: false, state: { ...next, settling } };
}

/** How many changes read from `from`'s second on a re-read from there returns again. */
function seenSince(state: CursorState, from: Position): number {
	const second = secondOf(from.at);
	return Object.entries(state.seen).reduce((sum, [at, ids]) => (secondOf(at) >= second ? sum + ids.length : sum), 0);
}

export interface PageOptions {
	event: TriggerEvent;
	/** Records that may still be emitted in this poll. */
	remaining: number;
	/** The floor at the start of the poll: `seen` is complete from its second on. */
	floor: Position;
}

export interface PageResult {
	state: CursorState;
	items: Emission[];
	/** Records that produced items. */
	emittedRecords: number;
	/** The cap was reached before the end of the page. */
	capped: boolean;
}

/**
 * Reads one page (in server order). Records already in `seen` are skipped; the others are emitted and remembered.
 * The returned state is consistent with exactly the returned items, so it can be saved after every page.
 */
export function readPage(state: CursorState, records: ChangeRecord[], options: PageOptions): PageResult {
	const stampField = stampFieldOf(options.event);
	const seen = Object.fromEntries(Object.entries(state.seen).map(([at, ids]) => [at, [...ids]]));
	const seenKeys = new Set(Object.entries(seen).flatMap(([at, ids]) => ids.map((id) => `${id}:${at}`)));
	const seenIds = new Set(Object.values(seen).flat());
	const items: Emission[] = [];
	let position = state.position;
	let serverTimeAtLeast = state.serverTimeAtLeast;
	let emittedRecords = 0;
	let capped = false;

	for (const record of records) {
		const id = String(record.Id);
		const at = toIso(record[stampField]);
		// Every record read proves Salesforce's clock had reached its stamp, including those past the cap.
		if (at > serverTimeAtLeast) serverTimeAtLeast = at;
		if (capped) continue;
		if (seenKeys.has(`${id}:${at}`)) {
			position = { at, id };
			continue;
		}
		if (emittedRecords >= options.remaining) {
			capped = true;
			continue;
		}
		const emissions = classify(record, options, seenIds);
		(seen[at] ??= []).push(id);
		seenKeys.add(`${id}:${at}`);
		seenIds.add(id);
		position = { at, id };
		if (emissions.length > 0) {
			items.push(...emissions);
			emittedRecords++;
		}
	}
	return { state: { ...state, seen, position, serverTimeAtLeast }, items, emittedRecords, capped };
}

/**
 * What one newly read change means. Created vs updated is decided per record: the version whose SystemModstamp
 * equals its CreatedDate is the creation itself; a later version is an update. Polling sees only the latest
 * version, so a record created and edited between two polls arrives as one later version: under "Created or
 * Updated" it yields `created` (when its creation was never reported) followed by `updated`, both carrying the
 * latest field values.
 */
function classify(record: ChangeRecord, options: PageOptions, seenIds: Set<string>): Emission[] {
	const change = latestChange(record, options.event);
	if (options.event === 'updated' && change.type === 'created') return [];
	if (options.event !== 'createdOrUpdated' || change.type !== 'updated') return [change];
	const createdAt = toIso(record.CreatedDate);
	return creationUnreported(createdAt, String(record.Id), options.floor, seenIds)
		? [{ type: 'created', at: createdAt, record }, change]
		: [change];
}

/**
 * What a record's latest version shows, in the stream `event` follows: a deletion, or its creation (the version
 * whose SystemModstamp equals its CreatedDate), or an update.
 */
export function latestChange(record: ChangeRecord, event: TriggerEvent): Emission {
	const at = toIso(record[stampFieldOf(event)]);
	if (event === 'deleted') return { type: 'deleted', at, record };
	const createdAt = toIso(record.CreatedDate);
	return createdAt >= at ? { type: 'created', at: createdAt, record } : { type: 'updated', at, record };
}

/**
 * A creation at or after the floor's second was reported iff some version of the record was read: every version
 * is at least as new as the creation, and `seen` is complete from the floor's second on. A creation before the
 * floor had been visible to an earlier poll that read the whole stream, or predates the start.
 */
function creationUnreported(createdAt: string, id: string, floor: Position, seenIds: Set<string>): boolean {
	const created = secondOf(createdAt);
	const floorSecond = secondOf(floor.at);
	const afterFloor = floor.id === undefined ? created >= floorSecond : created > floorSecond;
	return afterFloor && !seenIds.has(id);
}

export interface FinishOptions {
	/** This poll started its read at the floor (PollPlan.fromFloor). */
	fromFloor: boolean;
	/** The poll read the stream to its end: neither the cap nor an error stopped it. */
	reachedEnd: boolean;
	lookbackMs: number;
}

/**
 * Ends a poll: moves the floor to the lowest position a late commit can still reach (never below the start),
 * and forgets the changes below the floor's second. A complete re-read from the floor ends any settling stretch.
 */
export function finishPoll(state: CursorState, options: FinishOptions): CursorState {
	const horizon = Date.parse(state.serverTimeAtLeast) - options.lookbackMs;
	const rereadToEnd = options.fromFloor && options.reachedEnd;
	// Changes read in this poll that may still be joined by late commits: from H - L up to the position.
	let floor: Position =
		horizon < Date.parse(state.position.at) ? { at: isoOfSecond(Math.floor(horizon / 1000)) } : state.position;
	// Unless this poll re-read everything from the floor to the end (a backlog read forward, a settling stretch not
	// re-read, or a read cut short by the cap or an error), the older stretch from the floor on is not checked yet:
	// keep the older floor.
	if (!rereadToEnd && isBefore(state.floor, floor)) floor = state.floor;
	if (isBefore(floor, state.start)) floor = state.start;
	const floorSecond = secondOf(floor.at);
	const seen = Object.fromEntries(Object.entries(state.seen).filter(([at]) => secondOf(at) >= floorSecond));
	const { settling, ...rest } = state;
	return { ...rest, floor, seen, caughtUp: options.reachedEnd, ...(settling && !rereadToEnd ? { settling } : {}) };
}

/** Time-only comparison: a position with an Id sorts after the start of its second. */
function isBefore(a: Position, b: Position): boolean {
	const difference = Date.parse(a.at) - Date.parse(b.at);
	if (difference !== 0) return difference < 0;
	return a.id === undefined && b.id !== undefined;
}

/** Salesforce keeps deleted records in the Recycle Bin for 15 days; queryAll cannot see older deletions. */
export const RECYCLE_BIN_RETENTION_MS = 15 * 24 * 60 * 60 * 1000;

/**
 * Deletions that may already be purged: those after the point the trigger had read through (everything visible
 * at the last complete read, the floor while a stretch is settling, or the backlog position) and older than the
 * Recycle Bin keeps.
 */
export function purgedDeletionsBefore(
	state: CursorState,
	lookbackMs: number,
	localNow: number,
): { readThrough: string; oldestKept: string } | undefined {
	const lastServerTime = Date.parse(state.serverTimeAtLeast);
	const readThrough = state.settling
		? Date.parse(state.floor.at)
		: state.caughtUp
			? Math.max(Date.parse(state.floor.at), lastServerTime - lookbackMs)
			: Date.parse(state.position.at);
	const oldestKept = lastServerTime + Math.max(0, localNow - state.polledAt) - RECYCLE_BIN_RETENTION_MS;
	if (readThrough >= oldestKept) return undefined;
	return { readThrough: new Date(readThrough).toISOString(), oldestKept: new Date(oldestKept).toISOString() };
}
