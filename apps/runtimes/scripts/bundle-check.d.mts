export interface Budget {
  minified: number;
  gzip: number;
}
export interface BundleRow {
  name: string;
  minified: number;
  gzip: number;
  budget: Budget | undefined;
  errors: string[];
  inputs: number;
}
export const appRoot: string;
export const budgetsFile: string;
export const WEB_PACKAGES: Array<{ name: string; entry: string }>;
export const EDGE_STORES: Array<{ name: string; entry: string }>;
export function isNodeBuiltin(specifier: string): boolean;
export function checkBundle(
  name: string,
  entry: string,
  budget: Budget | undefined,
): Promise<BundleRow>;
export function readBudgets(): Record<string, Budget>;
export function bundleCheck(budgets?: Record<string, Budget>): Promise<BundleRow[]>;
export function formatRows(rows: BundleRow[]): string;
