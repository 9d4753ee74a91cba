/**
 * Shared by the Online Retail benches: the dataset's path beside the repository and its load + clean
 * (custlab's Online Retail adapter, cleaning without outlier removal, exact duplicate lines dropped).
 */
import * as path from "path";
import { loadTransactions } from "../src/io";
import { cleanTransactions } from "../src/clean";
import type { Table } from "../src/table";

/** `../shared/datasets/online-retail/online_retail.csv`, beside the repository. */
export const ONLINE_RETAIL = path.resolve(__dirname, "../../shared/datasets/online-retail/online_retail.csv");

/** Loads and cleans Online Retail: `table` as read, `tx` without exact duplicates, `seconds` for both steps. */
export async function loadCleanOnlineRetail(file: string): Promise<{ table: Table; tx: Table; seconds: number }> {
  const t = Date.now();
  const { table } = await loadTransactions(file, { format: "online-retail" });
  const cleaned = cleanTransactions(table, { outlierMethod: "none" }).table;
  const dup = cleaned.num("is_duplicate");
  const tx = cleaned.filter((i) => !dup[i]);
  return { table, tx, seconds: (Date.now() - t) / 1000 };
}
