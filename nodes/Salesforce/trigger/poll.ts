import { buildSelect, type SelectQuery } from '../helpers/soql';
import type { DescribeResult, QueryPage, SalesforceRecord } from '../transport';
import { errorCodeOf } from '../transport/errors';
import type { QueryOptions } from '../transport/query';
import {
	beginPoll,
	finishPoll,
	initialCursor,
	latestChange,
	purgedDeletionsBefore,
	readPage,
	stampFieldOf,
	toIso,
	type CursorState,
	type Emission,
	type Position,
} from './cursor';
import { changesSelect, compileWatch, newestSelect, type CompiledWatch, type WatchSettings } from './query';

/** The calls a poll makes; SalesforceClient provides them (and so can a test double). */
export interface ChangeSource {
	/** `options.select`: the parts of `soql`, so that a query too long for one URL (a wide object) is read in parts. */
	query(soql: string, options?: QueryOptions): Promise<QueryPage<SalesforceRecord>>;
	queryMore(nextRecordsUrl: string): Promise<QueryPage<SalesforceRecord>>;
	describe(sobject: string): Promise<DescribeResult>;
}

/** The node's static data: everything the trigger remembers between polls. */
export interface TriggerMemory {
	/** Object and event being watched; a change of either starts over. */
	watch?: string;
	cursor?: CursorState;
	compiled?: CompiledWatch & { key: string; compiledAt: number };
	/** The floor for which purged deletions were already reported. */
	purgeReportedFor?: string;
}

export interface PollSettings extends WatchSettings {
	lookbackMs: number;
	maxRecordsPerPoll: number;
	/** First activation: start from this date instead of the newest change. */
	startAt?: string;
}

/** Describe results are reused for an hour: idle polls then cost one query. */
const FIELD_CACHE_TTL_MS = 60 * 60 * 1000;
/** One query page; a poll also re-reads fewer changes than this from the floor, so that an idle poll is one call. */
const PAGE_SIZE = 2000;

export class PurgedDeletionsError extends Error {}

export interface PollOutcome {
	emissions: Emission[];
	/**
	 * The failure that stopped the reading of changes, if any. `memory` then holds the cursor after the last page
	 * read, consistent with `emissions`: the caller emits them (and logs the failure) or, with none, reports it.
	 */
	interruptedBy?: unknown;
}

/**
 * One poll: reads changes page by page through `nextRecordsUrl`, saving the cursor into `memory` after every page,
 * so the saved state always matches the items gathered so far.
 */
export async function pollChanges(
	source: ChangeSource,
	memory: TriggerMemory,
	settings: PollSettings,
	localNow: number,
): Promise<PollOutcome> {
	const watch = `${settings.sobject}|${settings.event}`;
	if (memory.watch !== watch) {
		for (const key of Object.keys(memory) as Array<keyof TriggerMemory>) delete memory[key];
		memory.watch = watch;
	}
	const compiled = await compiledWatch(source, memory, settings, localNow);
	if (!memory.cursor) {
		const start = settings.startAt ? { at: toIso(settings.startAt) } : await newestPosition(source, settings);
		memory.cursor = initialCursor(start, localNow);
	}
	if (settings.event === 'deleted') reportPurgedDeletions(memory, memory.cursor, settings.lookbackMs, localNow);

	const plan = beginPoll(memory.cursor, localNow, { lookbackMs: settings.lookbackMs, rereadLimit: PAGE_SIZE });
	memory.cursor = plan.state;
	const floor = plan.state.floor;
	const emissions: Emission[] = [];
	let emittedRecords = 0;
	let readRecords = 0;
	let reachedEnd = false;
	// Enough rows for the cap plus every change that may be re-read and skipped; a full result means "more to come".
	const limit = settings.maxRecordsPerPoll + Object.values(plan.state.seen).reduce((sum, ids) => sum + ids.length, 0);
	try {
		const select = changesSelect(settings.sobject, settings.event, compiled, plan.from, limit);
		let page = await query(source, select, { includeDeleted: settings.event === 'deleted', batchSize: PAGE_SIZE });
		for (;;) {
			const remaining = settings.maxRecordsPerPoll - emittedRecords;
			const result = readPage(memory.cursor, page.records, { event: settings.event, remaining, floor });
			memory.cursor = result.state;
			emissions.push(...result.items);
			emittedRecords += result.emittedRecords;
			readRecords += page.records.length;
			if (page.done || !page.nextRecordsUrl) {
				reachedEnd = !result.capped && readRecords < limit;
				break;
			}
			if (result.capped || emittedRecords >= settings.maxRecordsPerPoll) break;
			page = await source.queryMore(page.nextRecordsUrl);
		}
	} catch (error) {
		memory.cursor = finishPoll(memory.cursor, { fromFloor: plan.fromFloor, reachedEnd: false, lookbackMs: settings.lookbackMs });
		if (isInvalidField(error)) delete memory.compiled;
		return { emissions, interruptedBy: error };
	}
	memory.cursor = finishPoll(memory.cursor, { fromFloor: plan.fromFloor, reachedEnd, lookbackMs: settings.lookbackMs });
	return { emissions };
}

