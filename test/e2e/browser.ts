import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { type Browser, type Page, chromium } from 'playwright-core';
import { REPO_ROOT } from '../helpers/repo.js';

const ROOT = REPO_ROOT;
const WEB_SOURCES = [path.join(ROOT, 'web'), path.join(ROOT, 'src/domain')];
const BUILT_INDEX = path.join(ROOT, 'dist/web/index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * `npm test` builds the web app first; a single e2e file run on its own
 * builds it here when dist/web is missing or older than its sources.
 */
export function ensureWebBuilt(): void {
  const built = fs.existsSync(BUILT_INDEX) ? fs.statSync(BUILT_INDEX).mtimeMs : 0;
  if (built > Math.max(...WEB_SOURCES.map(newestMtime))) return;
  const result = spawnSync(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('vite build failed');
}

/** Debian's Chromium, headless; never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.OPENRETINA_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * The file's one Chromium, launched when a suite first asks for it and closed
 * after the file's last test: both dialects' suites share it (a launch costs
 * seconds on a loaded machine), each in browser contexts of its own, which it
 * closes with `closeContexts` when it ends. Call at the top level of the file.
 */
export function chromiumForFile(): () => Promise<Browser> {
  let launched: Promise<Browser> | undefined;
  after(async () => {
    await (await launched)?.close();
  });
  return () => (launched ??= launchChromium());
}

/** Ends a suite's use of the shared browser: its pages and their contexts, so the next suite starts clean. */
export async function closeContexts(browser: Browser | undefined): Promise<void> {
  await Promise.all((browser?.contexts() ?? []).map((context) => context.close()));
}

// The page's globals, as far as the functions evaluated in it use them (this project has no DOM lib).
declare const document: {
  readonly activeElement: { readonly type?: string; readonly value?: string; getAttribute(name: string): string | null; readonly textContent: string | null; readonly tagName: string } | null;
};

/** The name (or label) of the focused control, to check keyboard paths step by step. */
export async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return '';
    const value = el.type === 'radio' || el.type === 'checkbox' ? `=${el.value}` : '';
    return (el.getAttribute('name') ?? el.getAttribute('aria-label') ?? el.textContent ?? el.tagName).trim() + value;
  });
}

// axe-core as the page has it once injected (this project has no DOM lib).
declare const axe: {
  run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }>;
};

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');

/**
 * The accessibility violations axe-core finds on the page as it is now
 * (WCAG 2.x A and AA and best practices), one line each with the elements.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const { violations } = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`);
}

interface Box {
  getBoundingClientRect(): { right: number };
  readonly tagName: string;
  readonly className: unknown;
}
interface PageDocument {
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
  querySelectorAll(selector: string): Iterable<Box>;
}

/** Whether the document is wider than the viewport (the page would scroll sideways), and what sticks out. */
export async function scrollsSideways(page: Page): Promise<{ scrollWidth: number; clientWidth: number; wide: string[] } | null> {
  return page.evaluate(() => {
    const doc = document as unknown as PageDocument;
    const root = doc.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const wide = [...doc.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${String(el.className).replace(/ /g, '.')}`);
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
  });
}

declare function getComputedStyle(element: unknown): { readonly outlineStyle: string; readonly outlineWidth: string };

/** About the focused element: a data-testid, its tag, and whether it shows a focus outline. */
export async function focused(page: Page): Promise<{ testId: string | null; tag: string; outline: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return { testId: null, tag: '', outline: 'none' };
    const style = getComputedStyle(el);
    return { testId: el.getAttribute('data-testid'), tag: el.tagName, outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineStyle} ${style.outlineWidth}` };
  });
}

/**
 * A person logged in through the web app's own form, in a context of their
 * own; script errors of the page are collected into `pageErrors`.
 * `bypassCSP` lets a test inject axe-core, which the page's policy refuses.
 */
export async function logInInBrowser(
  browser: Browser,
  baseURL: string,
  email: string,
  password: string,
  pageErrors: string[],
  options: { bypassCSP?: boolean; acceptDownloads?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ baseURL, acceptDownloads: options.acceptDownloads ?? false, viewport: { width: 1600, height: 1000 }, bypassCSP: options.bypassCSP ?? false });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (error) => pageErrors.push(`${email}: ${error.message}`));
  await page.goto('/app/');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/app\/(reading|cases|admin\/centers)$/);
  return page;
}
