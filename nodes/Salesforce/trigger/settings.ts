import type { IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fieldNames } from '../helpers/query';
import { assertObjectName, soqlInteger, SoqlError } from '../helpers/soql';
import { quoteValue } from '../helpers/text';
import { conditionOf, type ConditionParameters } from '../properties/conditions';
import type { TriggerEvent } from './cursor';
import { watchedObject } from './loadOptions';
import type { PollSettings } from './poll';

/**
 * Ten minutes: Salesforce ends any transaction after 10 minutes, so no change commits later than that after the
 * SystemModstamp it carries.
 */
export const DEFAULT_LOOKBACK_MINUTES = 10;
/** One Salesforce query page. */
export const DEFAULT_MAX_RECORDS_PER_POLL = 2000;

/** The trigger's parameters, each checked; a NodeOperationError names the one that is not valid. */
export function readSettings(ctx: IPollFunctions): PollSettings {
	try {
		return settingsOf(ctx);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), error as Error, { description: 'Check the parameters of the trigger.' });
	}
}

/** The parameters as PollSettings; a SoqlError names the one that is not valid. */
function settingsOf(ctx: IPollFunctions): PollSettings {
	const sobject = watchedObject(ctx.getNodeParameter('sobject') as string, ctx.getNodeParameter('otherObject', ''));
	if (!sobject) throw new SoqlError('Choose the object to watch');
	const filters = ctx.getNodeParameter('filters', {}) as {
		conditions?: { condition?: ConditionParameters[] };
		combinator?: unknown;
		recordTypeId?: string;
		where?: string;
	};
	const options = ctx.getNodeParameter('options', {}) as {
		fields?: unknown;
		lookbackMinutes?: unknown;
		maxRecordsPerPoll?: unknown;
		startAt?: string;
	};
	const lookbackMinutes = options.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES;
	if (typeof lookbackMinutes !== 'number' || !Number.isFinite(lookbackMinutes) || lookbackMinutes < 0) {
		throw new SoqlError(`Lookback Window (Minutes) must be a number of at least 0, not ${quoteValue(lookbackMinutes)}`);
	}
	if (options.startAt && Number.isNaN(Date.parse(options.startAt))) {
		throw new SoqlError(`Start From must be a date such as 2026-01-31T12:00:00Z, not ${quoteValue(options.startAt)}`);
	}
	return {
		sobject: assertObjectName(sobject),
		event: ctx.getNodeParameter('event') as TriggerEvent,
		fields: fieldNames('Field Names or IDs', options.fields),
		recordTypeId: filters.recordTypeId || undefined,
		conditions: (filters.conditions?.condition ?? []).map(conditionOf),
		combinator: filters.combinator ?? 'AND',
		where: filters.where || undefined,
		lookbackMs: lookbackMinutes * 60_000,
		maxRecordsPerPoll: soqlInteger('Max Records per Poll', options.maxRecordsPerPoll ?? DEFAULT_MAX_RECORDS_PER_POLL),
		startAt: options.startAt || undefined,
	};
}
