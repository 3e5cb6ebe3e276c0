// Types for harness.mjs (plain JS so the benchmark can import it too).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { HostToWebview, ModelGraph, SummaryJson, WebviewState, WebviewToHost, InputShapes } from '../../src/shared/webviewProtocol';

export const root: string;
export const ORIGIN: string;
export const CHROMIUM_ARGS: string[];
export function launchChromium(): Promise<Browser>;
export function cliSummary(file: string, extra?: string[]): SummaryJson;
export function summaryHtml(o?: { csp?: boolean; theme?: string; nonce?: string }): Promise<string>;
export function openWebview(browser: Browser, o?: {
  theme?: 'light' | 'dark'; csp?: boolean; state?: WebviewState;
  onPost?: (msg: WebviewToHost, page: Page) => void | Promise<void>;
  viewport?: { width: number; height: number };
}): Promise<{ page: Page; context: BrowserContext; errors: string[] }>;
export function postToWebview(page: Page, msg: HostToWebview): Promise<number | undefined>;
export function viewMessage(summary: SummaryJson, o?: {
  type?: 'init' | 'update'; model?: string | null; inputShapes?: InputShapes | null; theme?: 'light' | 'dark'; fileName?: string; graph?: ModelGraph;
}): HostToWebview;
