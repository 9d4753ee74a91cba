/**
 * Cleaning: flag duplicates, cancellations (matched to purchases), missing
 * customers, zero prices, non-positive quantities and outliers — rows stay.
 * @module
 */
export { cleanTransactions, purchases, CLEAN_FLAG_BITS, CLEAN_FLAG_COLUMNS } from "./transactions";
export type {
  CleanOptions, CleanResult, CleanReport, FlagCount, CancellationMatching, OutlierMethod,
} from "./transactions";
