// Debian's headless Chromium driven over the DevTools protocol with Node's own WebSocket, for tests that look at a
// local page as a person would: open it, wait for it to load, read what it shows, click and choose in it, take a
// screenshot. No browser-automation dependency: one browser-level socket, one flattened session per tab.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Gitignored; a person looks here after a run to see the pages as the tests saw them. */
export const SCREENSHOTS = join(process.cwd(), '.tmp', 'screenshots');

type CdpMessage = {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
};

export type Viewport = { width: number; height: number; deviceScaleFactor: number; mobile: boolean };

export const VIEWPORTS = {
  /** A supervisor's desk screen. */
  desktop: { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false },
  /** A phone, as most QR scans are. */
  phone: { width: 390, height: 844, deviceScaleFactor: 2, mobile: true },
} satisfies Record<string, Viewport>;

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** One tab of the browser, over the browser's socket with a flattened session. */
export class CdpTab {
  /** Everything the browser logged for this tab (CSP violations land here), as JSON. */
  readonly log: string[] = [];
  /**
   * Console errors (Log domain) and uncaught exceptions (Runtime domain); not the network's own lines, since a
   * refused call (403) may be one of the answers a page is expected to show.
   */
  readonly problems: string[] = [];

  constructor(
    readonly browser: Chromium,
    readonly targetId: string,
    readonly sessionId: string,
  ) {}

  /** Called by the browser for each event of this tab's session. */
  event(method: string, params: Record<string, unknown> = {}): void {
    if (method === 'Log.entryAdded') {
      this.log.push(JSON.stringify(params));
      const entry = params.entry as { level?: string; source?: string } | undefined;
      if (entry?.level === 'error' && entry.source !== 'network') this.problems.push(JSON.stringify(params));
    }
    if (method === 'Runtime.exceptionThrown') this.problems.push(JSON.stringify(params));
  }