/** The first page of a SELECT, its parts passed along for the transport. */
const query = (source: ChangeSource, select: SelectQuery, options: QueryOptions) => source.query(buildSelect(select), { ...options, select });

/** The newest matching changes, newest first, without touching the cursor (the editor's "Fetch Test Event"). */
export async function newestChanges(source: ChangeSource, settings: PollSettings, limit: number): Promise<Emission[]> {
	const describe = await source.describe(settings.sobject);
	const compiled = compileWatch(describe.fields, settings);
	const select = newestSelect(settings.sobject, settings.event, compiled.fields, compiled.where, limit);
	const page = await query(source, select, { includeDeleted: settings.event === 'deleted' });
	return page.records.map((record) => latestChange(record, settings.event));
}

async function compiledWatch(source: ChangeSource, memory: TriggerMemory, settings: PollSettings, localNow: number) {
	const key = JSON.stringify([settings.fields, settings.recordTypeId, settings.conditions, settings.combinator, settings.where]);
	const cached = memory.compiled;
	if (cached && cached.key === key && localNow - cached.compiledAt >= 0 && localNow - cached.compiledAt < FIELD_CACHE_TTL_MS) {
		return cached;
	}
	const describe = await source.describe(settings.sobject);
	memory.compiled = { ...compileWatch(describe.fields, settings), key, compiledAt: localNow };
	return memory.compiled;
}

/** "Now" in Salesforce's terms: the newest change of the object (all records, whatever the filter). */
async function newestPosition(source: ChangeSource, settings: PollSettings): Promise<Position> {
	const stampField = stampFieldOf(settings.event);
	const select = newestSelect(settings.sobject, settings.event, ['Id', stampField], undefined, 1);
	const { records } = await query(source, select, { includeDeleted: settings.event === 'deleted' });
	const newest = records[0];
	return newest ? { at: toIso(newest[stampField]), id: String(newest.Id) } : { at: new Date(0).toISOString() };
}

function reportPurgedDeletions(memory: TriggerMemory, cursor: CursorState, lookbackMs: number, localNow: number) {
	const gap = purgedDeletionsBefore(cursor, lookbackMs, localNow);
	if (!gap || memory.purgeReportedFor === gap.readThrough) return;
	memory.purgeReportedFor = gap.readThrough;
	throw new PurgedDeletionsError(
		`Deletions between ${gap.readThrough} and ${gap.oldestKept} may be missing: Salesforce keeps deleted records in the Recycle Bin for 15 days, and the trigger had read deletions only up to ${gap.readThrough}. The next poll continues with the deletions Salesforce still has.`,
	);
}

/** Salesforce's INVALID_FIELD (a field deleted or hidden since the watch was compiled), by its error code. */
function isInvalidField(error: unknown): boolean {
	return errorCodeOf(error) === 'INVALID_FIELD';
}
