// Types for harness.mjs (plain JS so the benchmark can import it too).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HostToWebview, ModelGraph, SummaryJson, TranslateWebviewState, TranslateWebviewToHost, WebviewState, WebviewToHost, InputShapes } from '../../src/shared/webviewProtocol';

export const root: string;
export const ORIGIN: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<Browser>;
export function cliSummary(file: string, extra?: string[]): SummaryJson;
export function cliTranslate(file: string, target: string, extra?: string[]): { code: string; notes: Array<{ line: number; message: string }> };
export function translateHtml(o?: { csp?: boolean; theme?: string; nonce?: string }): Promise<string>;
export function summaryHtml(o?: { csp?: boolean; theme?: string; nonce?: string }): Promise<string>;
export function openWebview(browser: Browser, o?: {
  theme?: 'light' | 'dark'; csp?: boolean; state?: WebviewState | TranslateWebviewState;
  onPost?: (msg: WebviewToHost | TranslateWebviewToHost, page: Page) => void | Promise<void>;
  viewport?: { width: number; height: number };
  /** `translate`: the translation view / snippet picker page (dist/translate.js) instead of the summary. */
  kind?: 'summary' | 'translate';
}): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
export function postToWebview(page: Page, msg: HostToWebview): Promise<number | undefined>;
export function viewMessage(summary: SummaryJson, o?: {
  type?: 'init' | 'update'; model?: string | null; inputShapes?: InputShapes | null; theme?: 'light' | 'dark'; fileName?: string; graph?: ModelGraph;
}): HostToWebview;