  /** A command to this tab, or with `inPage` false to the browser itself. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    inPage = true,
  ): Promise<Record<string, unknown>> {
    return this.browser.send(method, params, inPage ? this.sessionId : undefined);
  }

  /** Evaluates an expression in the page and returns its JSON value. */
  async evaluate<T>(
    expression: string,
    { awaitPromise = false }: { awaitPromise?: boolean } = {},
  ): Promise<T> {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression,
      returnByValue: true,
      awaitPromise,
    });
    if (exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(exceptionDetails)}`);
    return (result as { value: T }).value;
  }

  /** Waits until the document is complete at a URL that passes the test; returns that URL. */
  loaded(what: string, test: (href: string) => boolean, timeoutMs?: number): Promise<string> {
    return waitFor(
      what,
      async () => {
        const state = await this.evaluate<{ href: string; ready: string }>(
          '({ href: location.href, ready: document.readyState })',
        ).catch(() => undefined);
        return state?.ready === 'complete' && test(state.href) ? state.href : undefined;
      },
      timeoutMs,
    );
  }

  /** Loads the URL and waits until the document is complete at a URL that passes `until` (by default, the URL or more). */
  async navigate(
    url: string,
    until: (href: string) => boolean = (href) => href.startsWith(url),
    timeoutMs?: number,
  ): Promise<string> {
    await this.send('Page.navigate', { url });
    return this.loaded(`${url} to load`, until, timeoutMs);
  }

  /** A real mouse click at the middle of the element, as a person's would be. */
  async click(selector: string): Promise<void> {
    const box = await this.evaluate<{ x: number; y: number } | null>(
      `(() => { const e = document.querySelector(${JSON.stringify(selector)}); if (!e) return null;
        e.scrollIntoView({ block: 'center' }); const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; })()`,
    );
    if (!box) throw new Error(`no element ${selector}`);
    for (const type of ['mousePressed', 'mouseReleased']) {
      await this.send('Input.dispatchMouseEvent', { type, ...box, button: 'left', clickCount: 1 });
    }
  }

  /** Chooses an option of a select as a person does: the value changes and `change` fires. */
  choose(selector: string, value: string): Promise<unknown> {
    return this.evaluate(
      `(() => { const s = document.querySelector(${JSON.stringify(selector)}); s.value = ${JSON.stringify(value)};
        s.dispatchEvent(new Event('change', { bubbles: true })); return s.value; })()`,
    );
  }

  /** A PNG of the page, written to `path` (a bare name lands in SCREENSHOTS); returns it. */
  async screenshot(
    path: string,
    { beyondViewport = true }: { beyondViewport?: boolean } = {},
  ): Promise<Buffer> {
    const { data } = await this.send('Page.captureScreenshot', {
      format: 'png',
      ...(beyondViewport ? { captureBeyondViewport: true } : {}),
    });
    const png = Buffer.from(data as string, 'base64');
    const file = resolve(SCREENSHOTS, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, png);
    return png;
  }

  /** Closes this tab (the browser stays). */
  async close(): Promise<void> {
    await this.send('Target.closeTarget', { targetId: this.targetId }, false);
  }
}

export type LaunchOptions = {
  /** Chromium's UI language (`--lang`), e.g. vi-VN; its default otherwise. */
  lang?: string;
  /** How long to wait for the DevTools endpoint, and (read) for a page to load. */
  timeoutMs?: number;
};

export type TabOptions = {
  /** A preset or exact metrics; null leaves Chromium's own. */
  viewport?: keyof typeof VIEWPORTS | Viewport | null;
};

/** Chromium's process and its browser-level DevTools socket. */
export class Chromium {
  private nextId = 1;
  private readonly pending = new Map<number, (message: CdpMessage) => void>();
  private readonly tabs = new Map<string, CdpTab>();

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: WebSocket,
    readonly timeoutMs: number,
  ) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpMessage;
      if (message.id === undefined) {
        if (message.sessionId && message.method)
          this.tabs.get(message.sessionId)?.event(message.method, message.params);
        return;
      }
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
    socket.addEventListener('close', () => {
      for (const waiting of this.pending.values())
        waiting({ error: { message: 'DevTools connection closed' } });
      this.pending.clear();
    });
  }

  static async launch(profile: string, { lang, timeoutMs = 60_000 }: LaunchOptions = {}): Promise<Chromium> {
    const child = spawn(
      'chromium',
      [
        '--headless',
        '--disable-gpu',
        '--no-sandbox',
        '--no-first-run',
        '--no-proxy-server',
        '--no-default-browser-check',
        ...(lang ? [`--lang=${lang}`] : []),
        `--user-data-dir=${profile}`,
        '--remote-debugging-address=127.0.0.1',
        '--remote-debugging-port=0',
        'about:blank',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${stderr}`)), timeoutMs);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited with ${code}:\n${stderr}`));
      });
    });
    const socket = new WebSocket(endpoint);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot connect to ${endpoint}`)), {
        once: true,
      });
    });
    return new Chromium(child, socket, timeoutMs);
  }

  /** A command to the browser, or to a tab's session. */
  send(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) =>
      this.pending.set(id, (message) =>
        message.error
          ? reject(new Error(`${method}: ${message.error.message}`))
          : resolve(message.result ?? {}),
      ),
    );
    this.socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return answer;
  }

  /** A new blank tab with its Page, Runtime and Log domains on, at the viewport asked (desktop by default). */
  async tab({ viewport = 'desktop' }: TabOptions = {}): Promise<CdpTab> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true });
    const tab = new CdpTab(this, targetId as string, sessionId as string);
    this.tabs.set(tab.sessionId, tab);
    for (const domain of ['Page', 'Runtime', 'Log']) await tab.send(`${domain}.enable`);
    if (viewport)
      await tab.send(
        'Emulation.setDeviceMetricsOverride',
        typeof viewport === 'string' ? VIEWPORTS[viewport] : viewport,
      );
    return tab;
  }

  /** Loads the URL in a new tab and evaluates `expression` once the document is complete; returns its JSON value. */
  async read<T>(url: string, expression: string): Promise<T> {
    const tab = await this.tab({ viewport: null });
    try {
      await tab.navigate(url, undefined, this.timeoutMs);
      return await tab.evaluate<T>(expression);
    } finally {
      await tab.close();
    }
  }

  /** Asks the browser to close, and kills it if it has not gone within 20 s. */
  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      await this.send('Browser.close').catch(() => undefined);
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((resolve) => setTimeout(() => resolve(false), 20_000)),
      ]);
      if (!stopped) this.child.kill('SIGKILL');
    }
    this.socket.close();
  }
}

/** What notifications.test.ts reads pages with. */
export type Browser = Chromium;

export function launchChromium(profile: string, timeoutMs = 60_000): Promise<Browser> {
  return Chromium.launch(profile, { timeoutMs });
}
