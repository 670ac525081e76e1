// Debian's headless Chromium driven over the DevTools protocol with Node's own WebSocket, for tests that look at a
// local page as a person would: open it, wait for it to load, read what it shows. (payment-sandbox-page.test.ts
// drives clicks the same way.)
import { type ChildProcess, spawn } from 'node:child_process';

type CdpMessage = {
  id?: number;
  method?: string;
  result?: Record<string, unknown>;
  error?: { message: string };
};

export interface Browser {
  /** Loads the URL in a new tab and evaluates `expression` once the document is complete; returns its JSON value. */
  read<T>(url: string, expression: string): Promise<T>;
  close(): Promise<void>;
}

export async function launchChromium(profile: string, timeoutMs = 60_000): Promise<Browser> {
  const child: ChildProcess = spawn(
    'chromium',
    [
      '--headless',
      '--disable-gpu',
      '--no-sandbox',
      '--no-first-run',
      '--no-proxy-server',
      '--no-default-browser-check',
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
  let nextId = 1;
  const pending = new Map<
    number,
    { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }
  >();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as CdpMessage;
    if (message.id === undefined) return;
    const waiting = pending.get(message.id);
    pending.delete(message.id);
    if (message.error) waiting?.reject(new Error(message.error.message));
    else waiting?.resolve(message.result ?? {});
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) => {
    const id = nextId++;
    const result = new Promise<Record<string, unknown>>((resolve, reject) =>
      pending.set(id, { resolve, reject }),
    );
    socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    return result;
  };

  return {
    async read<T>(url: string, expression: string): Promise<T> {
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as {
        sessionId: string;
      };
      await send('Page.enable', {}, sessionId);
      await send('Page.navigate', { url }, sessionId);
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { result } = (await send(
          'Runtime.evaluate',
          { expression: '({ href: location.href, ready: document.readyState })', returnByValue: true },
          sessionId,
        )) as { result: { value: { href: string; ready: string } } };
        if (result.value.ready === 'complete' && result.value.href.startsWith(url)) break;
        if (Date.now() > deadline) throw new Error(`timed out loading ${url}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const { result, exceptionDetails } = await send(
        'Runtime.evaluate',
        { expression, returnByValue: true },
        sessionId,
      );
      await send('Target.closeTarget', { targetId });
      if (exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(exceptionDetails)}`);
      return (result as { value: T }).value;
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        await send('Browser.close').catch(() => undefined);
        const stopped = await Promise.race([
          exited.then(() => true),
          new Promise((resolve) => setTimeout(() => resolve(false), 20_000)),
        ]);
        if (!stopped) child.kill('SIGKILL');
      }
      socket.close();
    },
  };
}
