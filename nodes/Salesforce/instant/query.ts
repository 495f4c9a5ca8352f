// The instant trigger's queries: records by ID (current values, gap events) and the records changed during a replay
// gap. Identifiers come from describe, IDs are checked, datetimes are literals. Pure code: no I/O.
import { isRecordId } from '../helpers/records';
import { quote, SoqlError, type SelectQuery } from '../helpers/soql';
import { datetimeLiteral } from '../trigger/query';

/** IDs per `Id IN (…)`: 200 IDs take about 5,000 of a URL's 16,384 bytes, leaving the rest for the fields. */
export const IDS_PER_QUERY = 200;

/** The records with these IDs (deleted ones too, with queryAll), in queries of IDS_PER_QUERY IDs. */
export function recordsByIdSelects(sobject: string, fields: string[], ids: string[]): SelectQuery[] {
	const selects: SelectQuery[] = [];
	for (let start = 0; start < ids.length; start += IDS_PER_QUERY) {
		const slice = ids.slice(start, start + IDS_PER_QUERY);
		const invalid = slice.find((id) => !isRecordId(id));
		if (invalid !== undefined) throw new SoqlError(`${invalid} is not a Salesforce record ID`);
		selects.push({ object: sobject, fields, where: `Id IN (${slice.map(quote).join(', ')})` });
	}
	return selects;
}

const literal = (milliseconds: number) => datetimeLiteral(new Date(milliseconds).toISOString());

/**
 * The records changed from `from` (its second included: SystemModstamp has whole seconds, and a change of that second
 * may follow the last one processed) until before `until`'s second (the first retained event's; none: no end).
 */
export function changedBetweenSelect(sobject: string, fields: string[], from: number, until?: number): SelectQuery {
	return {
		object: sobject,
		fields,
		where: [`SystemModstamp >= ${literal(from)}`, ...(until === undefined ? [] : [`SystemModstamp < ${literal(until)}`])].join(' AND '),
		orderBy: [{ field: 'SystemModstamp' }, { field: 'Id' }],
	};
}

/** The object's newest change, deleted records included: "now" on Salesforce's clock, as far as this object tells. */
export function newestChangeSelect(sobject: string): SelectQuery {
	return { object: sobject, fields: ['Id', 'SystemModstamp'], orderBy: [{ field: 'SystemModstamp', direction: 'DESC' }, { field: 'Id', direction: 'DESC' }], limit: 1 };
}
