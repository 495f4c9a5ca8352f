import type { Operation } from '../toolkit/operations';
import * as getAll from './getAll.operation';
import * as invoke from './invoke.operation';

/** The Flow resource's operations, by Operation value. */
export const flowOperations: Record<string, Operation> = { getAll, invoke };
